/**
 * MIRI LRS photometric calibration (jwst docs, photom "MIRI LRS" and the
 * PHOTOM reference description): the row of the PHOTOM table matching FILTER
 * and SUBARRAY gives PHOTMJSR (MJy/sr per DN/s) and a relative response
 * tabulated in wavelength (first NELEM entries). Each pixel's conversion is
 * PHOTMJSR times the response linearly interpolated at the pixel's wavelength;
 * pixels with no wavelength or outside the tabulated range get no calibration
 * (conversion 0). SCI and ERR are multiplied by the conversion, the variances
 * by its square.
 */

export interface LrsPhotomRow {
  readonly filter: string;
  readonly subarray: string;
  readonly photmjsr: number;
  readonly uncertainty: number;
  readonly nelem: number;
  readonly wavelength: Float64Array;
  readonly relresponse: Float64Array;
}

/** 1 MJy/sr in uJy/arcsec^2 = 1e12 * (arcsec in rad)^2 (PHOTUJA2 = PHOTMJSR * this). */
export const MJSR_TO_UJA2 = 1e12 * (Math.PI / 648000) ** 2;

/** np.interp-like linear interpolation on increasing x; NaN outside [x0, xn]. */
export function interpNaN(xq: number, x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (!(xq >= x[0]!) || !(xq <= x[n - 1]!)) return NaN;
  let a = 0, b = n - 1;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (x[m]! <= xq) a = m; else b = m;
  }
  if (xq === x[b]) return y[b]!;
  const t = (xq - x[a]!) / (x[b]! - x[a]!);
  return y[a]! + t * (y[b]! - y[a]!);
}

/**
 * Per-pixel conversion (ny*nx) from a wavelength map (um, NaN = none) and a
 * PHOTOM row; `noCal[i]` marks pixels without a calibration (conversion 0).
 */
export function lrsConversion(wavelength: ArrayLike<number>, row: LrsPhotomRow): { conversion: Float64Array; noCal: Uint8Array } {
  const n = row.nelem > 0 ? Math.min(row.nelem, row.wavelength.length) : row.wavelength.length;
  let w = Array.from(row.wavelength.subarray(0, n));
  let r = Array.from(row.relresponse.subarray(0, n));
  if (!w.every((v, i) => i === 0 || v > w[i - 1]!)) {
    const idx = w.map((_, i) => i).sort((a, b) => w[a]! - w[b]!);
    w = idx.map((i) => w[i]!);
    r = idx.map((i) => r[i]!);
  }
  const conversion = new Float64Array(wavelength.length);
  const noCal = new Uint8Array(wavelength.length);
  for (let i = 0; i < wavelength.length; i++) {
    const wl = wavelength[i]!;
    const rel = interpNaN(Number.isNaN(wl) ? -1 : wl, w, r);
    if (Number.isNaN(rel)) { noCal[i] = 1; conversion[i] = 0; } else conversion[i] = row.photmjsr * rel;
  }
  return { conversion, noCal };
}

export interface PhotomArrays {
  data: Float32Array;
  err?: Float32Array;
  varPoisson?: Float32Array;
  varRnoise?: Float32Array;
  varFlat?: Float32Array;
}

/** Multiply SCI/ERR by the per-pixel conversion and the variances by its square (every plane). */
export function applyConversion(a: PhotomArrays, conversion: Float64Array): PhotomArrays {
  const plane = conversion.length;
  const scale = (src: Float32Array | undefined, sq: boolean): Float32Array | undefined => {
    if (!src) return undefined;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const c = conversion[i % plane]!;
      out[i] = src[i]! * (sq ? c * c : c);
    }
    return out;
  };
  return {
    data: scale(a.data, false)!, err: scale(a.err, false),
    varPoisson: scale(a.varPoisson, true), varRnoise: scale(a.varRnoise, true), varFlat: scale(a.varFlat, true),
  };
}

/**
 * Make NaNs and DO_NOT_USE agree (jwst lib "match_nans_and_flags", applied at
 * the end of photom): a pixel that is DO_NOT_USE, or NaN in SCI, ERR or a
 * variance, becomes NaN in all of them and DO_NOT_USE in DQ. In place.
 */
export function matchNansAndFlags(a: PhotomArrays, dq: Uint32Array, doNotUse: number): void {
  const arrs = [a.data, a.err, a.varPoisson, a.varRnoise, a.varFlat].filter((x): x is Float32Array => x !== undefined);
  for (let i = 0; i < dq.length; i++) {
    let bad = (dq[i]! & doNotUse) !== 0;
    for (const x of arrs) if (Number.isNaN(x[i]!)) bad = true;
    if (!bad) continue;
    dq[i] = (dq[i]! | doNotUse) >>> 0;
    for (const x of arrs) x[i] = NaN;
  }
}
