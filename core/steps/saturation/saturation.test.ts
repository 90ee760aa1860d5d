import { describe, it, expect } from 'vitest';
import { DQ } from '../../datamodels/dq.ts';
import { ATOD_LIMIT, dilate, flagSaturationInt, prepareThresholds } from './saturation.ts';

describe('saturation kernel', () => {
  it('flags exactly the groups at/above the level and all later ones, grown by n_pix_grow_sat', () => {
    const ny = 5, nx = 5, ng = 6, npix = 25;
    const level = new Float32Array(npix).fill(1000);
    const { thresh } = prepareThresholds(level, new Uint32Array(npix));
    const data = new Float32Array(ng * npix);
    for (let g = 0; g < ng; g++) for (let p = 0; p < npix; p++) data[g * npix + p] = 100 + 50 * g;
    const c = 2 * nx + 2; // centre pixel reaches 1000 at group 3 and dips below later
    [100, 400, 800, 1000, 900, 1200].forEach((v, g) => { data[g * npix + c] = v; });
    const gdq = new Uint8Array(ng * npix);
    flagSaturationInt(data, gdq, thresh, ng, ny, nx, 1);
    for (let g = 0; g < ng; g++) {
      for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
        const inBox = Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1;
        expect((gdq[g * npix + y * nx + x] & DQ.SATURATED) !== 0).toBe(g >= 3 && inBox);
      }
    }
  });

  it('A/D floor flags only that group; NaN level and NO_SAT_CHECK are never saturated', () => {
    const level = new Float32Array([NaN, 10, 10]);
    const { thresh, dq } = prepareThresholds(level, new Uint32Array([0, DQ.NO_SAT_CHECK, 0]));
    expect(thresh[0]).toBe(ATOD_LIMIT + 1);
    expect(thresh[1]).toBe(ATOD_LIMIT + 1);
    expect(dq[0]).toBe(DQ.NO_SAT_CHECK);
    const data = new Float32Array([50, 50, 0, 60, 60, 5]);
    const gdq = new Uint8Array(6);
    flagSaturationInt(data, gdq, thresh, 2, 1, 3, 0);
    expect(Array.from(gdq)).toEqual([0, 0, DQ.AD_FLOOR | DQ.DO_NOT_USE, 0, 0, 0]);
  });

  it('dilate grows a (2n+1)^2 box clipped at the edges', () => {
    const m = new Uint8Array(16); m[0] = 1;
    expect(Array.from(dilate(m, 4, 4, 2)).reduce((a, b) => a + b, 0)).toBe(9);
  });
});
