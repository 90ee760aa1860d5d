/**
 * Golden ramp_fit_jump cases: `webbdesk strun jump ...` then `strun ramp_fit`
 * on its output, with the exact command lines of case.json, reproduce the
 * jwst 3.0 _jumpstep (GROUPDQ within 0.01% of flags, PIXELDQ and SCI exact),
 * _0_rampfitstep (rate) and _1_rampfitstep (rateints) within the case
 * tolerances, with the same HDU lists and S_ and R_ keyword bookkeeping.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_SHARED } from '../shared.ts';
import { compareCaseOutputs } from './case-outputs.ts';
import { cleanup, errorLines, loadCase, referenceFiles, runCommand, workDir } from './harness.ts';

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
      const { failures, report } = await compareCaseOutputs(c.dir, c.tolerances, d, '_jumpstep.fits');
      console.log(`${rel}\n  ${report.join('\n  ')}`);
      expect(failures).toEqual([]);
    });
  });
}
