/**
 * The size-1 pool: runs kernels one after another in the calling thread,
 * checking the AbortSignal between tasks.
 */
import { CancelledError } from '../errors/index.ts';
import { runKernel } from './kernels.ts';
import type { KernelPool, KernelTask, RunOptions } from './types.ts';

export class InlinePool implements KernelPool {
  readonly size = 1;

  async runAll<R = unknown>(tasks: readonly KernelTask[], opts: RunOptions = {}): Promise<R[]> {
    const out: R[] = [];
    for (let i = 0; i < tasks.length; i++) {
      if (opts.signal?.aborted) throw new CancelledError('kernel run cancelled');
      out.push(runKernel(tasks[i].kernel, tasks[i].args) as R);
      opts.onTaskDone?.(i + 1, tasks.length);
      // Let the event loop deliver an abort between tasks.
      if (i + 1 < tasks.length) await new Promise<void>((r) => setTimeout(r, 0));
    }
    return out;
  }

  async close(): Promise<void> {
    /* nothing to stop */
  }
}
