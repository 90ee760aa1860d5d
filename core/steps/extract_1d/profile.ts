/**
 * Box-extraction apertures as pixel-weight images (jwst docs, extract_1d
 * "Source and background extraction regions"): pixels fully inside get 1,
 * pixels cut by a limit get the covered fraction. Everything here works in
 * (cross-dispersion, dispersion) order: index = c * ndisp + d.
 */
import type { ExtractParams } from './reference.ts';

/** A weight image in (cross, disp) order plus the aperture's mean limits. */
export interface Aperture {
  ncross: number;
  ndisp: number;
  /** Float64Array(ncross * ndisp), weights 0..1. */
  weights: Float64Array;
  /** Mean lower/upper cross-dispersion limits (inclusive, pixel index). */
  lower: number;
  upper: number;
}

/** Evaluate a polynomial with the constant term first. */
export function polyval(coeff: readonly number[], x: number): number {
  let v = 0;
  for (let i = coeff.length - 1; i >= 0; i--) v = v * x + coeff[i];
  return v;
}

/**
 * Set weights for cross index c between inclusive limits lo..hi (jwst:
 * limits are inclusive; a pixel partially covered gets idx-lo+1 or hi-idx+1
 * when that lies in (0,1) and exceeds its current weight).
 */
function setWeight(w: Float64Array, at: number, c: number, lo: number, hi: number, partial: boolean): void {
  if (c >= lo && c <= hi) w[at] = 1;
  if (!partial) return;
  for (const pw of [c - lo + 1, hi - c + 1]) {
    if (pw > 0 && pw < 1 && w[at] < pw) w[at] = pw;
  }
}

/** Cross-dispersion start/stop and dispersion start/stop for the dispersion axis. */
function axisLimits(p: ExtractParams, dispaxis: number): { cs: number; ce: number; ds: number; de: number } {
  return dispaxis === 1
    ? { cs: p.ystart, ce: p.ystop, ds: p.xstart, de: p.xstop }
    : { cs: p.xstart, ce: p.xstop, ds: p.ystart, de: p.ystop };
}

/**
 * Build the source (coefficients 'src') or background ('bkg') aperture.
 * wl: wavelength in (cross, disp) order, used when independent_var is wavelength.
 */
export function boxProfile(
  p: ExtractParams, dispaxis: number, ncross: number, ndisp: number, wl: Float64Array, which: 'src' | 'bkg',
): Aperture {
  const w = new Float64Array(ncross * ndisp);
  const { cs, ce, ds, de } = axisLimits(p, dispaxis);
  const coeff = which === 'src' ? p.srcCoeff : p.bkgCoeff;
  const partial = !(which === 'bkg' && p.bkgFit === 'median');
  let lower = NaN;
  let upper = NaN;
  if (coeff) {
    for (let r = 0; r + 1 < coeff.length; r += 2) {
      let sumLo = 0;
      let sumHi = 0;
      for (let d = 0; d < ndisp; d++) {
        for (let c = 0; c < ncross; c++) {
          const iv = p.independentVar === 'wavelength' ? wl[c * ndisp + d] : d;
          // coefficients put 0 at a pixel centre; start/stop at its lower edge
          const lo = polyval(coeff[r], iv) + 0.5;
          const hi = polyval(coeff[r + 1], iv) - 0.5;
          setWeight(w, c * ndisp + d, c, lo, hi, partial);
          sumLo += lo; sumHi += hi;
        }
      }
      const mLo = sumLo / (ncross * ndisp);
      const mHi = sumHi / (ncross * ndisp);
      lower = Number.isNaN(lower) ? mLo : Math.min(lower, mLo);
      upper = Number.isNaN(upper) ? mHi : Math.max(upper, mHi);
    }
  } else {
    if (p.extractWidth !== null) {
      lower = (cs + ce) / 2 - (p.extractWidth - 1) / 2;
      upper = lower + p.extractWidth - 1;
    } else {
      lower = cs;
      upper = ce;
    }
    for (let c = 0; c < ncross; c++) for (let d = 0; d < ndisp; d++) setWeight(w, c * ndisp + d, c, lower, upper, true);
  }
  // zero outside the dispersion-axis start/stop
  const d0 = Math.ceil(ds);
  const d1 = Math.floor(de);
  for (let c = 0; c < ncross; c++) for (let d = 0; d < ndisp; d++) if (d < d0 || d > d1) w[c * ndisp + d] = 0;
  return { ncross, ndisp, weights: w, lower, upper };
}

/**
 * The 1-D wavelength of an aperture: the weight-averaged wavelength over the
 * aperture at each dispersion element (NaN where no weight), and the first
 * and last dispersion index with any weight.
 */
export function apertureWavelength(a: Aperture, wl: Float64Array): { wavelength: Float64Array; left: number; right: number } {
  const out = new Float64Array(a.ndisp);
  let left = -1;
  let right = -1;
  for (let d = 0; d < a.ndisp; d++) {
    let sw = 0;
    let swl = 0;
    let any = 0;
    for (let c = 0; c < a.ncross; c++) {
      const i = c * a.ndisp + d;
      any += a.weights[i];
      if (a.weights[i] > 0 && !Number.isNaN(wl[i])) { sw += a.weights[i]; swl += a.weights[i] * wl[i]; }
    }
    out[d] = sw > 0 ? swl / sw : NaN;
    if (any > 0) { if (left < 0) left = d; right = d; }
  }
  return { wavelength: out, left, right };
}

/** Zero the weights where the wavelength is not finite. */
export function maskInvalidWavelength(a: Aperture, wl: Float64Array): void {
  for (let i = 0; i < a.weights.length; i++) if (!Number.isFinite(wl[i])) a.weights[i] = 0;
}

/** Copy a detector plane (ny, nx; C order) to (cross, disp) order as float64. */
export function toCrossDisp(plane: ArrayLike<number>, ny: number, nx: number, dispaxis: number): Float64Array {
  const out = new Float64Array(ny * nx);
  if (dispaxis === 1) {
    for (let i = 0; i < ny * nx; i++) out[i] = plane[i];
  } else {
    // cross = x, disp = y: out[x * ny + y] = plane[y * nx + x]
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[x * ny + y] = plane[y * nx + x];
  }
  return out;
}
