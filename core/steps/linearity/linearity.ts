/**
 * linearity kernel (stcal docs, "Linearity Correction"): each group value F
 * becomes sum_k c_k F^k (Horner), with per-pixel coefficients (ncoeffs, ny, nx).
 * Groups flagged SATURATED keep their value. Pixels flagged NO_LIN_CORR in the
 * reference, with a NaN coefficient, or with a zero linear term get the
 * benign coefficients (0, 1, 0, ...) and NO_LIN_CORR in PIXELDQ.
 */
import { DQ } from '../../datamodels/dq.ts';

/**
 * Prepare coefficients (copy) and the DQ to OR into PIXELDQ.
 * @param coeffs (ncoeffs, npix)
 * @param linDq reference DQ (standard flags), npix
 */
export function prepareCoeffs(coeffs: Float32Array, ncoeffs: number, npix: number, linDq: Uint32Array): { coeffs: Float64Array; dq: Uint32Array } {
  const c = new Float64Array(coeffs);
  const dq = new Uint32Array(linDq);
  for (let p = 0; p < npix; p++) {
    const flagged = (linDq[p] & DQ.NO_LIN_CORR) !== 0;
    let nan = false;
    for (let k = 0; k < ncoeffs; k++) if (Number.isNaN(c[k * npix + p])) nan = true;
    const zero = ncoeffs > 1 && c[npix + p] === 0;
    if (flagged || nan || zero) {
      for (let k = 0; k < ncoeffs; k++) c[k * npix + p] = k === 1 ? 1 : 0;
      if (nan || zero) dq[p] = (dq[p] | DQ.NO_LIN_CORR) >>> 0;
    }
  }
  return { coeffs: c, dq };
}

/** Correct one integration in place: data/gdq (ngroups, npix). */
export function linearityInt(data: Float32Array, gdq: Uint8Array, ngroups: number, npix: number, coeffs: Float64Array, ncoeffs: number): void {
  for (let g = 0; g < ngroups; g++) {
    const o = g * npix;
    for (let p = 0; p < npix; p++) {
      if (gdq[o + p] & DQ.SATURATED) continue;
      // float32 at every operation, in stcal's order (c[n-1] x, then (s + c[j]) x, then c[0] + s),
      // so the result rounds as jwst's does (golden detector1 _ramp).
      const f = data[o + p];
      let s = Math.fround(Math.fround(coeffs[(ncoeffs - 1) * npix + p]) * f);
      for (let k = ncoeffs - 2; k >= 1; k--) s = Math.fround(Math.fround(s + Math.fround(coeffs[k * npix + p])) * f);
      data[o + p] = ncoeffs > 1 ? Math.fround(Math.fround(coeffs[p]) + s) : Math.fround(coeffs[p]);
    }
  }
}
