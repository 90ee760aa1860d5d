/**
 * Fixtures for the API, serve and browser tests: a small demo project (the
 * `webbdesk demo` rateints, a white-light ECSV with an injected box transit)
 * and a CRDS cache laid out like CRDS_PATH from the synthetic test context.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeDemoRateints } from '../../core/cli/demo.ts';
import { buildFixture } from '../crds-server/fixture.ts';

export interface DemoFixture {
  readonly project: string;
  readonly rateints: string;
  readonly whtlt: string;
  readonly crdsPath: string;
  /** Injected transit: integrations [dipStart, dipEnd) have flux 1 - depth. */
  readonly nints: number;
  readonly dipStart: number;
  readonly dipEnd: number;
  readonly depth: number;
}

/** Write an ECSV white-light curve (astropy ECSV 1.0 layout as the jwst white_light step writes it). */
export function writeWhtlt(file: string, nints: number, dipStart: number, dipEnd: number, depth: number): void {
  const lines = [
    '# %ECSV 1.0', '# ---', '# datatype:', '# - {name: MJD_UTC, datatype: float64}', '# - {name: BJD_TDB, datatype: float64}',
    '# - {name: whitelight_flux, unit: Jy, datatype: float64}', '# schema: astropy-2.0', 'MJD_UTC BJD_TDB whitelight_flux',
  ];
  for (let k = 0; k < nints; k++) {
    const t = 61000 + (k * 9.5) / 86400;
    const f = 1e-4 * (k >= dipStart && k < dipEnd ? 1 - depth : 1);
    lines.push(`${t} ${t + 0.0008} ${f}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** A CRDS cache (mappings/jwst, references/jwst/<instrument>) from the synthetic two-context fixture. */
export function writeCrdsCache(cache: string, scratch: string): void {
  const fx = buildFixture(scratch);
  const maps = path.join(cache, 'mappings', 'jwst');
  mkdirSync(maps, { recursive: true });
  mkdirSync(path.join(cache, 'config', 'jwst'), { recursive: true });
  for (const m of readdirSync(fx.mappingsDir)) copyFileSync(path.join(fx.mappingsDir, m), path.join(maps, m));
  for (const r of readdirSync(fx.referencesDir)) {
    const inst = r.split('_')[1] ?? 'unknown';
    const dir = path.join(cache, 'references', 'jwst', inst);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(fx.referencesDir, r), path.join(dir, r));
  }
}

export async function makeDemoFixture(dir: string, nints = 6): Promise<DemoFixture> {
  const project = path.join(dir, 'demo');
  mkdirSync(project, { recursive: true });
  const rateints = await writeDemoRateints(project, nints);
  const whtlt = path.join(project, 'jw09999001001-o001_t001_miri_p750l-slitlessprism_whtlt.ecsv');
  const [dipStart, dipEnd, depth] = [Math.floor(nints / 3), Math.floor((2 * nints) / 3), 0.01];
  writeWhtlt(whtlt, nints, dipStart, dipEnd, depth);
  const crdsPath = path.join(dir, 'crds_cache');
  writeCrdsCache(crdsPath, path.join(dir, 'crds-server-files'));
  return { project, rateints, whtlt, crdsPath, nints, dipStart, dipEnd, depth };
}
