import { describe, it, expect } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { flagFirstFrame } from './firstframe.ts';
import { flagLastFrame } from '../lastframe/lastframe.ts';

describe('firstframe / lastframe kernels', () => {
  it('first group DO_NOT_USE except pixels saturated in group 3 (bright_use_group1)', () => {
    const nints = 2, ng = 5, npix = 2;
    const gdq = new Uint8Array(nints * ng * npix);
    gdq[(1 * ng + 2) * npix + 1] = DQ.SATURATED; // pixel 1 saturates in group 3 of int 2
    const pdq = new Uint32Array(npix);
    expect(flagFirstFrame(gdq, pdq, nints, ng, npix, true)).toBe(1);
    expect([gdq[0], gdq[1], gdq[ng * npix], gdq[ng * npix + 1]]).toEqual([DQ.DO_NOT_USE, DQ.DO_NOT_USE, DQ.DO_NOT_USE, 0]);
    expect(Array.from(pdq)).toEqual([0, DQ.FLUX_ESTIMATED]);
    const g2 = new Uint8Array(gdq.length); g2[(1 * ng + 2) * npix + 1] = DQ.SATURATED;
    flagFirstFrame(g2, new Uint32Array(npix), nints, ng, npix, false);
    expect(g2[ng * npix + 1]).toBe(DQ.DO_NOT_USE);
  });

  it('last group DO_NOT_USE in every integration, other groups untouched', () => {
    const gdq = new Uint8Array(2 * 4 * 3);
    flagLastFrame(gdq, 2, 4, 3);
    const flagged = Array.from(gdq).map((v, k) => (v ? Math.floor(k / 3) % 4 : -1)).filter((g) => g >= 0);
    expect(flagged).toEqual([3, 3, 3, 3, 3, 3]);
  });
});
