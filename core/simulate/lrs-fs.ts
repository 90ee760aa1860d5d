/**
 * The MIRI LRS fixed-slit scene (EXP_TYPE MIR_LRS-FIXEDSLIT, FULL frame of
 * MIRIMAGE): the same prism wavelength solution and star/sensitivity model as
 * the slitless simulation (lrs.ts), placed at the slit reference point of the
 * real FS specwcs (jwst_miri_specwcs_0005.fits: IMX = 326.13, IMY = 300.7,
 * 1-based full frame; its WAVETABLE offsets y_center 94 .. -293 and the
 * corner columns x0/x1 = x_center -/+ 20 px give a 40-pixel slit along x and
 * the dispersion along y). A star at a nod position along the slit (offset in
 * arcsec from the slit centre), the thermal sky filling the slit, a faint
 * stray level outside it and a full-frame flat. Pure numbers.
 *
 * Pixel rows: 0-based row j has y_center = j - (IMY - 1), i.e. table index
 * s = 94 - y_center; trace column = IMX - 1 + x_center(s) + nod offset / scale.
 */
import { gaussian } from '../random/index.ts';
import { backgroundRate, IMX, IMY, NTABLE, pixelFraction, psfSigma, sensitivity, starFluxJy } from './lrs.ts';
import { MIRI_SUBARRAYS } from './subarrays.ts';

export const FS_SUB = MIRI_SUBARRAYS.FULL!;
/** Half length of the slit in pixels (the WAVETABLE corner columns x0, x1 = x_center -/+ 20). */
export const SLIT_HALF_PX = 20;
/** Slit pixel scale of the simulated distortion (arcsec per pixel along x): lrs-refs.ts distortionRef. */
export const FS_PIXEL_SCALE = 0.1109;
/** Signal outside the slit (DN/s): the stray/dark level of the rest of the detector. */
export const OFF_SLIT_RATE = 0.2;

/** Table abscissa s (0 .. 387) of a 0-based full-frame row, fractional. */
export function tableIndex(row: number): number {
  return 94 - (row - (IMY - 1));
}

/** Wavelength (um) and slit-centre column of a 0-based full-frame row, or undefined off the table. */
export function fsTraceAt(row: number): { wavelength: number; centre: number } | undefined {
  const s = tableIndex(row);
  if (s < 0 || s > NTABLE - 1) return undefined;
  return { wavelength: 3.7 + 0.418 * s ** 0.538, centre: IMX - 1 + 0.124 - 7e-4 * s - 6.6e-6 * s * s };
}

/** Column offset (pixels) of a nod at `arcsec` from the slit centre (+ = increasing x). */
export function nodPixels(arcsec: number): number {
  return arcsec / FS_PIXEL_SCALE;
}

/** Seeded full-frame flat (ny, nx): 1% pixel-to-pixel and a 2% smooth pattern; NaN in the 4 reference columns each side. */
export function fsFlat(seed: number): Float32Array {
  const { ysize: ny, xsize: nx } = FS_SUB;
  const g = gaussian(seed ^ 0xf5f1a700);
  const out = new Float32Array(ny * nx);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      out[y * nx + x] = x < 4 || x >= nx - 4 ? NaN : 1 + 0.02 * Math.sin((2 * Math.PI * y) / 180) * Math.cos((2 * Math.PI * x) / 60) + 0.01 * g();
    }
  }
  return out;
}

export interface FsScene {
  /** Star slope (DN/s) times the flat, (ny, nx). */
  readonly star: Float32Array;
  /** Sky (in the slit) plus off-slit level, DN/s, times the flat, (ny, nx). */
  readonly background: Float32Array;
}

/** Slope maps of one nod: star at `nodArcsec` along the slit, K magnitude `kmag`, blackbody `teff`. */
export function fsScene(teff: number, kmag: number, nodArcsec: number, flat: Float32Array): FsScene {
  const { ysize: ny, xsize: nx } = FS_SUB;
  const star = new Float32Array(ny * nx), background = new Float32Array(ny * nx);
  const off = nodPixels(nodArcsec);
  for (let y = 0; y < ny; y++) {
    const tr = fsTraceAt(y);
    const edge = fsTraceAt(y < IMY - 1 ? IMY - 1 + 94 - (NTABLE - 1) : IMY - 1 + 94)!;
    const wl = (tr ?? edge).wavelength, centre = (tr ?? edge).centre;
    const sky = tr ? backgroundRate(wl) : 0;
    const fj = tr ? starFluxJy(wl, teff, kmag) * sensitivity(wl) : 0, sig = psfSigma(wl);
    for (let x = 4; x < nx - 4; x++) {
      const p = y * nx + x, f = flat[p]!;
      const inSlit = Math.abs(x - centre) <= SLIT_HALF_PX;
      background[p] = (inSlit ? sky : 0) * f + OFF_SLIT_RATE * f;
      if (fj > 0 && Math.abs(x - centre - off) < 8) star[p] = fj * pixelFraction(x, centre + off, sig) * f;
    }
  }
  return { star, background };
}

export interface NoisyRate {
  readonly data: Float32Array;
  readonly varPoisson: Float32Array;
  readonly varRnoise: Float32Array;
  readonly err: Float32Array;
}

/**
 * A noisy rate image (DN/s) of `slope`: Gaussian noise with the Poisson
 * variance slope / (gain texp) and a read-noise variance `rnRate2` (DN/s)^2,
 * the variances computed from the true slope (as ramp fitting would from its
 * model). NaN slope (reference columns) stays NaN.
 */
export function noisyRate(slope: Float32Array, gain: number, texp: number, rnRate2: number, seed: number): NoisyRate {
  const n = slope.length, g = gaussian(seed);
  const data = new Float32Array(n), vp = new Float32Array(n), vr = new Float32Array(n).fill(rnRate2), err = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const s = slope[p]!;
    vp[p] = Math.max(s, 0) / (gain * texp);
    err[p] = Math.sqrt(vp[p]! + rnRate2);
    data[p] = s + err[p]! * g();
  }
  return { data, varPoisson: vp, varRnoise: vr, err };
}
