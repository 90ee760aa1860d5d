/**
 * The simulated MIRIMAGE detector: per-pixel gain, read noise, pedestal,
 * saturation level, dark current, reset anomaly, non-linearity, IPC kernel
 * and bad-pixel mask. The same numbers feed the ramp generator (ramp.ts) and
 * the reference files (refs.ts), so calwebb_detector1 with these references
 * undoes exactly what the simulation did.
 *
 * Conventions (jwst/stcal docs):
 * - READNOISE is the CDS noise (of a difference of two reads) in DN; one read
 *   carries readnoise / sqrt(2).
 * - GAIN is e-/DN; Poisson noise is drawn in electrons.
 * - LINEARITY COEFFS c_k (k = 0..3) give corrected = sum c_k raw^k; we use
 *   c = [0, 1, b2, 0] and generate raw = the exact inverse of that quadratic.
 * - RESET is an additive anomaly in the first RESET_GROUPS groups, one plane
 *   set for the first integration and one for the others (DQ/ERR as real files).
 * - DARK holds the accumulated dark signal in DN per group, for integration 1
 *   and integrations 2+ (DarkMIRIModel layout (2, ngroups, ny, nx)).
 */
import { DQ } from '../datamodels/dq.ts';
import { gaussian, mulberry32 } from '../random/index.ts';
import { isReferenceColumn, type MiriSubarray } from './subarrays.ts';

export const RESET_GROUPS = 6;

export interface DetectorModel {
  readonly sub: MiriSubarray;
  readonly ny: number;
  readonly nx: number;
  /** e-/DN, (ny, nx). */
  readonly gain: Float32Array;
  /** CDS read noise, DN, (ny, nx). */
  readonly readnoise: Float32Array;
  /** Bias level of the first read, DN, (ny, nx). */
  readonly pedestal: Float32Array;
  /** Raw saturation level, DN, (ny, nx). */
  readonly saturation: Float32Array;
  /** Dark current, DN/s, (ny, nx); integration 1 is `firstIntDarkScale` times this. */
  readonly darkRate: Float32Array;
  readonly firstIntDarkScale: number;
  /** Reset anomaly amplitude (DN) for [first integration, later ones], (ny, nx) each; decays as exp(-g / RESET_DECAY). */
  readonly resetAmp: readonly [Float32Array, Float32Array];
  /** Quadratic non-linearity coefficient b2 (1/DN), float32-exact, (ny, nx). */
  readonly linB2: Float32Array;
  /** 3x3 IPC kernel (sums to 1), row-major. */
  readonly ipc: Float32Array;
  /** Pixel DQ of the MASK reference, (ny, nx). */
  readonly mask: Uint32Array;
}

export interface DetectorOptions {
  /** Turn effects off for unit tests (all on by default). */
  readonly nonlinearity?: boolean;
  readonly ipc?: boolean;
  readonly reset?: boolean;
  readonly dark?: boolean;
  /** Number of dead and hot pixels to flag (default ~1e-4 of the pixels each). */
  readonly badPixels?: number;
}

export const RESET_DECAY = 1.5;

/** Reset anomaly (DN) in group g (0-based) of integration i for pixel p. */
export function resetAnomaly(det: DetectorModel, i: number, g: number, p: number): number {
  if (g >= RESET_GROUPS) return 0;
  // p < 0: the shape only (amplitude 1)
  return (p < 0 ? 1 : det.resetAmp[i === 0 ? 0 : 1][p]!) * Math.exp(-g / RESET_DECAY);
}

/** Dark signal (DN) accumulated by group g (0-based) of integration i, with group time tgroup (s). */
export function darkSignal(det: DetectorModel, i: number, g: number, p: number, tgroup: number): number {
  return det.darkRate[p]! * (i === 0 ? det.firstIntDarkScale : 1) * (g + 1) * tgroup;
}

/** raw DN for linear DN T: the root of raw + b2 raw^2 = T. */
export function nonlinearRaw(T: number, b2: number): number {
  return b2 > 0 ? (2 * T) / (1 + Math.sqrt(1 + 4 * b2 * T)) : T;
}

/** A seeded detector for a subarray. */
export function makeDetector(sub: MiriSubarray, seed: number, opts: DetectorOptions = {}): DetectorModel {
  const ny = sub.ysize, nx = sub.xsize, n = ny * nx;
  const g = gaussian(seed ^ 0x5eed0001);
  const u = mulberry32(seed ^ 0x5eed0002);
  const f = (mean: number, sd: number) => Float32Array.from({ length: n }, () => mean + sd * g());
  const gain = f(5.5, 0.1);
  const readnoise = f(9.5, 0.5);
  const pedestal = f(14000, 300);
  const saturation = f(58000, 400);
  const darkRate = opts.dark === false ? new Float32Array(n) : Float32Array.from({ length: n }, () => Math.max(0, 0.45 + 0.05 * g()));
  const reset = opts.reset !== false;
  const resetAmp: [Float32Array, Float32Array] = [
    Float32Array.from({ length: n }, () => (reset ? 40 + 4 * g() : 0)),
    Float32Array.from({ length: n }, () => (reset ? 25 + 3 * g() : 0)),
  ];
  const linB2 = Float32Array.from({ length: n }, () => (opts.nonlinearity === false ? 0 : 1.0e-6 * (1 + 0.05 * g())));
  const ipc = opts.ipc === false
    ? Float32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0])
    : Float32Array.from([0.002, 0.008, 0.002, 0.008, 0.96, 0.008, 0.002, 0.008, 0.002]);
  const mask = new Uint32Array(n);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) if (isReferenceColumn(sub, x)) mask[y * nx + x] = (DQ.REFERENCE_PIXEL | DQ.DO_NOT_USE) >>> 0;
  }
  const nbad = opts.badPixels ?? Math.max(1, Math.round(n * 1e-4));
  for (let k = 0; k < 2 * nbad; k++) {
    const p = Math.floor(u() * n);
    if (mask[p]) continue;
    mask[p] = (k % 2 === 0 ? DQ.DEAD : DQ.HOT) | DQ.DO_NOT_USE;
  }
  return { sub, ny, nx, gain, readnoise, pedestal, saturation, darkRate, firstIntDarkScale: 1.05, resetAmp, linB2, ipc, mask };
}
