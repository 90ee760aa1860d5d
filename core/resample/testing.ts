/**
 * A small synthetic MIRI LRS fixed-slit exposure for tests: a specwcs-like
 * trace table (wavelength 5-~11 um along 51 rows, slightly tilted trace), an
 * affine distortion (0.11"/px rotated 4.83 deg) and a pointing; and images
 * with sources injected at known slit positions and wavelengths.
 */
import type { TransformSpec } from '../asdf/transforms/index.ts';
import { buildLrsWcs, lrsZeroPoint, type LrsExposure, type LrsSpecwcs } from '../wcs/lrs.ts';
import type { Wcs } from '../wcs/wcs.ts';

export const FIX = { nx: 40, ny: 60, imx: 20.5, imy: 30, rows: 51 } as const;

export function fixtureSpecwcs(): LrsSpecwcs {
  const k = Array.from({ length: FIX.rows }, (_, i) => i);
  const yc = k.map((i) => 25 - i), xc = k.map((i) => 0.3 - 0.012 * i);
  return {
    yCenter: yc, xCenter: xc, wavelength: k.map((i) => 5 + 0.08 * i + 0.0008 * i * i),
    x0: xc.map((v) => v - 9), x1: xc.map((v) => v + 9), y0: yc.map((v) => v + 0.5), y2: yc.map((v) => v - 0.5),
    imx: FIX.imx, imy: FIX.imy,
  };
}

export function fixtureDistortion(): TransformSpec {
  const s = 0.11, th = (4.83 * Math.PI) / 180;
  const m = [[s * Math.cos(th), -s * Math.sin(th)], [s * Math.sin(th), s * Math.cos(th)]];
  return { type: 'affine', matrix: m, translation: [-378.63 - (m[0]![0]! * 325 + m[0]![1]! * 300), -344.93 - (m[1]![0]! * 325 + m[1]![1]! * 300)] };
}

export function fixtureExposure(over: Partial<LrsExposure['pointing']> = {}): LrsExposure {
  return {
    expType: 'MIR_LRS-FIXEDSLIT', xstart: 1, ystart: 1, xsize: FIX.nx, ysize: FIX.ny,
    pointing: { v2_ref: -378.63, v3_ref: -344.93, roll_ref: 30, ra_ref: 80.5, dec_ref: -69.5, ...over },
  };
}

export function fixtureWcs(over: Partial<LrsExposure['pointing']> = {}): Wcs {
  return buildLrsWcs(fixtureExposure(over), fixtureSpecwcs(), fixtureDistortion());
}

/** The pixel scale along the slit (arcsec) and the zero point (0-based pixels). */
export function fixtureGeometry(wcs: Wcs): { pscale: number; zero: [number, number] } {
  const a = wcs.evaluate([Float64Array.of(20, 21), Float64Array.of(30, 30)], { to: 'alpha_beta' })[0]!;
  return { pscale: a[1]! - a[0]!, zero: lrsZeroPoint(fixtureExposure(), fixtureSpecwcs()) };
}

/**
 * An image (ny, nx) with a Gaussian source at slit offset `alphaArcsec` from
 * the trace, Gaussian in x (sigma `sx` pixels) with `perRow(y)` total counts
 * per detector row; columns via the WCS (alpha(x, y) = alphaArcsec).
 */
export function traceImage(wcs: Wcs, alphaArcsec: number, sx: number, perRow: (y: number) => number): Float32Array {
  const { nx, ny } = FIX;
  const img = new Float32Array(nx * ny);
  const xs = new Float64Array(nx * ny), ys = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) { xs[j * nx + i] = i; ys[j * nx + i] = j; }
  const alpha = wcs.evaluate([xs, ys], { to: 'alpha_beta', withBoundingBox: false })[0]!;
  const { pscale } = fixtureGeometry(wcs);
  for (let j = 0; j < ny; j++) {
    const f = perRow(j);
    for (let i = 0; i < nx; i++) {
      const a = alpha[j * nx + i]!;
      if (!Number.isFinite(a)) continue;
      const dx = (a - alphaArcsec) / pscale;
      img[j * nx + i] = (f * Math.exp(-0.5 * (dx / sx) ** 2)) / (Math.sqrt(2 * Math.PI) * sx);
    }
  }
  return img;
}
