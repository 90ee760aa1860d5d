import { describe, expect, it } from 'vitest';
import { applyStretch, limits, limitsFromSample, percentileSorted, sample, zscale } from './stretch.ts';

describe('image stretch and limits', () => {
  it('percentile limits of 0..100 are the values themselves', () => {
    const data = Float32Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(limits(data, 'percentile', 90)).toEqual([10, 90]);
    expect(limits(data, 'minmax')).toEqual([0, 100]);
    expect(percentileSorted(Float64Array.from([0, 10]), 25)).toBe(2.5);
  });

  it('limits from the cached sorted sample equal limits from the pixels (the viewer samples once per image)', () => {
    const data = Float32Array.from({ length: 1001 }, (_, i) => (i * 7919) % 1001);
    const s = sample(data);
    expect(limitsFromSample(s, 'percentile', 90)).toEqual([100, 900]);
    for (const m of ['minmax', 'percentile', 'zscale'] as const) expect(limitsFromSample(s, m)).toEqual(limits(data, m));
    expect(limitsFromSample(new Float64Array(0), 'zscale')).toEqual([0, 1]);
  });

  it('NaN and infinities are left out of the sample', () => {
    expect(Array.from(sample([NaN, 3, Infinity, 1, -Infinity, 2]))).toEqual([1, 2, 3]);
  });

  it('zscale of a ramp 0..999 with 10 outliers: the outliers are rejected and contrast 1 gives median -/+ centre * slope', () => {
    const v = Float64Array.from([...Array.from({ length: 1000 }, (_, i) => i), ...Array(10).fill(1e6)]).sort();
    // slope 1 per sample, median 504.5 at centre 504.5: [0, 1009] (upper kept below the outliers).
    const [lo, hi] = zscale(v, 1);
    expect(lo).toBeCloseTo(0, 6);
    expect(hi).toBeCloseTo(1009, 6);
    // Default contrast 0.25 widens by 4 and is clipped to the data range at the low end.
    const [lo4, hi4] = zscale(v);
    expect(lo4).toBe(0);
    expect(hi4).toBeCloseTo(504.5 + 4 * 504.5, 6);
  });

  it('stretches map 0 -> 0, 1 -> 1 and follow their formulas in between', () => {
    for (const s of ['linear', 'sqrt', 'log', 'asinh'] as const) {
      expect(applyStretch(0, s)).toBe(0);
      expect(applyStretch(1, s)).toBeCloseTo(1, 12);
    }
    expect(applyStretch(0.25, 'sqrt')).toBe(0.5);
    expect(applyStretch(0.5, 'asinh')).toBeCloseTo(Math.asinh(5) / Math.asinh(10), 12);
    expect(applyStretch(0.1, 'log')).toBeCloseTo(Math.log10(101) / Math.log10(1001), 12);
    expect(applyStretch(2, 'linear')).toBe(1);
  });
});
