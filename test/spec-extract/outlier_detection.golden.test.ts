import { describe, expect, it } from 'vitest';
import { DQ } from '../../core/datamodels/dq.ts';
import { step } from '../../core/steps/outlier_detection/index.node.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel } from '../../core/stpipe/index.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { GOLDEN_LRS, makeCtx, worstRatio } from './helpers.ts';

const G = (f: string): string => sharedPath(GOLDEN_LRS, f);

describe.skipIf(!HAVE_SHARED)('outlier_detection (TSO) vs jwst 3.0 golden crfints', () => {
  it('flags exactly the golden OUTLIER pixels; SCI equal within tolerance', async () => {
    const input = await loadModel(G('jw09003003011_04101_00001-seg001_mirimage_calints.fits'));
    const golden = await loadModel(G('jw09003003011_04101_00001-seg001_mirimage_a3001_crfints.fits'));
    const before = Uint32Array.from(input.arrays.dq.data as ArrayLike<number>);
    const out = (await step.run(input, makeCtx(step.spec))) as JwstModel;
    const dq = out.arrays.dq.data as Uint32Array;
    const gdq = golden.arrays.dq.data as ArrayLike<number>;
    let mismatches = 0;
    let outliers = 0;
    for (let i = 0; i < dq.length; i++) {
      if (dq[i] !== gdq[i]) mismatches++;
      if (dq[i] & DQ.OUTLIER) outliers++;
    }
    console.log(`outlier_detection: ${outliers} OUTLIER pixels, ${mismatches} DQ mismatches vs golden`);
    expect(mismatches).toBe(0);
    expect(outliers).toBeGreaterThanOrEqual(3);
    expect(worstRatio(out.arrays.data.data as ArrayLike<number>, golden.arrays.data.data as ArrayLike<number>, 1e-5, 1e-7)).toBeLessThanOrEqual(1);
    // the input model was not modified
    expect(Uint32Array.from(input.arrays.dq.data as ArrayLike<number>)).toEqual(before);
  });
});
