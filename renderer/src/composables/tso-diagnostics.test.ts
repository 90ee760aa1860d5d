import { describe, expect, it } from 'vitest';
import { crossProfile, flaggedFraction, median, rowMedians, sampledIntegrations, traceMoments } from './tso-diagnostics.ts';

/** A [ny][nx] plane: background + a Gaussian trace along y (dispaxis 2) at column cx with width s. */
function tracePlane(ny: number, nx: number, cx: number, s: number, amp: number, bkg: number): Float32Array {
  const p = new Float32Array(ny * nx);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) p[y * nx + x] = bkg + amp * Math.exp(-0.5 * ((x - cx) / s) ** 2);
  return p;
}

describe('TSO per-integration diagnostics', () => {
  it('trace centre and RMS width of a Gaussian trace on a flat background', () => {
    const ny = 40, nx = 72;
    for (const [cx, s] of [[36.3, 1.5], [20.8, 2.0]]) {
      const plane = tracePlane(ny, nx, cx, s, 500, 5);
      plane[3 * nx + 10] = NaN; // a bad pixel does not matter
      const m = traceMoments(crossProfile(plane, ny, nx, 2), 12);
      expect(m.center).toBeCloseTo(cx, 3);
      expect(m.sigma).toBeCloseTo(s, 2);
    }
  });

  it('dispaxis 1 profiles run along y', () => {
    const ny = 50, nx = 30;
    const p = new Float32Array(ny * nx);
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) p[y * nx + x] = 2 + 100 * Math.exp(-0.5 * ((y - 24.6) / 1.2) ** 2);
    expect(traceMoments(crossProfile(p, ny, nx, 1)).center).toBeCloseTo(24.6, 3);
  });

  it('background level per row is the median of its finite cells', () => {
    expect(rowMedians(Float64Array.from([1, 2, 3, NaN, 10, 30, 20, 40]), 2, 4)).toEqual([2, 25]);
    expect(median([NaN])).toBeNaN();
  });

  it('outlier fraction counts pixels with any masked bit', () => {
    const dq = Uint32Array.from([0, 16, 17, 1, 0, 0, 0, 16 | 4]);
    expect(flaggedFraction(dq, 16)).toBe(3 / 8);
    expect(flaggedFraction(dq, 1)).toBe(2 / 8);
  });

  it('sampled integrations keep every k-th and the last', () => {
    expect(sampledIntegrations(5)).toEqual([0, 1, 2, 3, 4]);
    expect(sampledIntegrations(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampledIntegrations(11, 4)).toEqual([0, 3, 6, 9, 10]);
  });
});
