import { describe, expect, it } from 'vitest';
import { gaussian } from '../random/index.ts';
import { transitFlux, type TransitParams } from '../simulate/transit.ts';
import { invert } from './linalg.ts';
import { fitTransit } from './transit-fit.ts';

/** Injected light curve: 150 points over 0.2 d, transit of 0.08 d, a 1% per day baseline slope. */
const TRUTH: TransitParams = { rpRs: 0.1, tMid: 0.093, t14: 0.08, b: 0.3, u1: 0.2, u2: 0.15 };
const T0 = 60000, BASE = 1000, SLOPE = 10; // flux units, flux per day
const N = 150;
const time = Float64Array.from({ length: N }, (_, i) => T0 + (0.2 * i) / (N - 1));
const clean = time.map((t) => (BASE + SLOPE * (t - T0 - 0.1)) * transitFlux(t, { ...TRUTH, tMid: T0 + TRUTH.tMid }));
const OPTS = { t14: TRUTH.t14, b: TRUTH.b, u1: TRUTH.u1, u2: TRUTH.u2 };

function noisy(seed: number, sigma: number): Float64Array {
  const g = gaussian(seed);
  return clean.map((f) => f + sigma * g());
}

function std(a: readonly number[]): { mean: number; std: number } {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  return { mean: m, std: Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1)) };
}

describe('linalg', () => {
  it('inverts a 3x3 matrix (A A^-1 = I) and refuses a singular one', () => {
    const a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const inv = invert(a, 3)!;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * inv[k * 3 + j]!;
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
    expect(invert([1, 2, 2, 4], 2)).toBeUndefined();
  });
});

describe('fitTransit', () => {
  it('recovers a noiseless injected model exactly', () => {
    const r = fitTransit(time, clean, undefined, OPTS);
    expect(r.converged).toBe(true);
    expect(r.depth).toBeCloseTo(0.01, 8);
    expect(r.rpRs).toBeCloseTo(0.1, 7);
    expect(Math.abs(r.tMid - (T0 + TRUTH.tMid)) * 86400).toBeLessThan(1e-3); // seconds
    expect(r.baseline).toBeCloseTo(BASE, 5);
    expect(r.slope).toBeCloseTo(SLOPE, 4);
    expect(r.chi2).toBeLessThan(1e-12);
  });

  it('recovers the injected model in 500 ppm noise within 3 sigma, errors given and not', () => {
    const sigma = 0.5;
    const f = noisy(11, sigma);
    for (const err of [new Float64Array(N).fill(sigma), undefined]) {
      const r = fitTransit(time, f, err, OPTS);
      expect(r.errorsScaled).toBe(err === undefined);
      expect(Math.abs(r.depth - 0.01) / r.depthErr).toBeLessThan(3);
      expect(Math.abs(r.tMid - (T0 + TRUTH.tMid)) / r.tMidErr).toBeLessThan(3);
      expect(Math.abs(r.baseline - BASE) / r.baselineErr).toBeLessThan(3);
      expect(r.depthErr).toBeGreaterThan(1e-5);
      expect(r.depthErr).toBeLessThan(5e-4);
      expect(r.chi2 / r.dof).toBeLessThan(err ? 1.5 : 1.5 * sigma * sigma);
    }
  });

  it('pulls (fit - truth) / sigma over 100 noise realisations have unit width', () => {
    const sigma = 1.0, depth: number[] = [], tmid: number[] = [], scaled: number[] = [];
    const err = new Float64Array(N).fill(sigma);
    const o = { ...OPTS, tMid0: T0 + TRUTH.tMid + 0.004 }; // start given (the grid start is tested below): keeps the test fast
    for (let s = 0; s < 100; s++) {
      const f = noisy(1000 + s, sigma);
      const r = fitTransit(time, f, err, o);
      depth.push((r.depth - 0.01) / r.depthErr);
      tmid.push((r.tMid - (T0 + TRUTH.tMid)) / r.tMidErr);
      const u = fitTransit(time, f, undefined, o);
      scaled.push((u.depth - 0.01) / u.depthErr);
    }
    for (const [name, pulls] of [['depth', depth], ['tMid', tmid], ['depth, scaled errors', scaled]] as const) {
      const st = std(pulls);
      console.log(`transit-fit pulls ${name}: mean ${st.mean.toFixed(3)} std ${st.std.toFixed(3)}`);
      expect(st.std).toBeGreaterThan(0.8);
      expect(st.std).toBeLessThan(1.25);
      expect(Math.abs(st.mean)).toBeLessThan(0.35); // 3.5 sigma of the mean of 100 unit pulls
    }
  });

  it('finds the transit from a grid start when it is off-centre', () => {
    const tm = T0 + 0.05;
    const f = time.map((t) => BASE * transitFlux(t, { ...TRUTH, tMid: tm }));
    const r = fitTransit(time, f, undefined, OPTS);
    expect(Math.abs(r.tMid - tm) * 86400).toBeLessThan(0.01);
    expect(r.depth).toBeCloseTo(0.01, 7);
  });

  it('skips non-finite points and rejects too few or mismatched inputs', () => {
    const f = Float64Array.from(clean);
    f[3] = NaN;
    const r = fitTransit(time, f, undefined, OPTS);
    expect(r.npoints).toBe(N - 1);
    expect(r.depth).toBeCloseTo(0.01, 7);
    expect(() => fitTransit(time.subarray(0, 5), clean.subarray(0, 5), undefined, OPTS)).toThrow(/5 usable points/);
    expect(() => fitTransit(time, clean.subarray(1), undefined, OPTS)).toThrow(/lengths differ/);
    expect(() => fitTransit(time, clean, undefined, { ...OPTS, t14: 0 })).toThrow(/t14/);
  });
});
