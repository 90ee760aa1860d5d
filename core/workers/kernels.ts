/**
 * The kernels a pool can run, by name (pure: the worker entry imports this).
 * Each takes one argument object and returns a small result.
 */
import { detectJumpsRows, type JumpArrays, type TwoPointParams } from '../steps/jump/twopoint.ts';
import { postprocessRows, type AfterJumpParams } from '../steps/jump/postprocess.ts';
import { fitRampsRows, type RampArrays, type RampParams } from '../steps/ramp_fit/ols.ts';
import { WebbError } from '../errors/index.ts';

export interface RowTask<A, P> {
  arrays: A;
  params: P;
  row0: number;
  row1: number;
}

export const KERNELS = {
  'jump.detect': (t: RowTask<JumpArrays, TwoPointParams>): number => detectJumpsRows(t.arrays, t.params, t.row0, t.row1),
  'jump.post': (t: RowTask<JumpArrays, AfterJumpParams>): number => {
    postprocessRows(t.arrays, t.params, t.row0, t.row1);
    return 0;
  },
  'ramp_fit.ols': (t: RowTask<RampArrays, RampParams>): number => {
    fitRampsRows(t.arrays, t.params, t.row0, t.row1);
    return 0;
  },
  /** For tests: sums a shared array's slice, or throws / spins as asked. */
  'test.sum': (t: { a: Float64Array; from: number; to: number; fail?: string; spinMs?: number }): number => {
    if (t.fail) throw new WebbError('test-failure', t.fail);
    if (t.spinMs) {
      const end = Date.now() + t.spinMs;
      while (Date.now() < end) { /* busy */ }
    }
    let s = 0;
    for (let i = t.from; i < t.to; i++) s += t.a[i];
    return s;
  },
} as const;

export type KernelName = keyof typeof KERNELS;

/** Run a kernel by name in the calling thread. */
export function runKernel(name: string, args: unknown): unknown {
  const k = (KERNELS as Record<string, (a: never) => unknown>)[name];
  if (!k) throw new WebbError('unknown-kernel', `no kernel named '${name}'`);
  return k(args as never);
}
