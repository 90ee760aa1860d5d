/**
 * Golden detector1_miri p01: `webbdesk strun calwebb_detector1 <uncal> ...`
 * with the exact case.json command line reproduces the jwst 3.0 _ramp
 * (save_calibrated_ramp), _rate and _rateints within the case tolerances,
 * with the same HDU lists and S_ (cal_step) / R_ (reference) keywords.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../core/fits/index.node.ts';
import { HAVE_SHARED } from '../shared.ts';
import { compareFiles, countDifferent, hduNames, tolerancesFromCase } from './compare.ts';
import { cleanup, errorLines, loadCase, referenceFiles, runCommand, workDir } from './harness.ts';

afterAll(cleanup);

async function groupdqDiff(actual: string, expected: string): Promise<{ differ: number; n: number }> {
  const [a, e] = await Promise.all([FitsFile.open(actual), FitsFile.open(expected)]);
  try {
    const ia = await a.readImage(a.hdus.find((h) => h.extname === 'GROUPDQ')!.index);
    const ie = await e.readImage(e.hdus.find((h) => h.extname === 'GROUPDQ')!.index);
    return { differ: countDifferent(ia.data as Uint8Array, ie.data as Uint8Array), n: ie.data.length };
  } finally {
    await Promise.all([a.close(), e.close()]);
  }
}

describe.skipIf(!HAVE_SHARED)('golden detector1_miri/p01_slitlessprism_tso: strun calwebb_detector1', () => {
  it('reproduces _ramp, _rate and _rateints', async () => {
    const c = await loadCase('detector1_miri/p01_slitlessprism_tso');
    const d = await workDir(c, [...Object.keys(c.inputs), ...referenceFiles(c)]);
    const r = await runCommand(c, d, c.strun[0]!);
    expect(r.code, errorLines(r)).toBe(0);
    const failures: string[] = [];
    const report: string[] = [];
    for (const [file, block] of Object.entries(c.tolerances)) {
      if (!file.endsWith('.fits')) continue;
      const golden = path.join(c.dir, file);
      const tol = tolerancesFromCase(block as Record<string, unknown>, await hduNames(golden), ['GROUPDQ']);
      const res = await compareFiles(path.join(d, file), golden, tol);
      failures.push(...res.failures);
      for (const [k, s] of Object.entries(res.stats)) report.push(`${file} ${k}: max|d| ${s.maxAbs.toExponential(2)} rel ${s.maxRel.toExponential(2)}`);
      if (file.endsWith('_ramp.fits')) {
        const g = await groupdqDiff(path.join(d, file), golden);
        report.push(`${file} GROUPDQ: ${g.differ}/${g.n} differ`);
        if (g.differ > 1e-4 * g.n) failures.push(`${file} GROUPDQ: ${g.differ}/${g.n} flags differ (allowed 0.01%)`);
      }
    }
    console.log(`detector1_miri/p01\n  ${report.join('\n  ')}`);
    expect(failures).toEqual([]);
  });
});
