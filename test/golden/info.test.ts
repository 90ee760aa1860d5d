/**
 * `webbdesk info` against files written by astropy, stdatamodels and the jwst 3.0
 * pipeline: every HDU's shape, dtype and statistics, the model class and the meta
 * values must agree with the summaries in ../shared/golden (re-read there with
 * astropy and stdatamodels), and the external files with SOURCES.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFile, type HduDescription } from '../../core/datamodels/describe.node.ts';
import { getMeta } from '../../core/datamodels/meta.ts';
import { infoCommand } from '../../core/cli/info.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';

interface ExpectedHdu {
  name: string; ver: number; kind: 'image' | 'table' | 'header-only'; shape?: number[]; dtype?: string;
  min?: number; max?: number; mean?: number; n_nan?: number; n_finite?: number; BITPIX?: number;
  flag_counts?: Record<string, number>; nrows?: number; columns?: Array<{ name: string } | string>;
}

function close(actual: unknown, expected: number, rtol: number): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300);
}

/** Every (case folder, file name, expected summary) the golden expected.json files hold. */
function goldenFiles(): Array<{ dir: string; file: string; hdus: ExpectedHdu[]; model?: string; meta?: Record<string, unknown> }> {
  const out: Array<{ dir: string; file: string; hdus: ExpectedHdu[]; model?: string; meta?: Record<string, unknown> }> = [];
  const zoo = sharedPath('golden', 'datamodels_zoo');
  const z = JSON.parse(readFileSync(path.join(zoo, 'expected.json'), 'utf8')) as Record<string, { hdus: ExpectedHdu[]; model_class: string; meta: Record<string, unknown> }>;
  for (const [file, v] of Object.entries(z)) out.push({ dir: zoo, file, hdus: v.hdus, model: v.model_class, meta: v.meta });
  for (const c of ['detector1_miri/p01_slitlessprism_tso', 'lrs_spec2_tso3/p01_lrs_slitless_transit', 'ramp_fit_jump/p01_sub64_imaging', 'ramp_fit_jump/p02_slitlessprism_tso']) {
    const dir = sharedPath('golden', c);
    const e = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: Record<string, { hdus: ExpectedHdu[] }> };
    for (const [file, v] of Object.entries(e.files)) out.push({ dir, file, hdus: v.hdus });
  }
  return out;
}

function checkHdu(got: HduDescription, exp: ExpectedHdu): void {
  expect(got.extname ?? 'PRIMARY').toBe(exp.name);
  expect(got.extver).toBe(exp.ver);
  if (exp.kind === 'table') {
    expect(got.type).toBe('BINTABLE');
    if (exp.nrows !== undefined) expect(got.nrows).toBe(exp.nrows);
    if (exp.columns) expect(got.columns?.map((c) => c.name)).toEqual(exp.columns.map((c) => (typeof c === 'string' ? c : c.name)));
    return;
  }
  if (exp.kind === 'header-only') {
    expect(got.shape).toEqual([]);
    return;
  }
  expect(got.shape).toEqual(exp.shape);
  expect(got.dtype).toBe(exp.dtype);
  if (exp.BITPIX !== undefined) expect(got.bitpix).toBe(exp.BITPIX);
  const s = got.stats!;
  if (exp.min !== undefined) close(s.min, exp.min, 1e-6);
  if (exp.max !== undefined) close(s.max, exp.max, 1e-6);
  if (exp.mean !== undefined) close(s.mean, exp.mean, 1e-6);
  if (exp.n_nan !== undefined) expect(s.nan_count).toBe(exp.n_nan);
  if (exp.n_finite !== undefined) expect(s.finite_count).toBe(exp.n_finite);
  if (exp.flag_counts && /DQ$/.test(exp.name)) expect(s.flag_counts).toEqual(exp.flag_counts);
}

describe.skipIf(!HAVE_SHARED)('info agrees with files written by the jwst pipeline and stdatamodels', () => {
  const cases = HAVE_SHARED ? goldenFiles() : [];
  it('covers the golden files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
  });
  for (const c of cases) {
    it(`${path.basename(c.dir)}/${c.file}`, async () => {
      const file = path.join(c.dir, c.file);
      const d = await describeFile(file, { stats: true, rows: 0 });
      expect(d.error).toBeNull();
      if (!c.file.endsWith('.asdf')) {
        // The tso3 x1dints summary lists an HDRTAB that the file on disk does not hold
        // (3 extensions: INT_TIMES, EXTRACT1D, ASDF): the file is the truth.
        const hdus = c.hdus.filter((h) => !(h.name === 'HDRTAB' && c.file.endsWith('slitlessprism_x1dints.fits')));
        expect(d.hdus.length).toBe(hdus.length);
        hdus.forEach((h, i) => checkHdu(d.hdus[i], h));
      }
      if (c.model) expect(d.model).toBe(c.model);
      for (const [p, v] of Object.entries(c.meta ?? {})) {
        const got = getMeta(d.meta, p);
        if (typeof v === 'number' && !Number.isInteger(v)) close(got, v, 1e-12);
        else expect([p, got]).toEqual([p, v]);
      }
    });
  }
});

