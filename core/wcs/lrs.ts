/**
 * The MIRI LRS (fixed slit and slitless) WCS, as jwst's assign_wcs documents
 * and builds it (jwst docs "assign_wcs: MIRI LRS"; frames detector ->
 * alpha_beta -> v2v3 -> v2v3vacorr -> world):
 *
 * - zero point: the specwcs IMX/IMY (fixed slit) or IMXSLTL/IMYSLTL (slitless,
 *   full-frame 1-based, moved into the subarray) minus one;
 * - the pixel scale along the slit: distance in v2v3 between the zero point and
 *   one pixel to its right through the distortion;
 * - the trace: x_center(y) and wavelength(y) from the WAVETABLE, each smoothed
 *   with a cubic smoothing spline (S = 0.002) in y and tabulated at the table
 *   rows (linear lookup, NaN outside);
 * - alpha = pscale * (x - xshift(y) - x_zero), beta = 0, lambda = wave(y);
 * - bounding box: slitless x from the subarray (4 reference columns left out),
 *   y from the WAVETABLE corner columns; fixed slit both from the corners.
 */
import type { TransformSpec, Interval } from '../asdf/transforms/index.ts';
import { buildTransform } from '../asdf/transforms/index.ts';
import { dvaCorrSpec, v23ToSkySpec, type Pointing } from './pointing.ts';
import { evalSpline, smoothingSpline } from './spline.ts';
import { Wcs, type WcsFrame } from './wcs.ts';

/** The MiriLRSSpecwcsModel content used by the WCS (WAVETABLE columns, relative to the zero point). */
export interface LrsSpecwcs {
  readonly xCenter: ArrayLike<number>;
  readonly yCenter: ArrayLike<number>;
  readonly wavelength: ArrayLike<number>;
  /** Corner columns: x0/y0 upper left, x1 upper right, y2 lower right. */
  readonly x0: ArrayLike<number>;
  readonly y0: ArrayLike<number>;
  readonly x1: ArrayLike<number>;
  readonly y2: ArrayLike<number>;
  /** IMX/IMY: fixed-slit reference pixel (1-based full frame). */
  readonly imx?: number;
  readonly imy?: number;
  /** IMXSLTL/IMYSLTL: slitless reference pixel (1-based full frame). */
  readonly imxsltl?: number;
  readonly imysltl?: number;
}

export interface LrsExposure {
  readonly expType: 'MIR_LRS-FIXEDSLIT' | 'MIR_LRS-SLITLESS';
  /** Subarray window, 1-based (SUBSTRT1/2, SUBSIZE1/2). */
  readonly xstart: number;
  readonly ystart: number;
  readonly xsize: number;
  readonly ysize: number;
  readonly pointing: Pointing;
  /** VA_SCALE; undefined = no correction. */
  readonly vaScale?: number;
  /** VELOSYS (m/s): barycentric correction of the wavelengths, if given. */
  readonly velosys?: number;
}

/** jwst uses this smoothing factor for both trace splines. */
export const LRS_SPLINE_S = 0.002;
const C_M_PER_S = 299792458;

const shift = (offset: number): TransformSpec => ({ type: 'shift', offset });
const map = (mapping: number[], n_inputs: number): TransformSpec => ({ type: 'remap_axes', mapping, n_inputs });
const lin = (c1: number): TransformSpec => ({ type: 'polynomial', coefficients: [0, c1] });
const cat = (...forward: TransformSpec[]): TransformSpec => ({ type: 'concatenate', forward });
const seq = (...forward: TransformSpec[]): TransformSpec => ({ type: 'compose', forward });

/** Subarray pixels -> full-frame pixels, or undefined for a full-frame window. */
export function subarrayToFull(xstart: number, ystart: number): TransformSpec | undefined {
  if (xstart === 1 && ystart === 1) return undefined;
  const part = (s: number): TransformSpec => (s === 1 ? { type: 'identity', n_dims: 1 } : shift(s - 1));
  return cat(part(xstart), part(ystart));
}

