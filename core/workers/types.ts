/**
 * The kernel pool contract (pure). A kernel is a pure function registered by
 * name in kernels.ts; a task names a kernel and gives its arguments: a
 * structured-cloneable object whose typed arrays live on SharedArrayBuffers
 * (zeros(dtype, shape, {shared: true}) or shareArray()), so workers read the
 * inputs and write the outputs in place without copying. Results (small
 * values such as counts) come back in task order.
 */
export interface KernelTask {
  /** Registered kernel name, e.g. 'jump.detect'. */
  readonly kernel: string;
  readonly args: unknown;
}

export interface RunOptions {
  /** Abort: pending tasks are dropped, running workers are stopped, the promise rejects with CancelledError. */
  readonly signal?: AbortSignal;
  /** Called after each finished task. */
  readonly onTaskDone?: (done: number, total: number) => void;
}

/** A pool of kernel runners: worker threads (pool.node.ts) or the calling thread (inline.ts). */
export interface KernelPool {
  /** Number of tasks that run at the same time (1 = inline). */
  readonly size: number;
  /** Run tasks, at most `size` at a time; resolves with each task's result in order; the first error rejects (typed WebbError). */
  runAll<R = unknown>(tasks: readonly KernelTask[], opts?: RunOptions): Promise<R[]>;
  /** Stop the workers. */
  close(): Promise<void>;
}

/** A registered kernel: pure, synchronous. */
export type Kernel = (args: never) => unknown;

/** Row blocks [row0, row1) covering ny rows, about `per` blocks per runner, at least one row each. */
export function rowBlocks(ny: number, size: number, per = 4): Array<[number, number]> {
  const n = Math.max(1, Math.min(ny, size * per));
  const out: Array<[number, number]> = [];
  for (let b = 0; b < n; b++) {
    const r0 = Math.floor((b * ny) / n);
    const r1 = Math.floor(((b + 1) * ny) / n);
    if (r1 > r0) out.push([r0, r1]);
  }
  return out;
}

type Typed = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array;

/** The same values on a SharedArrayBuffer (returned as is when already shared). */
export function shareArray<T extends Typed>(a: T): T {
  if (typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
