/**
 * Worker-thread body that executes runs for engine-worker.node.ts, off the
 * thread that serves the UI. It loads the stpipe runner through
 * engine-adapter.node.ts and speaks this protocol with its parent:
 *
 * in:  {type: 'run', urls: {runner, pipelines, steps?}, req: {input, pipeline?, step?, params, outputDir}, env}
 *      {type: 'cancel'}  -> aborts the run's AbortController (the runner checks its signal between chunks)
 * out: {type: 'ready'} once, then per run {type: 'event', event: EngineEvent}*,
 *      and {type: 'done', result} or {type: 'error', error: WorkerError}.
 *
 * A *.node.ts module (not a *.worker.ts entry): the runner needs node:fs, so
 * it is started through the tsx bootstrap in engine-worker.node.ts as
 * core/workers/pool.node.ts starts kernel workers. In a bundle the entry is
 * run-worker-bundle.node.ts (run-worker.mjs), which imports the modules
 * statically and calls serveRuns. Each run's result says which in
 * versions['webbdesk.runWorker'] ('sources' | 'bundled').
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError, WebbError, type ErrorLocation } from '../errors/index.ts';
import type { Engine, EngineEvent, EngineRunRequest } from './engine.node.ts';

export interface WorkerUrls { readonly runner: string; readonly pipelines: string; readonly steps?: string }
export type WorkerRunRequest = Omit<EngineRunRequest, 'signal' | 'onEvent'>;
export interface WorkerError { readonly name: string; readonly code: string; readonly message: string; readonly where?: ErrorLocation; readonly stack?: string }

/** `env`: the parent's process.env when the run started (CRDS_PATH, CRDS_CONTEXT, ... as an inline run would see them). */
export type ToWorker = { type: 'run'; urls: WorkerUrls; req: WorkerRunRequest; env: Record<string, string | undefined> } | { type: 'cancel' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'event'; event: EngineEvent }
  | { type: 'done'; result: Awaited<ReturnType<Engine['run']>> }
  | { type: 'error'; error: WorkerError };

/** A thrown value as plain data (name, code, message and location survive; revived by reviveWorkerError). */
export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof WebbError) return { name: e.name, code: e.code, message: e.message, where: { ...e.where }, stack: e.stack };
  if (e instanceof Error) return { name: 'StepError', code: 'step-failed', message: e.message, stack: e.stack };
  return { name: 'StepError', code: 'step-failed', message: String(e) };
}

/** How the worker got its modules: the .ts sources through tsx and module URLs, or statically inside run-worker.mjs. */
export type RunWorkerKind = 'sources' | 'bundled';
/** The key in a run's `versions` that says which worker ran it. */
export const RUN_WORKER_VERSION_KEY = 'webbdesk.runWorker';

/** The adapter over the runner, built once per worker (module imports are the slow part). */
let engine: Promise<Engine> | undefined;
let abort: AbortController | undefined;

type Port = NonNullable<typeof parentPort>;

async function run(port: Port, load: (urls: WorkerUrls) => Promise<Engine>, kind: RunWorkerKind, urls: WorkerUrls, req: WorkerRunRequest): Promise<void> {
  const post = (m: FromWorker): void => {
    try {
      port.postMessage(m);
    } catch {
      port.postMessage(JSON.parse(JSON.stringify(m)) as FromWorker); // values that do not clone (functions) are dropped
    }
  };
  const ac = new AbortController();
  abort = ac;
  try {
    engine ??= load(urls);
    const e = await engine;
    if (ac.signal.aborted) throw new CancelledError('run cancelled');
    const result = await e.run({ ...req, signal: ac.signal, onEvent: (event) => post({ type: 'event', event }) });
    post({ type: 'done', result: { ...result, versions: { ...result.versions, [RUN_WORKER_VERSION_KEY]: kind } } });
  } catch (e) {
    post({ type: 'error', error: toWorkerError(ac.signal.aborted && !(e instanceof CancelledError) ? new CancelledError('run cancelled') : e) });
  } finally {
    if (abort === ac) abort = undefined;
  }
}

/**
 * Answer engine-worker.node.ts's messages on `port`: runs through the engine
 * `load` makes (once per worker), cancels, and {type: 'ready'} at once.
 */
export function serveRuns(port: Port, load: (urls: WorkerUrls) => Promise<Engine>, kind: RunWorkerKind): void {
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') abort?.abort(new CancelledError('run cancelled'));
    else if (m.type === 'run') {
      process.env = { ...m.env }; // per-thread copy in a worker: the runner's CRDS/STPIPE settings follow the parent's
      void run(port, load, kind, m.urls, m.req);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

/**
 * Only inside a worker started by engine-worker.node.ts from the sources
 * (never in a test runner's own worker threads, nor in the bundled worker,
 * whose entry run-worker-bundle.node.ts calls serveRuns itself).
 */
const data = workerData as { webbdeskRunWorker?: boolean; bundled?: boolean } | null;
if (data?.webbdeskRunWorker === true && !data.bundled && parentPort) {
  serveRuns(parentPort, (urls) => import('./engine-adapter.node.ts').then((m) => m.adaptRunner(urls.runner, urls.pipelines, urls.steps)), 'sources');
}
