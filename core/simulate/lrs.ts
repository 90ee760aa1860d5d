/**
 * The MIRI LRS slitless scene: the wavelength solution and trace, a
 * blackbody star normalised by its K magnitude, the instrument sensitivity
 * (whose inverse is the PHOTOM relative response, so photom + extract_1d give
 * back the star's flux density), a thermal background rising with
 * wavelength and a flat field. Pure numbers; lrs-refs.ts turns them into
 * reference files.
 *
 * Wavelength solution: our own smooth fit of the shape of the LRS prism
 * dispersion, lambda = 3.7 + 0.418 s^0.538 um with s = 94 - y_center, over
 * y_center = 94 .. -293 (388 rows), and a slightly curved trace
 * x_center = 0.124 - 7e-4 s - 6.6e-6 s^2 (pixels). y_center/x_center are
 * offsets from the slitless reference point (IMXSLTL, IMYSLTL) = (38.5, 829)
 * in 1-based full-frame pixels, so in 0-based SLITLESSPRISM pixels
 * row = y_center + 300, column = x_center + 37.5.
 */
import { gaussian } from '../random/index.ts';
import { MIRI_SUBARRAYS } from './subarrays.ts';

export const LRS_SUB = MIRI_SUBARRAYS.SLITLESSPRISM!;
export const IMXSLTL = 38.5, IMYSLTL = 829, IMX = 326.13, IMY = 300.7;
export const PIXAR_SR = 2.8606e-13, PIXAR_A2 = 0.01217;
/** Peak sensitivity: DN/s summed over a row per Jy of source flux density. */
export const SENSITIVITY_PEAK = 1.5e5;
/** PHOTMJSR: MJy/sr per DN/s at the sensitivity peak (relresponse = 1 there). */
export const PHOTMJSR = 1 / (1e6 * PIXAR_SR * SENSITIVITY_PEAK);
/** 2MASS Ks zero point (Cohen et al. 2003), Jy at 2.159 um. */
export const K_ZERO_JY = 666.7, K_WAVE_UM = 2.159;

const ROW0 = IMYSLTL - LRS_SUB.ystart; // y_center 0 -> 0-based row 300
const COL0 = IMXSLTL - 1 - (LRS_SUB.xstart - 1); // x_center 0 -> column 37.5
export const NTABLE = 388;

export interface WaveRow { readonly yCenter: number; readonly xCenter: number; readonly wavelength: number }

/** The 388 WAVETABLE rows (y_center 94 down to -293). */
export function waveTable(): WaveRow[] {
  return Array.from({ length: NTABLE }, (_, k) => {
    const s = k;
    return { yCenter: 94 - k, xCenter: 0.124 - 7e-4 * s - 6.6e-6 * s * s, wavelength: 3.7 + 0.418 * s ** 0.538 };
  });
}

/** Wavelength (um) and trace column of 0-based subarray row `row`, or undefined off the table. */
export function traceAt(row: number): { wavelength: number; column: number } | undefined {
  const s = 94 - (row - ROW0);
  if (s < 0 || s > NTABLE - 1) return undefined;
  return { wavelength: 3.7 + 0.418 * s ** 0.538, column: COL0 + 0.124 - 7e-4 * s - 6.6e-6 * s * s };
}

/** Planck B_nu up to a constant, wavelength in um, T in K. */
function planckNu(um: number, teff: number): number {
  const x = 14387.7688 / (um * teff); // h c / (lambda k T), lambda in um
  return 1 / (um ** 3 * Math.expm1(x));
}

/** Star flux density (Jy) at `um` for a blackbody of `teff` with K magnitude `kmag`. */
export function starFluxJy(um: number, teff: number, kmag: number): number {
  return K_ZERO_JY * 10 ** (-0.4 * kmag) * (planckNu(um, teff) / planckNu(K_WAVE_UM, teff));
}

/** Row-summed sensitivity (DN/s per Jy) at `um`: a broad prism/detector throughput. */
export function sensitivity(um: number): number {
  return SENSITIVITY_PEAK * (0.03 + 0.97 * Math.exp(-0.5 * ((um - 7.5) / 2.4) ** 2));
}

/** PHOTOM relative response at `um` (photom multiplies DN/s by PHOTMJSR * relresponse). */
export function relResponse(um: number): number {
  return SENSITIVITY_PEAK / sensitivity(um);
}

/** Thermal background per pixel, DN/s, rising steeply beyond 10 um. */
export function backgroundRate(um: number): number {
  return 0.5 + 2 * Math.exp((um - 10) / 1.6);
}

/** Cross-dispersion PSF width (Gaussian sigma, pixels) at `um`. */
export function psfSigma(um: number): number {
  return 0.75 + 0.07 * (um - 5);
}

const erf = (x: number): number => {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  const s = Math.sign(x), a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
};

/** Fraction of a Gaussian (centre c, sigma s) falling in pixel x (x - 0.5 .. x + 0.5). */
export function pixelFraction(x: number, c: number, s: number): number {
  const k = 1 / (Math.SQRT2 * s);
  return 0.5 * (erf((x + 0.5 - c) * k) - erf((x - 0.5 - c) * k));
}

/** Seeded flat field (ny, nx): 1% pixel-to-pixel, a 2% smooth pattern; NaN in the reference columns. */
export function flatField(seed: number): Float32Array {
  const { ysize: ny, xsize: nx } = LRS_SUB;
  const g = gaussian(seed ^ 0xf1a70001);
  const out = new Float32Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      out[y * nx + x] = x < 4 ? NaN : 1 + 0.02 * Math.sin((2 * Math.PI * y) / 180) * Math.cos((2 * Math.PI * x) / 60) + 0.01 * g();
    }
  }
  return out;
}

export interface LrsScene {
  /** Star slope (DN/s) at full stellar flux, times the flat, (ny, nx). */
  readonly star: Float32Array;
  /** Background slope (DN/s), times the flat, (ny, nx). */
  readonly background: Float32Array;
  readonly flat: Float32Array;
}

/** The star and background slope maps for a star of `teff` and `kmag`. */
export function lrsScene(teff: number, kmag: number, seed: number): LrsScene {
  const { ysize: ny, xsize: nx } = LRS_SUB;
  const flat = flatField(seed);
  const star = new Float32Array(ny * nx), background = new Float32Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    const tr = traceAt(y);
    const wl = tr?.wavelength ?? traceAt(y < ROW0 ? ROW0 - 293 : ROW0 + 94)!.wavelength;
    for (let x = 4; x < nx; x++) {
      const p = y * nx + x, f = flat[p]!;
      background[p] = backgroundRate(wl) * f;
      if (tr) star[p] = starFluxJy(wl, teff, kmag) * sensitivity(wl) * pixelFraction(x, tr.column, psfSigma(wl)) * f;
    }
  }
  return { star, background, flat };
}
