/**
 * Golden detector1_miri p01: `webbdesk strun calwebb_detector1 <uncal> ...`
 * with the exact case.json command line reproduces the jwst 3.0 _ramp
 * (save_calibrated_ramp), _rate and _rateints within the case tolerances,
 * with the same HDU lists and S_ (cal_step) / R_ (reference) keywords.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { FitsFile } from '../../core/fits/index.node.ts';
import { HAVE_SHARED } from '../shared.ts';
import { compareCaseOutputs } from './case-outputs.ts';
import { cleanup, errorLines, loadCase, referenceFiles, runCommand, workDir } from './harness.ts';

afterAll(cleanup);

describe.skipIf(!HAVE_SHARED)('golden detector1_miri/p01_slitlessprism_tso: strun calwebb_detector1', () => {
  it('reproduces _ramp, _rate and _rateints', async () => {
    const c = await loadCase('detector1_miri/p01_slitlessprism_tso');
    const d = await workDir(c, [...Object.keys(c.inputs), ...referenceFiles(c)]);
    const r = await runCommand(c, d, c.strun[0]!);
    expect(r.code, errorLines(r)).toBe(0);
    const { failures, report } = await compareCaseOutputs(c.dir, c.tolerances, d, '_ramp.fits');
    console.log(`detector1_miri/p01\n  ${report.join('\n  ')}`);
    expect(failures).toEqual([]);
    // Stronger than the case tolerance: every step before ramp_fit keeps
    // jwst's float32 order of operations, so the calibrated ramp is bit-identical.
    const ramp = Object.keys(c.tolerances).find((f) => f.endsWith('_ramp.fits'))!;
    for (const ext of ['SCI', 'PIXELDQ', 'GROUPDQ']) {
      const [ours, theirs] = await Promise.all([path.join(d, ramp), path.join(c.dir, ramp)].map(async (f) => {
        const file = await FitsFile.open(f);
        try {
          const a = await file.readImage(file.hdus.find((h) => h.extname === ext)!.index);
          return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
        } finally {
          await file.close();
        }
      }));
      expect(Buffer.compare(ours!, theirs!), `${ramp} ${ext} bytes`).toBe(0);
    }
  });
});