function tabulated(points: number[], values: number[], name: string): TransformSpec {
  return { type: 'tabular', name, points: [points], lookup_table: values, method: 'linear', bounds_error: false, fill_value: null };
}

function minOf(a: ArrayLike<number>): number { let m = Infinity; for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!); return m; }
function maxOf(a: ArrayLike<number>): number { let m = -Infinity; for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!); return m; }

/** Zero point in subarray pixels (0-based). */
export function lrsZeroPoint(exp: LrsExposure, ref: LrsSpecwcs): [number, number] {
  if (exp.expType === 'MIR_LRS-FIXEDSLIT') {
    if (ref.imx === undefined || ref.imy === undefined) throw new RangeError('specwcs has no IMX/IMY (fixed-slit reference point)');
    return [ref.imx - 1, ref.imy - 1];
  }
  if (ref.imxsltl === undefined || ref.imysltl === undefined) throw new RangeError('specwcs has no IMXSLTL/IMYSLTL (slitless reference point)');
  return [ref.imxsltl - 1 - (exp.xstart - 1), ref.imysltl - 1 - (exp.ystart - 1)];
}

/** Smoothed trace tables: y rows (subarray), x shift and wavelength at each row. */
export function lrsTrace(ref: LrsSpecwcs, zero: [number, number]): { y: number[]; xshift: number[]; wave: number[] } {
  const n = ref.yCenter.length;
  const y = Array.from({ length: n }, (_, i) => ref.yCenter[i]! + zero[1]);
  const xs = Array.from({ length: n }, (_, i) => ref.xCenter[i]! + zero[0] - zero[0]);
  const wl = Array.from(ref.wavelength, Number);
  // The spline needs increasing abscissae: the table runs in decreasing y.
  const order = y.map((_, i) => i).sort((a, b) => y[a]! - y[b]!);
  const fit = (v: number[]) => smoothingSpline(order.map((i) => y[i]!), order.map((i) => v[i]!), LRS_SPLINE_S);
  const sx = fit(xs), sw = fit(wl);
  return { y, xshift: y.map((v) => evalSpline(sx, v)), wave: y.map((v) => evalSpline(sw, v)) };
}

function boundingBox(exp: LrsExposure, ref: LrsSpecwcs, zero: [number, number]): Interval[] {
  const yb: Interval = [Math.floor(minOf(ref.y2) + zero[1]) - 0.5, Math.ceil(maxOf(ref.y0) + zero[1]) + 0.5];
  if (exp.expType === 'MIR_LRS-SLITLESS') return [[exp.xstart - 1 + 4 - 0.5, exp.xsize - 1 + 0.5], yb];
  return [[Math.floor(minOf(ref.x0) + zero[0]) - 0.5, Math.ceil(maxOf(ref.x1) + zero[0]) + 0.5], yb];
}

