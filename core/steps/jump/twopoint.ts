/**
 * Jump detection by the two-point difference method (stcal docs, "Jump
 * detection: Two-Point Difference Method"), on a block of rows.
 *
 * Arrays are C order: data and group DQ [nints, ngroups, ny, nx]; gain and
 * read noise [ny, nx]. Work is in electrons (data * gain). The READNOISE value
 * is the CDS noise (noise of a difference of two reads), used as is for the
 * noise of a first difference.
 *
 * The statistics of a pixel pool all integrations: the median first
 * difference is taken over every usable difference of every integration.
 * - single pass (at least `min_diffs_single_pass` usable differences per
 *   integration): every difference further than `rejection_threshold` sigma
 *   from the median is a jump;
 * - iterative (fewer): the median drops the largest difference (4+ usable),
 *   is the plain median (3) or the smaller one (2); the largest outlier is
 *   flagged and removed, then the pixel is searched again, with thresholds
 *   for 4+, 3 and 2 usable differences.
 * Groups flagged SATURATED or DO_NOT_USE are never used.
 */
import { nanMedianInPlace } from './median.ts';
import { clipPixel, sigclipScratch, type SigclipScratch } from './sigclip.ts';

export const DNU = 1;
export const SAT = 2;
export const JUMP = 4;

/** Parameters of one detection pass (thresholds in sigma). */
export interface TwoPointParams {
  rejectionThreshold: number;
  threeGroupThreshold: number;
  fourGroupThreshold: number;
  nframes: number;
  singlePass: boolean;
  /** Sigma clipping across integrations (sigclip.ts) instead of the two-point search: 'ints' (only_use_ints) or 'all'. */
  sigclip?: 'ints' | 'all';
  flag4Neighbors: boolean;
  minJumpToFlagNeighbors: number;
  maxJumpToFlagNeighbors: number;
}

/** Shared arrays of a jump run (SharedArrayBuffer-backed when run on the pool). */
export interface JumpArrays {
  shape: readonly [number, number, number, number];
  /** SCI in DN. */
  data: Float32Array;
  /** Input GROUPDQ (read only). */
  gdqIn: Uint8Array;
  /** Output GROUPDQ (starts as a copy of gdqIn). */
  gdqOut: Uint8Array;
  /** 1 where the jump at this sample qualifies for neighbour flagging. */
  nbr: Uint8Array;
  /** Median first difference per pixel, electrons [ny, nx]. */
  median: Float32Array;
  gain: Float32Array;
  readnoise: Float32Array;
}

const f32 = Math.fround;

/** Gather one row of all integrations and groups into electrons: out[(i*ngroups+g)*nx + x]; NaN where unusable. */
function gatherRow(a: JumpArrays, y: number, out: Float64Array): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const plane = ny * nx;
  for (let k = 0; k < nints * ngroups; k++) {
    const base = k * plane + y * nx;
    const o = k * nx;
    for (let x = 0; x < nx; x++) {
      const q = a.gdqIn[base + x];
      out[o + x] = (q & (DNU | SAT)) !== 0 ? NaN : f32(a.data[base + x] * a.gain[y * nx + x]);
    }
  }
}

/**
 * Detect jumps in rows [row0, row1): writes JUMP into gdqOut for these rows,
 * the neighbour-eligibility mask and the per-pixel median. Returns the number
 * of primary jumps found.
 */
export function detectJumpsRows(a: JumpArrays, p: TwoPointParams, row0: number, row1: number): number {
  const [nints, ngroups, , nx] = a.shape;
  const nd = ngroups - 1;
  const row = new Float64Array(nints * ngroups * nx);
  const diffs = new Float64Array(nints * nd);
  const scratch = new Float64Array(nints * nd);
  const sc = p.sigclip ? sigclipScratch(nints, nd) : undefined;
  let found = 0;
  for (let y = row0; y < row1; y++) {
    gatherRow(a, y, row);
    for (let x = 0; x < nx; x++) {
      const pix = y * nx + x;
      for (let i = 0; i < nints; i++) {
        for (let g = 0; g < nd; g++) {
          const o = (i * ngroups + g) * nx + x;
          diffs[i * nd + g] = f32(row[o + nx] - row[o]);
        }
      }
      let n = 0;
      for (let k = 0; k < diffs.length; k++) if (!Number.isNaN(diffs[k])) scratch[n++] = diffs[k];
      const med = f32(nanMedianInPlace(scratch, n));
      a.median[pix] = med;
      const rn = f32(a.readnoise[pix] * a.gain[pix]);
      const rn2 = f32(f32(rn * rn) / p.nframes);
      let sigma = f32(Math.sqrt(f32(Math.abs(med) + rn2)));
      if (sigma === 0) sigma = NaN;
      found += sc
        ? sigclipFlags(a, p, diffs, pix, sc)
        : p.singlePass
        ? singlePass(a, p, diffs, med, sigma, pix)
        : iterative(a, p, diffs, scratch, rn2, pix);
      if (p.flag4Neighbors) markNeighbourSources(a, p, diffs, med, sigma, pix);
    }
  }
  return found;
}

