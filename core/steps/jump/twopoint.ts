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
import { nanMedianAtF32, nanMedianInPlace } from './median.ts';
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

/** Per-call buffers of the detection kernel (allocated once per row block, not per pixel). */
interface RowBuffers {
  /** Pixel-major first differences of one row: diffs[x*K + i*nd + g] (electrons, float32 values, NaN = unusable). */
  diffs: Float32Array;
  /** Pixel-major packed usable differences (reordered by the median). */
  usable: Float32Array;
  nUse: Int32Array;
  prev: Float64Array;
  /** 1 where the pixel has a JUMP_DET flag in the input GROUPDQ. */
  inJump: Uint8Array;
  gainRow: Float64Array;
  /** One pixel's differences, for the iterative, sigma-clip and neighbour paths. */
  pix: Float64Array;
  scratch: Float64Array;
  abs: Float64Array;
  ratio: Float64Array;
  sc?: SigclipScratch;
}

function rowBuffers(nints: number, nd: number, nx: number, sigclip: boolean): RowBuffers {
  const K = nints * nd;
  return {
    diffs: new Float32Array(nx * K), usable: new Float32Array(nx * K), nUse: new Int32Array(nx), prev: new Float64Array(nx),
    inJump: new Uint8Array(nx), gainRow: new Float64Array(nx), pix: new Float64Array(K), scratch: new Float64Array(K),
    abs: new Float64Array(K), ratio: new Float64Array(K), sc: sigclip ? sigclipScratch(nints, nd) : undefined,
  };
}

/**
 * First differences of row y in electrons, pixel-major (x slowest), read
 * plane by plane so every read of SCI and GROUPDQ is contiguous along x.
 */
function gatherDiffs(a: JumpArrays, y: number, b: RowBuffers): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const nd = ngroups - 1;
  const K = nints * nd;
  const plane = ny * nx;
  const { diffs, usable, nUse, prev, inJump, gainRow } = b;
  const data = a.data;
  const gdq = a.gdqIn;
  nUse.fill(0);
  inJump.fill(0);
  for (let x = 0; x < nx; x++) gainRow[x] = a.gain[y * nx + x];
  for (let i = 0; i < nints; i++) {
    const base0 = i * ngroups * plane + y * nx;
    for (let x = 0; x < nx; x++) {
      const q = gdq[base0 + x];
      if ((q & JUMP) !== 0) inJump[x] = 1;
      prev[x] = (q & (DNU | SAT)) !== 0 ? NaN : f32(data[base0 + x] * gainRow[x]);
    }
    for (let g = 1; g < ngroups; g++) {
      const base = (i * ngroups + g) * plane + y * nx;
      const col = i * nd + g - 1;
      for (let x = 0, o = col; x < nx; x++, o += K) {
        const q = gdq[base + x];
        if ((q & JUMP) !== 0) inJump[x] = 1;
        const e = (q & (DNU | SAT)) !== 0 ? NaN : f32(data[base + x] * gainRow[x]);
        const d = f32(e - prev[x]);
        diffs[o] = d;
        if (d === d) usable[x * K + nUse[x]++] = d;
        prev[x] = e;
      }
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
  const K = nints * nd;
  const b = rowBuffers(nints, nd, nx, p.sigclip !== undefined);
  let found = 0;
  for (let y = row0; y < row1; y++) {
    gatherDiffs(a, y, b);
    for (let x = 0; x < nx; x++) {
      const pix = y * nx + x;
      const off = x * K;
      const med = f32(nanMedianAtF32(b.usable, off, b.nUse[x]));
      a.median[pix] = med;
      const rn = f32(a.readnoise[pix] * a.gain[pix]);
      const rn2 = f32(f32(rn * rn) / p.nframes);
      let sigma = f32(Math.sqrt(f32(Math.abs(med) + rn2)));
      if (sigma === 0) sigma = NaN;
      if (p.singlePass && !b.sc) {
        found += singlePassAt(a, p, b.diffs, off, med, sigma, pix);
        // Jumps flagged in the input also qualify their neighbours: take the general path for those pixels.
        if (!p.flag4Neighbors || b.inJump[x] === 0) continue;
      }
      const diffs = b.pix;
      for (let k = 0; k < K; k++) diffs[k] = b.diffs[off + k];
      if (b.sc) found += sigclipFlags(a, p, diffs, pix, b.sc);
      else if (!p.singlePass) found += iterative(a, p, diffs, b, rn2, pix);
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

/**
 * Every usable difference beyond the threshold is a jump (diffs[off ..
 * off + nints*nd)); jumps within the neighbour limits are marked for
 * neighbour flagging at once.
 */
function singlePassAt(a: JumpArrays, p: TwoPointParams, diffs: Float32Array, off: number, med: number, sigma: number, pix: number): number {
  const [nints, ngroups, ny, nx] = a.shape;
  const nd = ngroups - 1;
  const K = nints * nd;
  const thr = p.rejectionThreshold;
  // |d - med| below lim gives a float32 ratio below thr whatever the roundings (< 3 ulp of float32 apart):
  // such differences skip the exact test. NaN (sigma or difference) falls through to it.
  const lim = thr * sigma * (1 - 1e-6);
  let n = 0;
  for (let k = 0; k < K; k++) {
    const dv = diffs[off + k] - med;
    if (dv < lim && dv > -lim) continue;
    // A NaN (unusable) difference gives a NaN ratio, never above the threshold.
    const ratio = f32(Math.abs(f32(diffs[off + k] - med)) / sigma);
    if (!(ratio > thr)) continue;
    const i = Math.floor(k / nd);
    const idx = (i * ngroups + (k - i * nd) + 1) * ny * nx + pix;
    a.gdqOut[idx] |= JUMP;
    n++;
    if (p.flag4Neighbors && ratio < p.maxJumpToFlagNeighbors && ratio > p.minJumpToFlagNeighbors) a.nbr[idx] = 1;
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
function iterative(a: JumpArrays, p: TwoPointParams, diffs: Float64Array, b: RowBuffers, rn2: number, pix: number): number {
  const nd = a.shape[1] - 1;
  const { abs, ratio, scratch } = b;
  for (let k = 0; k < diffs.length; k++) abs[k] = Math.abs(diffs[k]);
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
