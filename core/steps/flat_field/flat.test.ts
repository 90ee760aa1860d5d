import { describe, expect, it } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { applyFlat, prepareFlat } from './flat.ts';

describe('flat kernel', () => {
  it('divides SCI, scales variances by 1/flat^2, VAR_FLAT = (SCI/flat)^2/flat^2 * ERR_flat^2, ERR = sqrt(sum)', () => {
    const flat = prepareFlat({ data: Float32Array.of(2, NaN, 0, 0.5), err: Float32Array.of(0.1, 0.2, 0.3, 0.05), dq: Uint32Array.of(0, 0, 0, DQ.UNRELIABLE_FLAT) });
    expect(Array.from(flat.flat)).toEqual([2, 1, 1, 0.5]);
    expect(flat.dq[1]! & DQ.NO_FLAT_FIELD).toBeTruthy();
    expect(flat.dq[2]! & DQ.NO_FLAT_FIELD).toBeTruthy();
    expect(flat.dq[2]! & DQ.DO_NOT_USE).toBeTruthy();
    // two integrations of 4 pixels
    const sci = Float32Array.of(8, 3, 3, 1, 4, 3, 3, 2);
    const out = applyFlat({ data: sci, dq: new Uint32Array(8), varPoisson: new Float32Array(8).fill(4), varRnoise: new Float32Array(8).fill(1) }, flat);
    expect(out.data[0]).toBe(4);
    expect(out.data[1]).toBe(3); // invalid flat leaves the pixel unchanged
    expect(out.data[7]).toBe(4);
    expect(out.varPoisson![0]).toBe(1);
    expect(out.varRnoise![3]).toBe(4);
    expect(out.varFlat[0]).toBeCloseTo((4 * 4) / 4 * 0.01, 6);
    expect(out.varFlat[1]).toBe(0);
    expect(out.err[0]).toBeCloseTo(Math.sqrt(1 + 0.25 + 0.04), 6);
    expect(out.dq[3]).toBe(DQ.UNRELIABLE_FLAT);
  });
});
