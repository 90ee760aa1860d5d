/**
 * The seam between the API and the step engine. RunService talks to an
 * `Engine`; `loadEngine()` builds one from core/stpipe/runner.node.ts,
 * core/pipelines/index.node.ts and core/steps/registry.ts when those modules
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

export interface Engine {
  plan(file: string, header: { stage: string; expType: string | null; tso: boolean }, pipeline?: string): Promise<EnginePlan>;
  run(req: EngineRunRequest): Promise<{ outputs: readonly string[]; versions?: Readonly<Record<string, string>> }>;
}

const here = (rel: string): URL => new URL(rel, import.meta.url);
const RUNNER = '../stpipe/runner.node.ts';
const PIPELINES = '../pipelines/index.node.ts';
const STEPS = '../steps/registry.ts';

/** The engine built from the runner modules, or why there is none. */
export async function loadEngine(): Promise<{ engine: Engine } | { reason: string }> {
  const missing = [RUNNER, PIPELINES].filter((p) => !existsSync(fileURLToPath(here(p))));
  if (missing.length) return { reason: `engine not available: ${missing.map((m) => m.replace('../', 'core/')).join(', ')} not present in this build` };
  try {
    const { adaptRunner } = await import('./engine-adapter.node.ts');
    return { engine: await adaptRunner(here(RUNNER).href, here(PIPELINES).href, existsSync(fileURLToPath(here(STEPS))) ? here(STEPS).href : undefined) };
  } catch (e) {
    return { reason: `engine not available: ${e instanceof Error ? e.message : String(e)}` };
  }
}
