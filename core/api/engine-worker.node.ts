/**
 * An Engine whose runs execute in a worker thread (run-worker.node.ts), so
 * the thread that serves the UI only relays events. Planning (reading a
 * header, listing steps) stays on the calling thread: it is cheap.
 *
 * - Events (step start/end, progress, log) arrive as messages and are handed
 *   to the request's onEvent in order.
 * - Cancellation: the request's AbortSignal posts {type:'cancel'}; the worker
 *   aborts its AbortController and the runner stops at its next check
 *   (removing the files it wrote). If the worker has not answered after
 *   `cancelGraceMs` it is terminated and the run rejects with CancelledError.
 * - Errors come back as {name, code, message, where} and are revived as the
 *   same WebbError subclass (StepError, CrdsError, FitsError, ...).
 * - One finished worker is kept warm (unref'd) for the next run: loading the
 *   step modules is the slow part of starting a worker.
 *
 * Workers start from a bundled run-worker.mjs next to the bundle when one
 * exists (it holds the runner, pipelines and steps: no URLs, no tsx), else
 * from the TypeScript sources through tsx (registered inside the worker, as
 * core/workers/pool.node.ts does).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CancelledError, WebbError, reviveError } from '../errors/index.ts';
import type { Engine, EngineRunRequest } from './engine.node.ts';
import type { FromWorker, ToWorker, WorkerError, WorkerUrls } from './run-worker.node.ts';

/** Revive a worker's error as its WebbError subclass, keeping its location and the worker's stack. */
export function reviveWorkerError(w: WorkerError): WebbError {
  const e = reviveError({ name: w.name, code: w.code, message: w.message });
  if (w.where) Object.assign(e, { where: w.where });
  if (w.stack) e.stack = `${e.name}: ${e.message}\n    [in run worker]\n${w.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

/** Where the worker's code is: a bundled .mjs, the .ts sources (through tsx), or nowhere. */
export function runWorkerSource(): { script: string | URL; eval: boolean; bundled: boolean } | undefined {
  // In a bundle import.meta.url is the bundle's (dist/app/cli.mjs): run-worker.mjs is built beside it.
  const bundled = new URL('./run-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { script: bundled, eval: false, bundled: true };
  const entry = new URL('./run-worker.node.ts', import.meta.url);
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return undefined;
  const tsx = tsxEsmApi();
  if (!tsx) return undefined;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { script: code, eval: true, bundled: false };
}

function tsxEsmApi(): string | undefined {
  const meta = import.meta as ImportMeta & { resolve?: (s: string) => string };
  try {
    if (typeof meta.resolve === 'function') return meta.resolve('tsx/esm/api');
  } catch {
    /* fall through */
  }
  try {
    const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
    const mjs = cjs.replace(/\.cjs$/, '.mjs');
    return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  } catch {
    return undefined;
  }
}

/**
 * The engine of a bundle (cli.mjs, electron main.mjs), where the module files
 * engine.node.ts looks for are not on disk: plans over the statically bundled
 * modules; runs in the bundled run-worker.mjs, or inline when mode is
 * 'inline' or no worker was built.
 */
export async function loadBundledEngine(mode: 'worker' | 'inline'): Promise<{ engine: Engine }> {
  const { staticEngine } = await import('./engine-modules.node.ts');
  const inline = staticEngine();
  if (mode === 'inline' || !runWorkerSource()?.bundled) return { engine: inline };
  return { engine: workerEngine(inline, { runner: 'bundled', pipelines: 'bundled' }) };
}

interface Started { worker: Worker; ready: Promise<void> }

export interface WorkerEngineOptions {
  /** How long a cancelled run may take to stop before its worker is terminated (default 10 s). */
  readonly cancelGraceMs?: number;
}

/** The Engine over `inline` (used for plan) whose runs go to worker threads. */
export function workerEngine(inline: Engine, urls: WorkerUrls, opts: WorkerEngineOptions = {}): Engine & { close(): Promise<void> } {
  const src = runWorkerSource();
  if (!src) throw new WebbError('engine', 'the run worker (core/api/run-worker.node.ts or run-worker.mjs) is not available in this build');
  let idle: Started | undefined;
  const spawn = (): Started => {
    const worker = new Worker(src.script, { eval: src.eval, workerData: { webbdeskRunWorker: true, bundled: src.bundled } });
    const ready = new Promise<void>((resolve, reject) => {
      const onMsg = (m: FromWorker): void => { if (m.type === 'ready') { worker.off('message', onMsg); resolve(); } };
      worker.on('message', onMsg);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new WebbError('worker-crashed', `the run worker exited (code ${code}) before it was ready`)));
    });
    ready.catch(() => undefined);
    return { worker, ready };
  };
  const take = (): Started => {
    const w = idle ?? spawn();
    idle = undefined;
    w.worker.ref();
    return w;
  };
  const release = (w: Started, healthy: boolean): void => {
    if (healthy && !idle) {
      w.worker.unref();
      w.worker.removeAllListeners('message');
      w.worker.removeAllListeners('error');
      w.worker.removeAllListeners('exit');
      w.worker.on('error', () => { if (idle === w) idle = undefined; });
      w.worker.on('exit', () => { if (idle === w) idle = undefined; });
      idle = w;
    } else void w.worker.terminate();
  };
  return {
    plan: (file, h, pipeline) => inline.plan(file, h, pipeline),
    run: (req) => runIn(take(), urls, req, opts.cancelGraceMs ?? 10_000, release),
    async close() {
      const w = idle;
      idle = undefined;
      if (w) await w.worker.terminate();
    },
  };
}

type RunResult = Awaited<ReturnType<Engine['run']>>;

async function runIn(w: Started, urls: WorkerUrls, req: EngineRunRequest, graceMs: number, release: (w: Started, healthy: boolean) => void): Promise<RunResult> {
  await w.ready.catch((e: unknown) => {
    release(w, false);
    throw e instanceof WebbError ? e : new WebbError('worker-crashed', `the run worker did not start: ${(e as Error).message}`, {}, { cause: e });
  });
  return new Promise<RunResult>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (healthy: boolean, f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      req.signal.removeEventListener('abort', onAbort);
      release(w, healthy);
      f();
    };
    const onAbort = (): void => {
      w.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      killTimer = setTimeout(() => finish(false, () => reject(new CancelledError('run cancelled (worker terminated)'))), graceMs);
      killTimer.unref?.();
    };
    w.worker.on('message', (m: FromWorker) => {
      if (settled) return;
      if (m.type === 'event') req.onEvent(m.event);
      else if (m.type === 'done') finish(true, () => resolve(m.result));
      else if (m.type === 'error') finish(true, () => reject(reviveWorkerError(m.error)));
    });
    w.worker.on('error', (e) => finish(false, () => reject(new WebbError('worker-crashed', `the run worker crashed: ${e.message}`, {}, { cause: e }))));
    w.worker.on('exit', (code) => finish(false, () => reject(new WebbError('worker-crashed', `the run worker exited (code ${code}) during the run`))));
    if (req.signal.aborted) return finish(true, () => reject(new CancelledError('run cancelled')));
    req.signal.addEventListener('abort', onAbort, { once: true });
    const { input, pipeline, step, params, outputDir } = req;
    w.worker.postMessage({ type: 'run', urls, req: { input, pipeline, step, params, outputDir }, env: { ...process.env } } satisfies ToWorker);
  });
}
