import { describe, it, expect } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { applySkip, capSkip, skipCounts } from './rscd.ts';

describe('rscd kernel', () => {
  it('flags the first N groups; caps N to leave 3 groups', () => {
    expect(capSkip(3, 15)).toBe(3);
    expect(capSkip(3, 5)).toBe(2);
    expect(capSkip(3, 2)).toBe(0);
    const ng = 6, npix = 2;
    const gdq = new Uint8Array(2 * ng * npix);
    const { counts, lowered } = skipCounts(gdq, [1], ng, npix, 3, true);
    expect(lowered).toBe(0);
    applySkip(gdq, [1], ng, npix, counts);
    const dnu = (i: number, g: number, p: number) => (gdq[(i * ng + g) * npix + p] & DQ.DO_NOT_USE) !== 0;
    expect([0, 1, 2, 3, 4, 5].map((g) => dnu(1, g, 0))).toEqual([true, true, true, false, false, false]);
    expect([0, 1, 2, 3, 4, 5].map((g) => dnu(0, g, 0))).toEqual([false, false, false, false, false, false]);
  });

  it('bright pixels saturating early keep 2 usable groups', () => {
    const ng = 8, npix = 2;
    const gdq = new Uint8Array(ng * npix);
    // pixel 1 saturates from group index 3 (1-based group 4) on; skip=3 would leave nothing before it
    for (let g = 3; g < ng; g++) gdq[g * npix + 1] = DQ.SATURATED;
    const { counts, lowered, fluxEstimated } = skipCounts(gdq, [0], ng, npix, 3, true);
    expect(lowered).toBe(1);
    expect(Array.from(counts)).toEqual([3, 1]); // groups 2 and 3 (1-based) stay usable
    expect(Array.from(fluxEstimated)).toEqual([0, 1]);
  });
});
