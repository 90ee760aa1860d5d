/**
 * Golden lrs_spec2_tso3 p01: the three command lines of case.json through
 * `webbdesk` (strun calwebb_spec2 on the rateints; asn_from_list; strun
 * calwebb_tso3 on the association) reproduce the jwst 3.0 _calints,
 * _x1dints, association JSON, _crfints, product _x1dints and _whtlt.ecsv
 * within the case tolerances, with the same HDU lists and S_/R_ keywords.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_SHARED } from '../shared.ts';
import { compareFiles, compareValues, describeStats, headerDiffs, type FileReport, type Tol } from './compare.ts';
import { cleanup, errorLines, loadCase, referenceFiles, runCommand, workDir, type GoldenCase } from './harness.ts';

afterAll(cleanup);

const REL = 'lrs_spec2_tso3/p01_lrs_slitless_transit';
const ROOT = 'jw09003003011_04101_00001-seg001_mirimage';
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';

const CUBE_TOL = (sci: Tol, vars: Tol): Record<string, Tol> => ({
  SCI: sci, ERR: vars, DQ: 'exact', VAR_POISSON: vars, VAR_RNOISE: vars, VAR_FLAT: vars,
});
const X1D_TOL: Record<string, Tol> = {
  'EXTRACT1D.WAVELENGTH': { rtol: 1e-6 },
  'EXTRACT1D.FLUX': { rtol: 1e-4, atol: 1e-9 }, 'EXTRACT1D.SURF_BRIGHT': { rtol: 1e-4, atol: 1e-9 }, 'EXTRACT1D.BACKGROUND': { rtol: 1e-4, atol: 1e-9 },
  'EXTRACT1D.DQ': 'exact', 'EXTRACT1D.NPIXELS': 'exact',
  // the remaining columns (*_ERROR, *_VAR_*) at the error tolerance
  'EXTRACT1D.*': { rtol: 1e-4, atol: 1e-12 },
  'INT_TIMES.*': 'exact',
};

/** ECSV data rows as numbers (header lines start with '#'; first row after them is the column names). */
function ecsvColumns(text: string): Record<string, number[]> {
  const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const names = lines[0]!.trim().split(/\s+/);
  const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const l of lines.slice(1)) l.trim().split(/\s+/).forEach((v, i) => cols[names[i]!]!.push(Number(v)));
  return cols;
}

async function compare(c: GoldenCase, d: string, file: string, tol: Record<string, Tol>, out: string[], report: string[]): Promise<void> {
  const r: FileReport = await compareFiles(path.join(d, file), path.join(c.dir, file), tol);
  out.push(...r.failures);
  for (const [k, s] of Object.entries(r.stats)) report.push(`${file} ${k}: max|d| ${s.maxAbs.toExponential(2)} rel ${s.maxRel.toExponential(2)}`);
}

describe.skipIf(!HAVE_SHARED)(`golden ${REL}: spec2, asn_from_list, tso3`, () => {
  it('reproduces calints, x1dints, the association, crfints, the product x1dints and the white-light curve', async () => {
    const c = await loadCase(REL);
    const d = await workDir(c, [...Object.keys(c.inputs), ...referenceFiles(c)]);
    const failures: string[] = [];
    const report: string[] = [];
    for (const cmd of c.strun) {
      const r = await runCommand(c, d, cmd);
      expect(r.code, `${cmd.slice(0, 60)}...\n${errorLines(r)}`).toBe(0);
    }
    const vars: Tol = { rtol: 1e-5, atol: 1e-12 };
    await compare(c, d, `${ROOT}_calints.fits`, { ...CUBE_TOL({ rtol: 1e-5, atol: 1e-7 }, vars), WAVELENGTH: { rtol: 1e-6, atol: 1e-6 }, 'INT_TIMES.*': 'exact' }, failures, report);
    await compare(c, d, `${ROOT}_x1dints.fits`, X1D_TOL, failures, report);
    await compare(c, d, `${ROOT}_a3001_crfints.fits`, { SCI: { rtol: 1e-5, atol: 1e-7 }, DQ: 'exact' }, failures, report);
    await compare(c, d, `${PRODUCT}_x1dints.fits`, X1D_TOL, failures, report);
    // EXTRACT1D keywords (SLIT_RA/SLIT_DEC: extract_1d does not compute them yet).
    const spec = ['EXTVER', 'SLTNAME', 'SRCTYPE', 'EXTRXSTR', 'EXTRXSTP', 'EXTRYSTR', 'EXTRYSTP', 'SPORDER', 'DISPAXIS', 'DETECTOR'];
    for (const f of [`${ROOT}_x1dints.fits`, `${PRODUCT}_x1dints.fits`]) failures.push(...await headerDiffs(path.join(d, f), path.join(c.dir, f), 'EXTRACT1D', spec));
    // The association: equal apart from asn_id/code_version (case.json strun_verified).
    const asnName = `${PRODUCT}_tso3_asn.json`;
    const strip = (t: string): unknown => ({ ...JSON.parse(t), asn_id: undefined, code_version: undefined });
    expect(strip(await readFile(path.join(d, asnName), 'utf8'))).toEqual(strip(await readFile(path.join(c.dir, asnName), 'utf8')));
    // White light: times exact, fluxes rtol 1e-5.
    const wl = `${PRODUCT}_whtlt.ecsv`;
    const [a, e] = await Promise.all([readFile(path.join(d, wl), 'utf8'), readFile(path.join(c.dir, wl), 'utf8')]);
    const ca = ecsvColumns(a);
    const ce = ecsvColumns(e);
    expect(Object.keys(ca)).toEqual(Object.keys(ce));
    for (const k of Object.keys(ce)) {
      const s = compareValues(ca[k]!, ce[k]!, /flux/.test(k) ? { rtol: 1e-5 } : 'exact');
      report.push(`${wl} ${k}: max|d| ${s.maxAbs.toExponential(2)} rel ${s.maxRel.toExponential(2)}`);
      if (s.bad || s.nanMismatch || s.shapeError) failures.push(describeStats(`${wl} ${k}`, s));
    }
    console.log(`${REL}\n  ${report.join('\n  ')}`);
    expect(failures).toEqual([]);
  });
});