function flag(a: JumpArrays, i: number, g: number, pix: number): void {
  const [, ngroups, ny, nx] = a.shape;
  const idx = (i * ngroups + g) * ny * nx + pix;
  a.gdqOut[idx] |= JUMP;
}

/** Every usable difference beyond the threshold is a jump. */
function singlePass(a: JumpArrays, p: TwoPointParams, diffs: Float64Array, med: number, sigma: number, pix: number): number {
  const nd = a.shape[1] - 1;
  let n = 0;
  for (let k = 0; k < diffs.length; k++) {
    const d = diffs[k];
    if (Number.isNaN(d)) continue;
    const ratio = f32(Math.abs(f32(d - med)) / sigma);
    if (ratio > p.rejectionThreshold) {
      flag(a, Math.floor(k / nd), (k % nd) + 1, pix);
      n++;
    }
  }
  return n;
}

/** Sigma clipping across integrations: every clipped usable difference is a jump. */
function sigclipFlags(a: JumpArrays, p: TwoPointParams, diffs: Float64Array, pix: number, sc: SigclipScratch): number {
  const [nints, ngroups] = a.shape;
  const nd = ngroups - 1;
  const n = clipPixel(diffs, nints, nd, p.sigclip === 'ints', p.rejectionThreshold, sc);
  if (n === 0) return 0;
  for (let k = 0; k < nints * nd; k++) if (sc.mask[k] !== 0) flag(a, Math.floor(k / nd), (k % nd) + 1, pix);
  return n;
}

/** Clipped median of |differences| (NaN = unusable) as stcal documents it for the iterative search. */
function clippedAbsMedian(abs: Float64Array, scratch: Float64Array): { med: number; usable: number } {
  let usable = 0;
  let max = -Infinity;
  for (let k = 0; k < abs.length; k++) {
    const v = abs[k];
    if (Number.isNaN(v)) continue;
    usable++;
    if (v > max) max = v;
  }
  if (usable < 2) return { med: NaN, usable };
  let n = 0;
  if (usable === 2) {
    let min = Infinity;
    for (let k = 0; k < abs.length; k++) if (abs[k] < min) min = abs[k];
    return { med: min, usable };
  }
  for (let k = 0; k < abs.length; k++) {
    const v = abs[k];
    if (Number.isNaN(v) || (usable >= 4 && v === max)) continue;
    scratch[n++] = v;
  }
  return { med: f32(nanMedianInPlace(scratch, n)), usable };
}

/** Flag the largest outlier, remove it, search again (stcal: iterative flagging for few differences). */
function iterative(a: JumpArrays, p: TwoPointParams, diffs: Float64Array, scratch: Float64Array, rn2: number, pix: number): number {
  const nd = a.shape[1] - 1;
  const abs = new Float64Array(diffs.length);
  for (let k = 0; k < diffs.length; k++) abs[k] = Math.abs(diffs[k]);
  const ratio = new Float64Array(abs.length);
  let found = 0;
  for (let iter = 0; iter < diffs.length; iter++) {
    const { med, usable } = clippedAbsMedian(abs, scratch);
    let sigma = f32(Math.sqrt(f32(Math.abs(med) + rn2)));
    if (sigma === 0) sigma = NaN;
    let maxRatio = -Infinity;
    for (let k = 0; k < abs.length; k++) {
      ratio[k] = f32(Math.abs(f32(abs[k] - med)) / sigma);
      if (ratio[k] > maxRatio) maxRatio = ratio[k];
    }
    const thresh = usable >= 4 ? p.rejectionThreshold : usable === 3 ? p.fourGroupThreshold : usable === 2 ? p.threeGroupThreshold : Infinity;
    if (!(maxRatio > thresh)) break;
    for (let k = 0; k < abs.length; k++) {
      if (ratio[k] === maxRatio) {
        flag(a, Math.floor(k / nd), (k % nd) + 1, pix);
        abs[k] = NaN;
        found++;
      }
    }
  }
  return found;
}

/** Mark jumps (after detection) whose size in sigma lies within the neighbour-flagging limits. */
function markNeighbourSources(a: JumpArrays, p: TwoPointParams, diffs: Float64Array, med: number, sigma: number, pix: number): void {
  const [, ngroups, ny, nx] = a.shape;
  const nd = ngroups - 1;
  const plane = ny * nx;
  for (let k = 0; k < diffs.length; k++) {
    const i = Math.floor(k / nd);
    const g = (k % nd) + 1;
    const idx = (i * ngroups + g) * plane + pix;
    if ((a.gdqOut[idx] & JUMP) === 0) continue;
    const ratio = f32(Math.abs(f32(diffs[k] - med)) / sigma);
    if (ratio < p.maxJumpToFlagNeighbors && ratio > p.minJumpToFlagNeighbors) a.nbr[idx] = 1;
  }
}
