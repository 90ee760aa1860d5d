/**
 * What jump and ramp_fit share (pure): the RampModel arrays with the
 * GAIN/READNOISE references both drivers take, the NO_GAIN_VALUE DQ bit and
 * the pool/cancel/progress options of their drivers.
 */
import type { KernelPool } from '../../workers/types.ts';

/** NO_GAIN_VALUE (DQ bit 19): set with DO_NOT_USE on pixels whose gain is not positive. */
export const NO_GAIN_VALUE = 1 << 19;

/**
 * Ramp arrays, C order: data/groupdq [nints, ngroups, ny, nx];
 * pixeldq/gain/readnoise [ny, nx]. Data in DN, gain in e-/DN.
 */
export interface RampCube {
  shape: readonly [number, number, number, number];
  data: Float32Array;
  groupdq: Uint8Array;
  pixeldq: Uint32Array;
  gain: Float32Array;
  /** READNOISE reference values (CDS noise, DN). */
  readnoise: Float32Array;
}

/** Driver options: a kernel pool (default inline), cancellation, progress per finished row block. */
export interface RunOpts {
  pool?: KernelPool;
  signal?: AbortSignal;
  progress?: (done: number, total: number) => void;
}