/** Build the LRS WCS from the specwcs content, the distortion (full-frame pixels -> v2v3 arcsec) and the exposure. */
export function buildLrsWcs(exp: LrsExposure, ref: LrsSpecwcs, distortion: TransformSpec): Wcs {
  const zero = lrsZeroPoint(exp, ref);
  const s2f = subarrayToFull(exp.xstart, exp.ystart);
  const subDist: TransformSpec = s2f ? seq(s2f, distortion) : distortion;
  const dist = buildTransform(subDist);
  const [v2c, v3c] = dist.call(zero[0], zero[1]) as [number, number];
  const [v2o, v3o] = dist.call(zero[0] + 1, zero[1]) as [number, number];
  const pscale = Math.sqrt((v2c - v2o) ** 2 + (v3c - v3o) ** 2);

  const tr = lrsTrace(ref, zero);
  const dx = tabulated(tr.y, tr.xshift, 'xshiftref');
  let wave = tabulated(tr.y, tr.wave, 'waveref');
  if (exp.velosys !== undefined && exp.velosys !== 0) {
    const f = 1 + exp.velosys / C_M_PER_S;
    wave = seq(wave, { type: 'scale', factor: f, name: 'velocity_correction' });
  }
  const waveInv = buildTransform(wave).inverse;
  if (!waveInv) throw new RangeError('specwcs wavelengths are not monotonic in y: the wavelength -> y inverse is undefined');

  const xmodel: TransformSpec = { type: 'subtract', forward: [map([0], 2), seq(map([1], 2), dx)] };
  const xymodel = seq(map([0, 1, 0, 1], 2), cat(xmodel, map([1], 2)));
  const alpha = seq(map([0], 2), shift(-zero[0]), lin(pscale));
  const ab = seq(map([0, 1, 0], 2), cat(alpha, { type: 'constant', value: 0, dimensions: 1 }));
  const ref0 = seq(cat(shift(-zero[0]), shift(-zero[1])), cat(shift(zero[0]), shift(zero[1])));
  const slitx = seq(lin(1 / pscale), shift(zero[0]));
  const backwards: TransformSpec = { type: 'add', forward: [map([0], 2), seq(map([1], 2), dx)] };
  const dettoabl: TransformSpec = {
    ...seq(map([0, 1, 0, 1], 2), cat(seq(ref0, xymodel, ab), seq(map([1], 2), wave))),
    inverse: seq(map([0, 1, 2, 0, 1, 2], 3), cat(seq(map([0, 2], 3), cat(slitx, waveInv.spec), backwards), seq(map([2], 3), waveInv.spec))),
    bounding_box: boundingBox(exp, ref, zero),
  };

  const slity = seq(lin(1 / pscale), shift(zero[1]));
  const distInv = dist.inverse;
  const abl2v23: TransformSpec = {
    ...seq(map([0, 1, 2], 3), cat(seq(cat(slitx, slity), subDist), { type: 'identity', n_dims: 1 })),
    ...(distInv ? {
      inverse: seq(map([0, 1, 2], 3), cat(seq(distInv.spec, cat(seq(shift(-zero[0]), lin(pscale)), seq(shift(-zero[1]), lin(pscale)))), { type: 'identity', n_dims: 1 })),
    } : {}),
  };
  const p = exp.pointing;
  const va = cat(dvaCorrSpec(exp.vaScale, p.v2_ref, p.v3_ref), { type: 'identity', n_dims: 1 });
  const sky = cat(v23ToSkySpec(p), { type: 'identity', n_dims: 1 });
  const f = (name: string, axes: string[], units: string[]): WcsFrame => ({ name, axes, units });
  return new Wcs([
    { frame: f('detector', ['x', 'y'], ['pixel', 'pixel']), transform: dettoabl },
    { frame: f('alpha_beta', ['alpha', 'beta', 'lambda'], ['arcsec', 'arcsec', 'um']), transform: abl2v23 },
    { frame: f('v2v3', ['v2', 'v3', 'lambda'], ['arcsec', 'arcsec', 'um']), transform: va },
    { frame: f('v2v3vacorr', ['v2', 'v3', 'lambda'], ['arcsec', 'arcsec', 'um']), transform: sky },
    { frame: f('world', ['RA', 'DEC', 'lambda'], ['deg', 'deg', 'um']), transform: null },
  ]);
}

/**
 * Wavelength (um) at every pixel centre of a (ny, nx) image: the detector ->
 * alpha_beta lambda output, NaN outside the bounding box or the trace table.
 */
export function wavelengthMap(wcs: Wcs, ny: number, nx: number): Float32Array {
  const n = ny * nx;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) { xs[j * nx + i] = i; ys[j * nx + i] = j; }
  const out = wcs.evaluate([xs, ys], { to: wcs.frames[1] });
  return Float32Array.from(out[out.length - 1]!);
}
