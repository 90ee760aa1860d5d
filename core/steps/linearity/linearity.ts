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
 * @returns coeffs as float32 (the reference's precision; the correction works in float32)
 */
export function prepareCoeffs(coeffs: Float32Array, ncoeffs: number, npix: number, linDq: Uint32Array): { coeffs: Float32Array; dq: Uint32Array } {
  const c = new Float32Array(coeffs);
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

/**
 * Correct one integration in place: data/gdq (ngroups, npix), coeffs (ncoeffs, npix) float32.
 * Float32 at every operation, in stcal's order (c[n-1] F, then (s + c[k]) F, then c[0] + s),
 * so the result rounds as jwst's does (golden detector1 _ramp). 4 coefficients (the usual
 * MIRI case) run unrolled; other counts loop over the coefficient planes.
 */
export function linearityInt(data: Float32Array, gdq: Uint8Array, ngroups: number, npix: number, coeffs: Float32Array, ncoeffs: number): void {
  for (let g = 0; g < ngroups; g++) {
    const o = g * npix;
    if (ncoeffs === 4) linearityGroup4(data, gdq, o, npix, coeffs);
    else linearityGroup(data, gdq, o, npix, coeffs, ncoeffs);
  }
}

/** One group (offset `o`) with 4 coefficients. */
function linearityGroup4(data: Float32Array, gdq: Uint8Array, o: number, npix: number, c: Float32Array): void {
  const f = Math.fround, n2 = 2 * npix, n3 = 3 * npix;
  for (let p = 0; p < npix; p++) {
    if (gdq[o + p] & DQ.SATURATED) continue;
    const v = data[o + p];
    let s = f(c[n3 + p] * v);
    s = f(f(s + c[n2 + p]) * v);
    s = f(f(s + c[npix + p]) * v);
    data[o + p] = c[p] + s;
  }
}

/** One group (offset `o`), any number of coefficients. */
function linearityGroup(data: Float32Array, gdq: Uint8Array, o: number, npix: number, c: Float32Array, ncoeffs: number): void {
  const f = Math.fround;
  for (let p = 0; p < npix; p++) {
    if (gdq[o + p] & DQ.SATURATED) continue;
    const v = data[o + p];
    if (ncoeffs < 2) { data[o + p] = c[p]; continue; }
    let s = f(c[(ncoeffs - 1) * npix + p] * v);
    for (let k = ncoeffs - 2; k >= 1; k--) s = f(f(s + c[k * npix + p]) * v);
    data[o + p] = c[p] + s;
  }
}