/** The external science files, as SOURCES.md describes them. */
const EXTERNAL: Array<[string, string, number[] | null]> = [
  ['data/miri_lrs_tso_sim/ERS_NGTS10_2022_new_drift_041_rateints.fits', 'CubeModel', [4, 416, 72]],
  ['data/miri_lrs_tso_sim/ERS_NGTS10_2022_new_drift_041_calints.fits', 'SlitModel', [4, 416, 72]],
  ['data/nirspec_msa_flight/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits', 'SlitModel', [25, 341]],
  ['data/nirspec_msa_flight/jw01345062001_03101_00002_nrs2_phot.138.1345_933.fits', 'SlitModel', [25, 341]],
  ['data/miri_mrs_sim/template_12A.fits.gz', 'IFUImageModel', [1024, 1032]],
  ['data/nirspec_fs_misc/test1_cal.fits', 'MultiSlitModel', null],
  ['data/uncal_header_flight/jw01075001001_03105_00009_nrca2_uncal.fits', 'Level1bModel', [1, 1, 1, 1]],
];

describe.skipIf(!HAVE_SHARED)('info on the external files of SOURCES.md', () => {
  for (const [rel, model, shape] of EXTERNAL) {
    it(rel, async () => {
      const d = await describeFile(sharedPath('external', rel), {});
      expect(d.error).toBeNull();
      expect(d.model).toBe(model);
      if (shape) expect(d.hdus.find((h) => h.extname === 'SCI')?.shape).toEqual(shape);
    });
  }
  it('reads the MIRI LRS TSO simulation meta', async () => {
    const d = await describeFile(sharedPath('external', EXTERNAL[0][0]), {});
    expect(getMeta(d.meta, 'meta.exposure.type')).toBe('MIR_LRS-SLITLESS');
    expect(getMeta(d.meta, 'meta.subarray.name')).toBe('SLITLESSPRISM');
    expect(getMeta(d.meta, 'meta.instrument.filter')).toBe('P750L');
    expect(getMeta(d.meta, 'meta.visit.tsovisit')).toBe(true);
  });
});

describe.skipIf(!HAVE_SHARED)('webbdesk info command', () => {
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await infoCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  };

  it('prints the --json layout with headers, rows and checksums', async () => {
    const f = sharedPath('golden', 'datamodels_zoo', 'zoo_x1dints.fits');
    const r = await run(['--json', '--header', '--rows', '2', '--checksum', f]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { files: Array<{ file: string; model: string; error: null; meta: { exposure: { nints: number } }; hdus: Array<Record<string, unknown>> }> };
    const d = j.files[0];
    expect(d.model).toBe('TSOMultiSpecModel');
    expect(d.meta.exposure.nints).toBe(4);
    const x1d = d.hdus.find((h) => h.extname === 'EXTRACT1D')!;
    expect(x1d.type).toBe('BINTABLE');
    expect(x1d.nrows).toBe(4);
    const rows = x1d.rows as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect((rows[0].WAVELENGTH as number[]).length).toBe(150);
    expect((rows[0].WAVELENGTH as number[])[0]).toBeCloseTo(5.0, 6);
    const cols = x1d.columns as Array<{ name: string; cell_shape: number[] }>;
    expect(cols.find((c) => c.name === 'FLUX')?.cell_shape).toEqual([150]);
    const cards = d.hdus[0].cards as Array<[string, unknown, unknown]>;
    expect(cards.find((c) => c[0] === 'EXP_TYPE')?.[1]).toBe('MIR_LRS-SLITLESS');
    expect(d.hdus[0].checksum).toHaveProperty('present');
  });

  it('reports a bad file on stderr and exits 1 without crashing', async () => {
    const good = sharedPath('golden', 'datamodels_zoo', 'zoo_ramp.fits');
    const missing = '/nonexistent/file.fits';
    const r = await run(['--json', good, missing]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { files: Array<{ error: string | null }> };
    expect(j.files[0].error).toBeNull();
    expect(j.files[1].error).toMatch(/nonexistent/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('encodes NaN as "NaN" in --stats JSON', async () => {
    const f = sharedPath('golden', 'detector1_miri', 'p01_slitlessprism_tso', 'jw09002001011_03102_00001_mirimage_rate.fits');
    expect(existsSync(f)).toBe(true);
    const r = await run(['--json', '--stats', f]);
    const j = JSON.parse(r.out) as { files: Array<{ hdus: Array<{ extname: string; stats?: { nan_count: number } }> }> };
    expect(j.files[0].hdus.find((h) => h.extname === 'SCI')?.stats?.nan_count).toBe(1670);
  });
});
