/**
 * Jump detection by sigma clipping across integrations (stcal docs, "Jump
 * detection", flow control A/B): used instead of the two-point difference
 * search when the exposure has at least `minimum_sigclip_groups`
 * integrations (only_use_ints = True: each first difference g+1 - g is
 * clipped against the same difference of every other integration) or usable
 * groups in total (only_use_ints = False: every difference of every
 * integration of the pixel forms one sample).
 *
 * The clipping follows the documented astropy `sigma_clip` defaults the
 * stcal code calls: centre = median, spread = population standard deviation
 * of the values not yet clipped, symmetric bounds at `rejection_threshold`
 * spreads (values strictly outside are clipped), at most 5 iterations, NaN
 * (unusable differences) ignored. A clipped usable difference whose later
 * group is neither SATURATED nor DO_NOT_USE is a jump. Statistics are in
 * double precision.
 */
import { medianInPlace } from './median.ts';

/** astropy sigma_clip's default number of iterations. */
export const SIGCLIP_MAXITERS = 5;

/**
 * Sigma-clip v[0..n) (NaN = masked): sets clipped[k] = 1 for every finite
 * value clipped in any iteration, 0 otherwise. `scratch` holds >= n values.
 */
export function sigmaClip(v: Float64Array, n: number, thresh: number, clipped: Uint8Array, scratch: Float64Array): void {
  clipped.fill(0, 0, n);
  for (let iter = 0; iter < SIGCLIP_MAXITERS; iter++) {
    let m = 0;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const x = v[k];
      if (x === x && clipped[k] === 0) { scratch[m++] = x; sum += x; }
    }
    if (m === 0) return;
    const mean = sum / m;
    let ss = 0;
    for (let k = 0; k < m; k++) { const d = scratch[k] - mean; ss += d * d; }
    const std = Math.sqrt(ss / m);
    const med = medianInPlace(scratch, m);
    const lo = med - thresh * std;
    const hi = med + thresh * std;
    let changed = false;
    for (let k = 0; k < n; k++) {
      const x = v[k];
      if (clipped[k] === 0 && (x < lo || x > hi)) { clipped[k] = 1; changed = true; }
    }
    if (!changed) return;
  }
}

/** Scratch buffers of the per-pixel clipping, sized for one pixel's differences. */
export interface SigclipScratch {
  v: Float64Array;
  clipped: Uint8Array;
  tmp: Float64Array;
  /** Output: 1 where difference k = i*nd + j was clipped. */
  mask: Uint8Array;
}

export function sigclipScratch(nints: number, nd: number): SigclipScratch {
  const n = nints * nd;
  return { v: new Float64Array(n), clipped: new Uint8Array(n), tmp: new Float64Array(n), mask: new Uint8Array(n) };
}

/**
 * Clip one pixel's first differences diffs[i*nd + j] (electrons, NaN =
 * unusable). `onlyUseInts`: clip each difference index j across
 * integrations; else all differences together. Leaves s.mask[k] = 1 for each
 * clipped (hence usable) difference; returns their number.
 */
export function clipPixel(diffs: Float64Array, nints: number, nd: number, onlyUseInts: boolean, thresh: number, s: SigclipScratch): number {
  const n = nints * nd;
  let found = 0;
  if (!onlyUseInts) {
    sigmaClip(diffs, n, thresh, s.mask, s.tmp);
    for (let k = 0; k < n; k++) found += s.mask[k];
    return found;
  }
  s.mask.fill(0, 0, n);
  for (let j = 0; j < nd; j++) {
    for (let i = 0; i < nints; i++) s.v[i] = diffs[i * nd + j];
    sigmaClip(s.v, nints, thresh, s.clipped, s.tmp);
    for (let i = 0; i < nints; i++) if (s.clipped[i] !== 0) { s.mask[i * nd + j] = 1; found++; }
  }
  return found;
}
