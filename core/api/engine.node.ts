/**
 * The seam between the API and the step engine. RunService talks to an
 * `Engine`; `loadEngine()` builds one from core/stpipe/runner.node.ts,
 * core/pipelines/index.node.ts and core/steps/registry(.node).ts when those modules
 * exist, and otherwise reports why runs are not available. Tests pass their
 * own Engine.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StepView } from './types.ts';

export interface EngineEvent {
  readonly kind: 'step-start' | 'step-end' | 'progress' | 'log';
  readonly step?: string;
  readonly done?: number;
  readonly total?: number;
  readonly unit?: string;
  readonly level?: 'debug' | 'info' | 'warning' | 'error';
  readonly message?: string;
  /** step-end: 'complete' | 'skipped' | 'failed'; the product written, if saved. */
  readonly state?: 'complete' | 'skipped' | 'failed';
  readonly output?: string;
  readonly references?: Readonly<Record<string, string>>;
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface EnginePlan {
  readonly pipeline: string;
  readonly className: string;
  readonly steps: readonly StepView[];
}

export interface EngineRunRequest {
  readonly input: string;
  readonly pipeline?: string;
  readonly step?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly outputDir: string;
  readonly signal: AbortSignal;
  readonly onEvent: (e: EngineEvent) => void;
}

/** What a run produced; `context` and `steps` are the runner's provenance (CRDS context, per step alias: references and duration). */
export interface EngineRunResult {
  readonly outputs: readonly string[];
  readonly versions?: Readonly<Record<string, string>>;
  readonly context?: string;
  readonly steps?: Readonly<Record<string, { readonly status: string; readonly durationMs: number; readonly references: Readonly<Record<string, string>> }>>;
}

export interface Engine {
  plan(file: string, header: { stage: string; expType: string | null; tso: boolean }, pipeline?: string): Promise<EnginePlan>;
  run(req: EngineRunRequest): Promise<EngineRunResult>;
}

const here = (rel: string): URL => new URL(rel, import.meta.url);
const RUNNER = '../stpipe/runner.node.ts';
const PIPELINES = '../pipelines/index.node.ts';
const STEPS_CANDIDATES = ['../steps/registry.node.ts', '../steps/registry.ts'];

/** Where runs execute: a worker thread (default) or the calling thread. */
export type EngineMode = 'worker' | 'inline';

/**
 * The mode from env WEBBDESK_RUN_INLINE (1/true: inline, for debugging and
 * comparisons), else 'worker'.
 */
export function defaultEngineMode(env: Record<string, string | undefined> = process.env): EngineMode {
  return /^(1|true|yes)$/i.test(env.WEBBDESK_RUN_INLINE ?? '') ? 'inline' : 'worker';
}

/**
 * The engine built from the runner modules, or why there is none. Runs go to
 * a worker thread (engine-worker.node.ts) so the serving thread stays
 * responsive; 'inline' runs them on the calling thread. When the worker
 * cannot be started in this build, runs fall back to inline.
 */
export async function loadEngine(opts: { mode?: EngineMode } = {}): Promise<{ engine: Engine } | { reason: string }> {
  const missing = [RUNNER, PIPELINES].filter((p) => !existsSync(fileURLToPath(here(p))));
  // A bundle (dist/app/cli.mjs, dist/electron/main.mjs) holds the modules itself; runs go to its run-worker.mjs.
  if (missing.length && import.meta.url.endsWith('.mjs')) return (await import('./engine-worker.node.ts')).loadBundledEngine(opts.mode ?? defaultEngineMode());
  if (missing.length) return { reason: `engine not available: ${missing.map((m) => m.replace('../', 'core/')).join(', ')} not present in this build` };
  try {
    const urls = { runner: here(RUNNER).href, pipelines: here(PIPELINES).href, steps: STEPS_CANDIDATES.map(here).find((u) => existsSync(fileURLToPath(u)))?.href };
    const { adaptRunner } = await import('./engine-adapter.node.ts');
    const inline = await adaptRunner(urls.runner, urls.pipelines, urls.steps);
    if ((opts.mode ?? defaultEngineMode()) === 'inline') return { engine: inline };
    const { runWorkerSource, workerEngine } = await import('./engine-worker.node.ts');
    return { engine: runWorkerSource() ? workerEngine(inline, urls) : inline };
  } catch (e) {
    return { reason: `engine not available: ${e instanceof Error ? e.message : String(e)}` };
  }
}
