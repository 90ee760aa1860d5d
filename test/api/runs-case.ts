/** Shared by the runs tests: a work copy of the golden lrs_spec2_tso3 p01 case and its tso3 parameters. */
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sharedPath } from '../shared.ts';

const CASE = sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit');
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';
const CALINTS = 'jw09003003011_04101_00001-seg001_mirimage_calints.fits';

/** ECSV data columns as numbers. */
export function ecsvColumns(text: string): Record<string, number[]> {
  const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const names = lines[0]!.trim().split(/\s+/);
  const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const l of lines.slice(1)) l.trim().split(/\s+/).forEach((v, i) => cols[names[i]!]!.push(Number(v)));
  return cols;
}

/** A temp folder with the case's x1dints, calints, asn, references and a CRDS cache of its context; process.env set as case.json says. */
export async function caseWorkDir(): Promise<{ dir: string; restore: () => void }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'webbdesk-runw-'));
  for (const f of [`${PRODUCT}_x1dints.fits`, CALINTS, `${PRODUCT}_tso3_asn.json`, 'ref_extract1d_lrs.json', 'ref_photom_lrs.fits']) await copyFile(path.join(CASE, f), path.join(dir, f));
  const maps = path.join(dir, 'crds', 'mappings', 'jwst');
  await mkdir(maps, { recursive: true });
  for (const m of await readdir(path.join(CASE, 'crds_context'))) await copyFile(path.join(CASE, 'crds_context', m), path.join(maps, m));
  const saved = { ...process.env };
  Object.assign(process.env, {
    CRDS_MODE: 'local', CRDS_PATH: path.join(dir, 'crds'), CRDS_CONTEXT: 'jwst_golden_0001.pmap',
    CRDS_SERVER_URL: 'https://crds.invalid', STPIPE_DISABLE_CRDS_STEPPARS: 'True',
  });
  return { dir, restore: () => { process.env = saved; } };
}

/** The tso3 step parameters of case.json (references given as override_ paths in `dir`). */
export function tso3Params(dir: string): Record<string, string | number | boolean> {
  return {
    save_results: true,
    'extract_1d.override_extract1d': path.join(dir, 'ref_extract1d_lrs.json'),
    ...Object.fromEntries(['apcorr', 'psf', 'specprofile', 'speckernel', 'pastasoss'].map((r) => [`extract_1d.override_${r}`, 'N/A'])),
    'white_light.min_wavelength': 6, 'white_light.max_wavelength': 10, 'white_light.override_wavelengthrange': 'N/A',
    'photom.override_photom': path.join(dir, 'ref_photom_lrs.fits'), 'photom.override_area': 'N/A', 'tso_photometry.override_gain': 'N/A',
  };
}

