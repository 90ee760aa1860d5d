/**
 * Worker-thread kernel pool (node:worker_threads). Size: `size` option, else
 * env WEBBDESK_WORKERS, else os.availableParallelism(); size 1 gives the
 * inline pool. Workers run kernel.worker.ts: the bundled kernel.worker.mjs
 * next to the bundle when one exists, else the sources bundled on the fly
 * with esbuild, else through tsx registered inside the worker (see
 * workerSource; works under tsx, bin/webbdesk.js and vitest alike). Arrays
 * travel as SharedArrayBuffers (no copy).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CancelledError, WebbError, reviveError } from '../errors/index.ts';
import { InlinePool } from './inline.ts';
import type { KernelPool, KernelTask, RunOptions } from './types.ts';

/** WEBBDESK_WORKERS if set (>= 1), else the number of usable cores. */
export function defaultPoolSize(env: Record<string, string | undefined> = process.env): number {
  const v = env.WEBBDESK_WORKERS;
  if (v !== undefined && v !== '') {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new WebbError('bad-env', `WEBBDESK_WORKERS must be a whole number >= 1, not '${v}'`);
    return n;
  }
  return os.availableParallelism();
}

/** A pool of `size` runners (inline when 1). Close it when done. */
export function createPool(opts: { size?: number } = {}): KernelPool {
  const size = opts.size ?? defaultPoolSize();
  if (size <= 1) return new InlinePool();
  return new WorkerPool(size);
}

let bundledCode: string | undefined;

/**
 * How workers load kernel.worker: the bundled kernel.worker.mjs next to this
 * module when it exists (npm run build), else the sources bundled once per
 * process with esbuild's API (a devDependency; a few tens of ms, instead of
 * every worker loading tsx and compiling the sources), else through tsx.
 */
function workerSource(): { script: string | URL; eval: boolean } {
  const bundled = new URL('./kernel.worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { script: bundled, eval: false };
  const entry = new URL('./kernel.worker.ts', import.meta.url);
  if (bundledCode === undefined && entry.protocol === 'file:' && process.env.WEBBDESK_WORKER_TSX !== '1') {
    try {
      const esbuild = createRequire(import.meta.url)('esbuild') as { buildSync: (o: object) => { outputFiles: Array<{ text: string }> } };
      const out = esbuild.buildSync({ entryPoints: [fileURLToPath(entry)], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
      bundledCode = out.outputFiles[0].text;
    } catch {
      bundledCode = '';
    }
  }
  if (bundledCode) return { script: bundledCode, eval: true };
  const code = `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { script: code, eval: true };
}

/** URL of tsx's ESM register API (its CommonJS build cannot register hooks from an eval worker). */
function tsxEsmApi(): string {
  const meta = import.meta as ImportMeta & { resolve?: (s: string) => string };
  try {
    if (typeof meta.resolve === 'function') return meta.resolve('tsx/esm/api');
  } catch {
    /* fall through */
  }
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}

interface Job { id: number; task: KernelTask; resolve: (v: unknown) => void; reject: (e: unknown) => void }
interface Slot { worker: Worker; ready: Promise<void>; job?: Job }

class WorkerPool implements KernelPool {
  readonly size: number;
  private slots: Slot[] = [];
  private nextId = 1;

  constructor(size: number) {
    this.size = size;
  }

  private spawn(): Slot {
    const src = workerSource();
    const worker = new Worker(src.script, { eval: src.eval });
    worker.unref();
    const slot: Slot = { worker, ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }): void => {
        if (m && m.ready) { worker.off('message', onMsg); resolve(); }
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
    });
    worker.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: { name: string; code: string; message: string } }) => {
      const job = slot.job;
      if (m.id === undefined || !job || job.id !== m.id) return;
      slot.job = undefined;
      if (m.ok) job.resolve(m.result);
      else job.reject(reviveError(m.error ?? { name: 'WebbError', code: 'kernel-failed', message: 'kernel failed' }));
    });
    worker.on('error', (e) => {
      const job = slot.job;
      slot.job = undefined;
      this.slots = this.slots.filter((s) => s !== slot);
      job?.reject(new WebbError('worker-crashed', `kernel worker crashed: ${e.message}`, {}, { cause: e }));
    });
    return slot;
  }

  private slot(i: number): Slot {
    while (this.slots.length <= i) this.slots.push(this.spawn());
    return this.slots[i];
  }

  async runAll<R = unknown>(tasks: readonly KernelTask[], opts: RunOptions = {}): Promise<R[]> {
    const { signal } = opts;
    if (signal?.aborted) throw new CancelledError('kernel run cancelled');
    const results = new Array<R>(tasks.length);
    let next = 0;
    let done = 0;
    let failed: unknown;
    const runner = async (slotIndex: number): Promise<void> => {
      const slot = this.slot(slotIndex);
      await slot.ready;
      while (next < tasks.length && failed === undefined) {
        const k = next++;
        const id = this.nextId++;
        results[k] = (await new Promise<unknown>((resolve, reject) => {
          slot.job = { id, task: tasks[k], resolve, reject };
          slot.worker.postMessage({ id, kernel: tasks[k].kernel, args: tasks[k].args });
        })) as R;
        opts.onTaskDone?.(++done, tasks.length);
      }
    };
    const onAbort = (): void => this.abortRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const n = Math.min(this.size, tasks.length);
      const runs = Array.from({ length: n }, (_, i) => runner(i).catch((e) => { failed ??= e; }));
      await Promise.all(runs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) throw new CancelledError('kernel run cancelled');
    if (failed !== undefined) throw failed;
    return results;
  }

  /** Stop workers that are running a job (their jobs reject); new workers start on the next run. */
  private abortRunning(): void {
    for (const s of [...this.slots]) {
      if (!s.job) continue;
      const job = s.job;
      s.job = undefined;
      this.slots = this.slots.filter((x) => x !== s);
      void s.worker.terminate();
      job.reject(new CancelledError('kernel run cancelled'));
    }
  }

  async close(): Promise<void> {
    const all = this.slots;
    this.slots = [];
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}
