import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from './index.ts';

describe('seeded random numbers', () => {
  it('reproduce for a seed and differ between seeds', () => {
    const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
  });
  it('uniforms have mean 1/2 and variance 1/12; normals mean 0 and variance 1', () => {
    const n = 200_000;
    const u = mulberry32(7);
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = u();
      expect(x >= 0 && x < 1).toBe(true);
      s += x;
      s2 += x * x;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
    const g = gaussian(11);
    s = 0; s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = g();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
  });
});
