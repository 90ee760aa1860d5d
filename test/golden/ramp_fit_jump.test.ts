/**
 * Golden ramp_fit_jump cases: `webbdesk strun jump ...` then `strun ramp_fit`
 * on its output, with the exact command lines of case.json, reproduce the
 * jwst 3.0 _jumpstep (GROUPDQ within 0.01% of flags, PIXELDQ and SCI exact),
 * _0_rampfitstep (rate) and _1_rampfitstep (rateints) within the case
 * tolerances, with the same HDU lists and S_ and R_ keyword bookkeeping.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../core/fits/index.node.ts';
import { HAVE_SHARED } from '../shared.ts';
import { compareFiles, countDifferent, hduNames, tolerancesFromCase } from './compare.ts';
import { cleanup, errorLines, loadCase, referenceFiles, runCommand, workDir } from './harness.ts';

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

afterAll(cleanup);

for (const rel of ['ramp_fit_jump/p01_sub64_imaging', 'ramp_fit_jump/p02_slitlessprism_tso']) {
  describe.skipIf(!HAVE_SHARED)(`golden ${rel}: strun jump, strun ramp_fit`, () => {
    it('reproduces _jumpstep, _0_rampfitstep and _1_rampfitstep', async () => {
      const c = await loadCase(rel);
      const d = await workDir(c, [...Object.keys(c.inputs), ...referenceFiles(c)]);
      for (const cmd of c.strun) {
        const r = await runCommand(c, d, cmd);
        expect(r.code, `${cmd}\n${errorLines(r)}`).toBe(0);
      }
      const failures: string[] = [];
      const report: string[] = [];
      for (const [file, block] of Object.entries(c.tolerances)) {
        if (file === 'rule') continue;
        const golden = path.join(c.dir, file);
        const tol = tolerancesFromCase(block as Record<string, unknown>, await hduNames(golden), ['GROUPDQ']);
        const r = await compareFiles(path.join(d, file), golden, tol);
        failures.push(...r.failures);
        for (const [k, s] of Object.entries(r.stats)) report.push(`${file} ${k}: max|d| ${s.maxAbs.toExponential(2)} rel ${s.maxRel.toExponential(2)}`);
        if (file.endsWith('_jumpstep.fits')) {
          const g = await groupdqDiff(path.join(d, file), golden);
          report.push(`${file} GROUPDQ: ${g.differ}/${g.n} differ`);
          if (g.differ > 1e-4 * g.n) failures.push(`${file} GROUPDQ: ${g.differ}/${g.n} flags differ (allowed 0.01%)`);
        }
      }
      console.log(`${rel}\n  ${report.join('\n  ')}`);
      expect(failures).toEqual([]);
    });
  });
}
