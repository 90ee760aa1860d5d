/**
 * The rectified output grid of resample_spec for a slit spectrum whose WCS has
 * an `alpha_beta` frame (alpha = position along the slit in arcsec, lambda in
 * um), as for MIRI LRS fixed slit (jwst docs, resample_spec: the output frame
 * is built from the inputs by fitting the spatial coordinate along the slit
 * linearly in pixels and tabulating the wavelengths along the dispersion):
 *
 * - wavelengths: for each detector row of the bounding box, the median
 *   wavelength of its pixel centres; NaNs dropped, sorted, made unique and,
 *   for MIRI LRS fixed slit, put in decreasing order so the output rows run in
 *   the detector's direction; output row j has wavelength wave[j];
 * - spatial sampling: the slope of a linear fit of alpha against pixel index
 *   along the row at the middle of the bounding box (the input pixel scale),
 *   divided by pixel_scale_ratio, or `pixel_scale` (arcsec) when given;
 * - spatial extent: all pixel centres of all inputs' bounding boxes; the grid
 *   is centred on the mean alpha of the middle row (one input) or on the middle
 *   of the extent (several inputs).
 *
 * Output pixel (x, y), 0-based: alpha = alphaC + step * (x - (nx - 1) / 2),
 * lambda = wave[y] (linear between rows).
 */
import type { TransformSpec } from '../asdf/transforms/index.ts';
import { Wcs, type WcsFrame } from '../wcs/wcs.ts';

export interface SpecGrid {
  readonly nx: number;
  readonly ny: number;
  /** Slit coordinate (arcsec) at the centre column (nx - 1) / 2. */
  readonly alphaC: number;
  /** Signed step of alpha per output column (arcsec). */
  readonly step: number;
  /** Wavelength (um) of each output row, monotonic. */
  readonly wave: Float64Array;
  /** Input pixel scale along the slit (arcsec), from the fit. */
  readonly inputScale: number;
}

/** Alpha and lambda at the pixel centres of a WCS's bounding box (row-major over the box). */
export interface BoxSample {
  readonly x0: number; readonly y0: number; readonly nx: number; readonly ny: number;
  readonly alpha: Float64Array; readonly lambda: Float64Array;
}

/** Evaluate detector -> alpha_beta at the pixel centres inside the bounding box. */
export function sampleBox(wcs: Wcs): BoxSample {
  const bb = wcs.boundingBox;
  if (!bb || bb.length < 2) throw new RangeError('the WCS has no detector bounding box');
  const x0 = Math.ceil(bb[0]![0]), x1 = Math.floor(bb[0]![1]), y0 = Math.ceil(bb[1]![0]), y1 = Math.floor(bb[1]![1]);
  const nx = x1 - x0 + 1, ny = y1 - y0 + 1;
  const xs = new Float64Array(nx * ny), ys = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) { xs[j * nx + i] = x0 + i; ys[j * nx + i] = y0 + j; }
  const out = wcs.evaluate([xs, ys], { to: 'alpha_beta' });
  return { x0, y0, nx, ny, alpha: out[0]!, lambda: out[out.length - 1]! };
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Least-squares slope of v against 0..n-1, ignoring NaN. */
function fitSlope(v: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < v.length; i++) {
    const y = v[i]!;
    if (!Number.isFinite(y)) continue;
    n++; sx += i; sy += y; sxx += i * i; sxy += i * y;
  }
  return n < 2 ? NaN : (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

export interface GridOptions {
  readonly pixelScaleRatio: number;
  /** arcsec; overrides pixelScaleRatio. */
  readonly pixelScale: number | null;
  /** [x, y] = [spatial, spectral] sizes, overriding the computed ones. */
  readonly outputShape: readonly number[] | null;
  /** Put wavelengths in decreasing order (MIRI LRS fixed slit). */
  readonly descending: boolean;
}

/** Build the grid from box samples of every input (alpha already shifted into the first input's slit frame). */
export function buildSpecGrid(samples: readonly BoxSample[], opts: GridOptions): SpecGrid {
  const first = samples[0]!;
  const waves: number[] = [];
  for (const s of samples) {
    for (let j = 0; j < s.ny; j++) {
      const row: number[] = [];
      for (let i = 0; i < s.nx; i++) { const l = s.lambda[j * s.nx + i]!; if (Number.isFinite(l)) row.push(l); }
      const m = median(row);
      if (Number.isFinite(m)) waves.push(m);
    }
  }
  let wave = [...new Set(waves)].sort((a, b) => a - b);
  if (wave.length < 2) throw new RangeError('fewer than two wavelengths inside the bounding box: cannot build the output grid');
  if (opts.descending) wave.reverse();
  const mid = Math.trunc((first.ny - 1) / 2);
  const midRow = first.alpha.subarray(mid * first.nx, (mid + 1) * first.nx);
  const slope = fitSlope(midRow);
  if (!Number.isFinite(slope) || slope === 0) throw new RangeError('cannot fit the spatial sampling along the slit (middle row of the bounding box has no valid alpha)');
  const inputScale = Math.abs(slope);
  const outScale = opts.pixelScale ?? inputScale / opts.pixelScaleRatio;
  if (!(outScale > 0)) throw new RangeError(`invalid output pixel scale ${outScale}`);
  let amin = Infinity, amax = -Infinity;
  for (const s of samples) for (const a of s.alpha) if (Number.isFinite(a)) { amin = Math.min(amin, a); amax = Math.max(amax, a); }
  let alphaC: number;
  if (samples.length === 1) {
    let n = 0, sum = 0;
    for (const a of midRow) if (Number.isFinite(a)) { n++; sum += a; }
    alphaC = sum / n;
  } else alphaC = (amin + amax) / 2;
  let nx = Math.max(1, Math.ceil((amax - amin) / outScale));
  if (opts.outputShape) {
    nx = opts.outputShape[0]!;
    wave = resizeWave(wave, opts.outputShape[1]!);
  }
  return { nx, ny: wave.length, alphaC, step: Math.sign(slope) * outScale, wave: Float64Array.from(wave), inputScale };
}

/** Truncate, or extend linearly with the last step, a wavelength table to n rows. */
function resizeWave(wave: number[], n: number): number[] {
  if (n <= wave.length) return wave.slice(0, n);
  const out = [...wave], d = wave[wave.length - 1]! - wave[wave.length - 2]!;
  while (out.length < n) out.push(out[out.length - 1]! + d);
  return out;
}

/** Output column of slit coordinate alpha. */
export function alphaToX(g: SpecGrid, alpha: number): number {
  return (alpha - g.alphaC) / g.step + (g.nx - 1) / 2;
}

/** Fractional output row of wavelength lambda (linear between rows, extrapolated beyond the ends). */
export function waveToY(g: SpecGrid, lambda: number): number {
  const w = g.wave, n = w.length;
  if (!Number.isFinite(lambda)) return NaN;
  const asc = w[n - 1]! > w[0]!;
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if ((w[m]! <= lambda) === asc) lo = m; else hi = m;
  }
  return lo + (lambda - w[lo]!) / (w[hi]! - w[lo]!);
}

