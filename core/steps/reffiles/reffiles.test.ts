import { describe, it, expect } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { ndarray } from '../../ndarray/index.ts';
import { extractWindow } from './subarray.ts';
import { translateDq } from './dqdef.ts';
import { propagateDoNotUse, orPixelDq } from '../dq_init/dq_init.ts';
import { gainScaleArrays } from '../gain_scale/gain_scale.ts';
import { groupScaleFactor } from '../group_scale/group_scale.ts';

describe('reference helpers', () => {
  it('cuts the science window (1-based SUBSTRT) out of a full-frame reference, keeping leading axes', () => {
    const ny = 6, nx = 8;
    const full = new Float32Array(2 * ny * nx);
    for (let k = 0; k < full.length; k++) full[k] = k;
    const ref = ndarray(full, [2, ny, nx]);
    const w = extractWindow(ref, { xstart: 1, ystart: 1, xsize: nx, ysize: ny }, { xstart: 3, ystart: 2, xsize: 4, ysize: 3 }, 'test');
    expect(w.shape).toEqual([2, 3, 4]);
    expect(w.data[0]).toBe(1 * nx + 2);
    expect(w.data[12]).toBe(ny * nx + nx + 2);
    expect(() => extractWindow(ref, { xstart: 1, ystart: 1, xsize: nx, ysize: ny }, { xstart: 7, ystart: 1, xsize: 4, ysize: 2 }, 'test'))
      .toThrow(/reference covers x 1..8/);
  });

  it('translates DQ through DQ_DEF by flag name (bit 31 included), dropping undefined bits', () => {
    const def = [{ value: 1, name: 'DO_NOT_USE' }, { value: 131072, name: 'NONLINEAR' }, { value: 2147483648, name: 'REFERENCE_PIXEL' }];
    const { dq } = translateDq([2147483649, 131072, 8], def);
    expect(Array.from(dq)).toEqual([2147483649, DQ.NONLINEAR, 0]);
  });

  it('dq_init ORs the mask into PIXELDQ and its DO_NOT_USE into every group', () => {
    const mask = new Uint32Array([DQ.DO_NOT_USE | DQ.DEAD, DQ.HOT]);
    expect(Array.from(orPixelDq(new Uint32Array([DQ.WARM, 0]), mask))).toEqual([DQ.WARM | DQ.DO_NOT_USE | DQ.DEAD, DQ.HOT]);
    expect(Array.from(propagateDoNotUse(new Uint8Array([0, 4, 2, 0]), mask))).toEqual([1, 4, 3, 0]);
  });

  it('gain_scale multiplies SCI/ERR by f and variances by f^2; group_scale factor is FRMDIVSR/NFRAMES', () => {
    const a = gainScaleArrays({ data: ndarray(new Float32Array([2]), [1]), err: ndarray(new Float32Array([1]), [1]), var_poisson: ndarray(new Float32Array([1]), [1]) }, 2);
    expect([a['data'].data[0], a['err'].data[0], a['var_poisson'].data[0]]).toEqual([4, 2, 4]);
    expect(groupScaleFactor(4, 4)).toBeUndefined();
    expect(groupScaleFactor(5, 4)).toBeCloseTo(0.8, 12);
  });
});
