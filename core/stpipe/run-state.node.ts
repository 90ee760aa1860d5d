/**
 * State shared by everything one run does: options, the event stream and log
 * sink, the CRDS session, files written, per-step provenance, cancellation.
 */
import { readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { CancelledError } from '../errors/index.ts';
import { formatLogLine, makeLogger, type RunEvent, type StepStatus } from './events.ts';
import type { ResolvedParams } from './params-resolve.ts';
import { CrdsSession, type CrdsRunOptions } from './references.node.ts';
import type { StepContext, StepLogger, StepProduct } from './types.ts';

/** Options of runStep / runPipeline. */
export interface RunOptions {
  /** Flat values: 'param' and (pipelines) 'steps.<alias>.<param>' -> string (command line) or typed value (UI). Highest precedence. */
  readonly cliParams?: Readonly<Record<string, unknown>>;
  /** An ASDF parameter file as stpipe writes it (class, name, parameters, steps). Above CRDS pars-*, below cliParams. */
  readonly paramFile?: string;
  /** Use CRDS pars-<class> parameter references (default true; false also when env STPIPE_DISABLE_CRDS_STEPPARS is true). */
  readonly useCrdsSteppars?: boolean;
  /** Where outputs go unless output_dir is given (default: cwd). */
  readonly outputDir?: string;
  /** Base for relative paths (override_<reftype>, paramFile): default process.cwd(). */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: RunEvent) => void;
  /** stpipe-style log lines (no trailing newline), e.g. to stderr or a log file. */
  readonly logSink?: (line: string) => void;
  /** Lowest level written to logSink (default 'info'). */
  readonly logLevel?: 'debug' | 'info' | 'warning' | 'error';
  readonly crds?: CrdsRunOptions;
  /** Environment for STPIPE_DISABLE_CRDS_STEPPARS (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Worker pool handed to steps as ctx.pool. */
  readonly pool?: StepContext['pool'];
}

/** One step execution in the provenance. */
export interface StepRecord {
  readonly step: string;
  readonly className: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** reftype -> recorded name ('crds://...', override base name, 'N/A'). */
  readonly references: Readonly<Record<string, string>>;
  readonly product?: string;
}

export interface Provenance {
  /** CRDS context used, when one was loaded. */
  readonly context?: string;
  readonly software: { readonly name: string; readonly version: string };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: readonly StepRecord[];
  /** Parameter files read (CRDS pars-* and the user's). */
  readonly parameterFiles: readonly string[];
}

export interface ProductFailure {
  readonly product: string;
  readonly error: Error;
}

export interface RunResult {
  /** One product per input (per association product), null where it failed. */
  readonly products: StepProduct[];
  /** Paths written, in order. */
  readonly outputs: string[];
  /** Parameters as stpipe would export them (for the first input product). */
  readonly resolvedParams: ResolvedParams;
  readonly provenance: Provenance;
  /** Association products that failed while the run went on (fail_on_exception false). */
  readonly failures: readonly ProductFailure[];
}

const LEVELS = ['debug', 'info', 'warning', 'error'] as const;

let cachedVersion: string | undefined;
/** WebbDesk's version (package.json). */
export function softwareVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    cachedVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

export const SOFTWARE_NAME = 'webbdesk';

export class RunState {
  readonly outputs: string[] = [];
  readonly steps: StepRecord[] = [];
  readonly parameterFiles: string[] = [];
  readonly session: CrdsSession;
  readonly t0 = Date.now();
  readonly signal: AbortSignal;
  readonly cwd: string;

  constructor(readonly opts: RunOptions) {
    this.session = new CrdsSession(opts.crds);
    this.signal = opts.signal ?? new AbortController().signal;
    this.cwd = opts.cwd ?? process.cwd();
  }

  emit = (e: RunEvent): void => {
    if (e.type === 'log' && this.opts.logSink && LEVELS.indexOf(e.level) >= LEVELS.indexOf(this.opts.logLevel ?? 'info')) {
      this.opts.logSink(formatLogLine(e));
    }
    this.opts.onEvent?.(e);
  };

  logger(name: string, step?: string): StepLogger {
    return makeLogger(`stpipe.${name}`, this.emit, step);
  }

  /** Throw CancelledError when the run was cancelled. */
  check(): void {
    if (this.signal.aborted) throw new CancelledError('the run was cancelled');
  }

  crdsStepparsEnabled(): boolean {
    if (this.opts.useCrdsSteppars === false) return false;
    const v = (this.opts.env ?? process.env).STPIPE_DISABLE_CRDS_STEPPARS;
    return !(v && ['true', 't', '1', 'yes'].includes(v.trim().toLowerCase()));
  }

  /** Remove every file this run wrote (on cancellation). */
  async removeOutputs(): Promise<void> {
    for (const f of this.outputs.splice(0)) await unlink(f).catch(() => undefined);
  }

  provenance(): Provenance {
    return {
      context: this.session.contextName(),
      software: { name: SOFTWARE_NAME, version: softwareVersion() },
      startedAt: new Date(this.t0).toISOString(),
      durationMs: Date.now() - this.t0,
      steps: [...this.steps],
      parameterFiles: [...this.parameterFiles],
    };
  }
}
