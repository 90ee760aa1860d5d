import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../random/index.ts';
import { medianInPlace, nanMedianAt, nanMedianAtF32 } from './median.ts';

describe('medians', () => {
  it('Floyd-Rivest float32 median equals the quickselect median and the sorted middle, bit for bit', () => {
    const u = mulberry32(5);
    for (const n of [1, 2, 3, 16, 17, 48, 401, 402, 960, 981, 2001]) {
      for (let rep = 0; rep < 20; rep++) {
        const f = new Float32Array(n + 3);
        for (let i = 0; i < f.length; i++) {
          f[i] = rep % 2 === 0 ? Math.fround(u() * 100 - 50) : Math.round(u() * 6) + (u() < 0.02 ? 5000 : 0); // many ties on odd reps
        }
        const sorted = Float64Array.from(f.subarray(3)).sort();
        const k = n >> 1;
        const truth = n & 1 ? sorted[k] : Math.fround(sorted[k - 1] + sorted[k]) / 2;
        expect(nanMedianAtF32(f, 3, n)).toBe(truth);
        expect(nanMedianAt(Float64Array.from(f), 3, n)).toBe(truth);
      }
    }
    expect(nanMedianAtF32(new Float32Array(4), 0, 0)).toBeNaN();
    expect(medianInPlace(Float64Array.of(4, 1, 3, 2), 4)).toBe(2.5);
  });
});
