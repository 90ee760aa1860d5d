/**
 * TSO outlier detection (jwst docs, outlier_detection "TSO data"): no
 * resampling; a median image along time, either a rolling median over
 * rolling_window_width integrations (bad/low-weight pixels set to NaN first;
 * a window containing NaN gives NaN) or, when the window is not smaller than
 * the number of integrations, one NaN-ignoring median of all of them. Pixels
 * with |data - median| > snr * err are flagged OUTLIER | DO_NOT_USE, then
 * data/err/variances are set to NaN wherever DO_NOT_USE is set and vice versa.
 * Cubes are (nints, ny, nx) C order.
 */
import { DQ, DQ_FLAG_NAMES } from '../../datamodels/dq.ts';
import { StepError } from '../../errors/index.ts';

/** Parse a good_bits value ("~DO_NOT_USE", "DO_NOT_USE,SATURATED", "0", 6): returns the bits allowed in good pixels. */
export function parseGoodBits(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v >>> 0;
  let s = String(v).trim();
  const invert = s.startsWith('~');
  if (invert) s = s.slice(1).trim();
  let bits = 0;
  if (/^\d+$/.test(s)) bits = Number(s) >>> 0;
  else {
    for (const name of s.split(/[,+|]/).map((x) => x.trim().toUpperCase()).filter(Boolean)) {
      if (!(DQ_FLAG_NAMES as readonly string[]).includes(name)) throw new StepError('bad-parameter', `unknown DQ flag "${name}" in good_bits`, { parameter: 'good_bits' });
      bits |= DQ[name as keyof typeof DQ];
    }
  }
  return (invert ? ~bits : bits) >>> 0;
}

function sortedMedian(v: number[]): number {
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Median of all integrations per pixel, ignoring NaN (NaN when all are NaN). */
export function nanMedianStack(data: ArrayLike<number>, nints: number, npix: number): Float64Array {
  const out = new Float64Array(npix);
  const buf: number[] = [];
  for (let p = 0; p < npix; p++) {
    buf.length = 0;
    for (let k = 0; k < nints; k++) { const v = data[k * npix + p]; if (!Number.isNaN(v)) buf.push(v); }
    out[p] = buf.length ? sortedMedian(buf) : NaN;
  }
  return out;
}

/**
 * Rolling median along time with window w (1 < w < nints). Integration i uses
 * integrations i - s - ... as jwst's moving_median_over_zeroth_axis does:
 * full windows [i+s-w+1, i+s] with s = floor((w-1)/2); the first floor(w/2)
 * and the last ceil(w/2) outputs repeat the nearest full-window value.
 * Returns (nints, npix).
 */
export function rollingMedian(data: ArrayLike<number>, nints: number, npix: number, w: number): Float64Array {
  if (w <= 1) throw new StepError('bad-parameter', 'rolling median window size must be greater than 1', { parameter: 'rolling_window_width' });
  if (w > nints) throw new StepError('bad-parameter', 'rolling median window must be less than the number of integrations', { parameter: 'rolling_window_width' });
  const out = new Float64Array(nints * npix);
  const s = Math.floor((w - 1) / 2);
  const buf: number[] = [];
  const first = Math.floor(w / 2);
  const lastFrom = nints - Math.ceil(w / 2);
  for (let p = 0; p < npix; p++) {
    for (let i = first; i <= lastFrom; i++) {
      buf.length = 0;
      let nan = false;
      for (let k = i + s - w + 1; k <= i + s; k++) { const v = data[k * npix + p]; if (Number.isNaN(v)) nan = true; buf.push(v); }
      out[i * npix + p] = nan ? NaN : sortedMedian(buf);
    }
    for (let i = 0; i < first; i++) out[i * npix + p] = out[first * npix + p];
    for (let i = lastFrom + 1; i < nints; i++) out[i * npix + p] = out[lastFrom * npix + p];
  }
  return out;
}

export interface TsoCube {
  nints: number;
  npix: number;
  data: Float32Array | Float64Array;
  err: Float32Array | Float64Array;
  dq: Uint32Array;
  vars: Array<Float32Array | Float64Array>;
}

export interface TsoOptions {
  goodBits: number;
  maskpt: number;
  rollingWindowWidth: number;
  snr: number;
}

/**
 * Flag outliers in place on copies the caller owns; returns the number of
 * pixels newly flagged.
 */
export function flagTsoOutliers(c: TsoCube, o: TsoOptions): number {
  const { nints, npix } = c;
  let medians: Float64Array;
  if (o.rollingWindowWidth > 1 && o.rollingWindowWidth < nints) {
    const masked = Float64Array.from(c.data);
    // weights are 1 for good pixels and 0 otherwise: their clipped mean is 1, the threshold maskpt
    const anyGood = c.dq.some((d) => (d & ~o.goodBits) === 0);
    const threshold = anyGood ? o.maskpt : NaN;
    for (let i = 0; i < masked.length; i++) {
      const wt = (c.dq[i] & ~o.goodBits) === 0 ? 1 : 0;
      if (wt < threshold) masked[i] = NaN;
    }
    medians = rollingMedian(masked, nints, npix, o.rollingWindowWidth);
  } else {
    const m = nanMedianStack(c.data, nints, npix);
    medians = new Float64Array(nints * npix);
    for (let k = 0; k < nints; k++) medians.set(m, k * npix);
  }
  let n = 0;
  const flag = DQ.OUTLIER | DQ.DO_NOT_USE;
  for (let i = 0; i < c.data.length; i++) {
    const e = Number.isNaN(c.err[i]) ? 0 : c.err[i];
    if (Math.abs(c.data[i] - medians[i]) > o.snr * e) { c.dq[i] = (c.dq[i] | flag) >>> 0; n++; }
  }
  matchNansAndFlags(c);
  return n;
}

/** NaN in data/err/variances wherever any of them is NaN or DO_NOT_USE is set; DO_NOT_USE wherever NaN (jwst match_nans_and_flags). */
export function matchNansAndFlags(c: Pick<TsoCube, 'data' | 'err' | 'dq' | 'vars'>): void {
  const arrays = [c.data, c.err, ...c.vars];
  for (let i = 0; i < c.data.length; i++) {
    let bad = (c.dq[i] & DQ.DO_NOT_USE) !== 0;
    for (const a of arrays) if (Number.isNaN(a[i])) bad = true;
    if (!bad) continue;
    for (const a of arrays) a[i] = NaN;
    c.dq[i] = (c.dq[i] | DQ.DO_NOT_USE) >>> 0;
  }
}