/**
 * The output WCS: output pixels -> the first input's alpha_beta frame
 * (alpha, beta = 0, lambda), then the first input's own frames to the sky.
 */
export function outputWcs(g: SpecGrid, inputWcs: Wcs): Wcs {
  const c = (g.nx - 1) / 2;
  const alphaT: TransformSpec = { type: 'compose', forward: [{ type: 'shift', offset: -c }, { type: 'scale', factor: g.step }, { type: 'shift', offset: g.alphaC }] };
  const alphaInv: TransformSpec = { type: 'compose', forward: [{ type: 'shift', offset: -g.alphaC }, { type: 'scale', factor: 1 / g.step }, { type: 'shift', offset: c }] };
  const rows = Array.from({ length: g.ny }, (_, j) => j);
  const w = Array.from(g.wave);
  const asc = w[w.length - 1]! > w[0]!;
  const tab = (points: number[], values: number[], name: string): TransformSpec => ({ type: 'tabular', name, points: [points], lookup_table: values, method: 'linear', bounds_error: false, fill_value: null });
  const waveT = tab(rows, w, 'pix2wavelength');
  const waveInv = asc ? tab(w, rows, 'wavelength2pix') : tab([...w].reverse(), [...rows].reverse(), 'wavelength2pix');
  const fwd: TransformSpec = {
    type: 'compose',
    forward: [{ type: 'remap_axes', mapping: [0, 0, 1], n_inputs: 2 }, { type: 'concatenate', forward: [alphaT, { type: 'constant', value: 0, dimensions: 1 }, waveT] }],
    inverse: { type: 'compose', forward: [{ type: 'remap_axes', mapping: [0, 2], n_inputs: 3 }, { type: 'concatenate', forward: [alphaInv, waveInv] }] },
    bounding_box: [[-0.5, g.nx - 0.5], [-0.5, g.ny - 0.5]],
  };
  const det: WcsFrame = { name: 'detector', axes: ['x', 'y'], units: ['pixel', 'pixel'] };
  const steps = inputWcs.steps;
  const ab = steps.findIndex((s) => s.frame.name === 'alpha_beta');
  if (ab < 0) throw new RangeError('the input WCS has no alpha_beta frame');
  return new Wcs([{ frame: det, transform: fwd }, ...steps.slice(ab)]);
}
