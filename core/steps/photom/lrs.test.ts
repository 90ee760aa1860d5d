import { describe, expect, it } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { applyConversion, interpNaN, lrsConversion, matchNansAndFlags, MJSR_TO_UJA2 } from './lrs.ts';

describe('LRS photom kernel', () => {
  const row = {
    filter: 'P750L', subarray: 'FULL', photmjsr: 2, uncertainty: 0, nelem: 3,
    wavelength: Float64Array.of(5, 7, 6, 0), relresponse: Float64Array.of(1, 3, 2, 99),
  };
  it('interpolates the response at each pixel wavelength (NELEM entries, sorted); no calibration outside', () => {
    expect(interpNaN(6.5, [5, 6, 7], [1, 2, 3])).toBe(2.5);
    const { conversion, noCal } = lrsConversion(Float32Array.of(5.5, 7, 4.9, NaN, 7.1), row);
    expect(Array.from(conversion)).toEqual([3, 6, 0, 0, 0]);
    expect(Array.from(noCal)).toEqual([0, 0, 1, 1, 1]);
  });
  it('scales SCI/ERR by the conversion and variances by its square; NaN and DO_NOT_USE agree', () => {
    const r = applyConversion({ data: Float32Array.of(1, 2, 3, 4), err: Float32Array.of(1, 1, 1, 1), varPoisson: Float32Array.of(1, 1, 1, 1) }, Float64Array.of(3, 0.5));
    expect(Array.from(r.data)).toEqual([3, 1, 9, 2]);
    expect(Array.from(r.varPoisson!)).toEqual([9, 0.25, 9, 0.25]);
    const dq = Uint32Array.of(DQ.DO_NOT_USE, 0, 0, 0);
    r.err![2] = NaN;
    matchNansAndFlags(r, dq, DQ.DO_NOT_USE);
    expect(Array.from(r.data)).toEqual([NaN, 1, NaN, 2]);
    expect(dq[2]).toBe(DQ.DO_NOT_USE);
    expect(MJSR_TO_UJA2).toBeCloseTo(23.50443, 5);
  });
});
