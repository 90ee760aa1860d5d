import { describe, it, expect } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { linearityInt, prepareCoeffs } from './linearity.ts';

describe('linearity kernel', () => {
  it('inverts a known quadratic non-linearity to 1e-4 relative', () => {
    // raw = T + a T^2 (a < 0); the exact inverse T(raw) = (-1 + sqrt(1 + 4 a raw)) / (2a)
    // is expanded to 4th order in raw: T = raw - a raw^2 + 2a^2 raw^3 - 5a^3 raw^4.
    const a = -2e-6;
    const npix = 3, ngroups = 5, ncoeffs = 5;
    const coeffs = new Float32Array(ncoeffs * npix);
    for (let p = 0; p < npix; p++) {
      coeffs[0 * npix + p] = 0; coeffs[1 * npix + p] = 1; coeffs[2 * npix + p] = -a;
      coeffs[3 * npix + p] = 2 * a * a; coeffs[4 * npix + p] = -5 * a * a * a;
    }
    const { coeffs: c, dq } = prepareCoeffs(coeffs, ncoeffs, npix, new Uint32Array(npix));
    expect(Array.from(dq)).toEqual([0, 0, 0]);
    const truth: number[] = [], data = new Float32Array(ngroups * npix);
    for (let g = 0; g < ngroups; g++) for (let p = 0; p < npix; p++) {
      const T = 2000 + 3000 * g + 500 * p;
      truth.push(T);
      data[g * npix + p] = T + a * T * T;
    }
    linearityInt(data, new Uint8Array(data.length), ngroups, npix, c, ncoeffs);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i] - truth[i]) / truth[i]);
    expect(worst).toBeLessThan(1e-4);
  });

  it('leaves SATURATED groups and NO_LIN_CORR / NaN / zero-linear-term pixels unchanged', () => {
    const npix = 4, ncoeffs = 3;
    const coeffs = new Float32Array([0, 0, 0, 0, 1, 1, 1, 0, 1e-3, NaN, 1e-3, 1e-3]);
    const linDq = new Uint32Array([0, 0, DQ.NO_LIN_CORR, 0]);
    const { coeffs: c, dq } = prepareCoeffs(coeffs, ncoeffs, npix, linDq);
    expect(Array.from(dq)).toEqual([0, DQ.NO_LIN_CORR, DQ.NO_LIN_CORR, DQ.NO_LIN_CORR]);
    const data = new Float32Array([100, 100, 100, 100, 200, 200, 200, 200]);
    const gdq = new Uint8Array([0, 0, 0, 0, DQ.SATURATED, 0, 0, 0]);
    linearityInt(data, gdq, 2, npix, c, ncoeffs);
    expect(data[0]).toBeCloseTo(100 + 1e-3 * 100 * 100, 3); // corrected
    expect(data[4]).toBe(200); // saturated group kept
    expect(Array.from(data.slice(1, 4))).toEqual([100, 100, 100]);
  });

  it('4 coefficients (unrolled) round in float32 at every operation in stcal order, bit for bit', () => {
    const npix = 5, f = Math.fround;
    const c = new Float32Array([1.5, -2.25, 0, 3.1, 7, 1, 0.9997, 1.0003, 1.01, 0.99, 2.1e-6, -1.7e-6, 3e-6, 0, 1e-7, 3.3e-11, -1.1e-11, 0, 7e-12, 0]);
    const { coeffs } = prepareCoeffs(c, 4, npix, new Uint32Array(npix));
    const raw = new Float32Array([14123.37, 20011.5, 33333.33, 41000.25, 9876.5]);
    const data = new Float32Array(raw);
    linearityInt(data, new Uint8Array(npix), 1, npix, coeffs, 4);
    const want: number[] = [];
    for (let p = 0; p < npix; p++) {
      const s3 = f(c[15 + p] * raw[p]), s2 = f(f(s3 + c[10 + p]) * raw[p]), s1 = f(f(s2 + c[5 + p]) * raw[p]);
      want.push(f(c[p] + s1));
    }
    expect(Array.from(data)).toEqual(want);
  });
});

