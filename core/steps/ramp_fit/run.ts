/**
 * The ramp fitting driver (pure): allocates the rate and rateints planes and
 * runs the OLS kernel over row blocks on a pool (or inline).
 */
import { InlinePool } from '../../workers/inline.ts';
import { rowBlocks, shareArray } from '../../workers/types.ts';
import type { RampArrays, RampParams, RateArrays } from './ols.ts';
import type { RampCube, RunOpts } from './cube.ts';

export interface RampInput extends RampCube {
  /** average_dark_current [ny, nx] (DN/s) for the Poisson variance, when the RampModel has one. */
  darkCurrent?: Float32Array;
}

export interface RampResult {
  /** [ny, nx] planes. */
  rate: RateArrays;
  /** [nints, ny, nx] cubes. */
  rateints: RateArrays;
}

function planes(n: number, shared: boolean): RateArrays {
  const f = (): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  return {
    sci: f(), dq: shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n),
    varPoisson: f(), varRnoise: f(), err: f(),
  };
}

/** Fit all ramps; inputs are not modified. */
export async function runRampFit(
  inp: RampInput, prm: RampParams,
  opts: RunOpts = {},
): Promise<RampResult> {
  const [nints, , ny, nx] = inp.shape;
  const pool = opts.pool ?? new InlinePool();
  const shared = pool.size > 1;
  const sh = <T extends Float32Array | Uint8Array | Uint32Array>(a: T): T => (shared ? shareArray(a) : a);
  const arrays: RampArrays = {
    shape: inp.shape, data: sh(inp.data), groupdq: sh(inp.groupdq), pixeldq: sh(inp.pixeldq),
    gain: sh(inp.gain), readnoise: sh(inp.readnoise),
    ...(inp.darkCurrent ? { darkCurrent: sh(inp.darkCurrent) } : {}),
    rate: planes(ny * nx, shared), rateints: planes(nints * ny * nx, shared),
  };
  const blocks = rowBlocks(ny, pool.size);
  await pool.runAll(blocks.map(([row0, row1]) => ({ kernel: 'ramp_fit.ols', args: { arrays, params: prm, row0, row1 } })), {
    signal: opts.signal, onTaskDone: opts.progress,
  });
  return { rate: arrays.rate, rateints: arrays.rateints };
}
