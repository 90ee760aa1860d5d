/**
 * Runs: start a pipeline or a step on a project file, progress and log
 * events, cancel, history and provenance (kept in
 * <project>/.webbdesk/runs/<runId>/run.json), re-run from a step using the
 * saved intermediate of the step before it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, WebbError } from '../errors/index.ts';
import type { Engine, EngineEvent } from './engine.node.ts';
import { stateDir } from './projects.node.ts';
import { applyOutliers, outliersForRun } from './runs-outliers.node.ts';
import { toWireError, type EventHub } from './transport.ts';
import type { RunRecord, RunRequest, StepRecord } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Active {
  record: Mutable<RunRecord>;
  steps: Array<Mutable<StepRecord> & { output?: string }>;
  abort: AbortController;
  done: Promise<void>;
}

export class RunService {
  private readonly active = new Map<string, Active>();
  private readonly known = new Map<string, RunRecord>();

  constructor(
    private readonly engine: () => Promise<{ engine: Engine } | { reason: string }>,
    private readonly events: EventHub,
    private readonly context: () => string | null,
  ) {}

  async available(): Promise<{ available: boolean; reason: string | null }> {
    const e = await this.engine();
    return 'engine' in e ? { available: true, reason: null } : { available: false, reason: e.reason };
  }

  async requireEngine(): Promise<Engine> {
    const e = await this.engine();
    if ('reason' in e) throw new WebbError('engine-unavailable', e.reason);
    return e.engine;
  }

  /** Start a run; resolves once it is under way (its end arrives as onDidFinishRun). */
  async start(root: string, req: RunRequest, stepNames: readonly string[], rerunOf: string | null = null): Promise<{ runId: string }> {
    const engine = await this.requireEngine();
    if (!req.pipeline && !req.step) throw new WebbError('invalid-argument', 'a run needs a pipeline or a step', { parameter: 'pipeline' });
    const runId = `${new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
    const outputDir = path.join(stateDir(root), 'runs', runId);
    await mkdir(outputDir, { recursive: true });
    const record: Mutable<RunRecord> = {
      runId, root, request: req, state: 'running', startedAt: new Date().toISOString(), finishedAt: null, steps: [],
      outputs: [], context: this.context(), versions: { webbdesk: '0.1.0', node: process.version }, error: null, rerunOf, outliers: null,
    };
    const steps = (req.step ? [req.step] : stepNames).map((name) => ({ name, state: 'pending' as StepRecord['state'], startedAt: null, durationMs: null, references: {}, params: {} }));
    const abort = new AbortController();
    const a: Active = { record, steps, abort, done: Promise.resolve() };
    this.active.set(runId, a);
    a.done = this.execute(engine, a, req, outputDir);
    return { runId };
  }

  private async execute(engine: Engine, a: Active, req: RunRequest, outputDir: string): Promise<void> {
    const { record } = a;
    try {
      // Outlier marks as they are when the run starts (runs-outliers.node.ts says which apply and what is done).
      record.outliers = await outliersForRun(record.root, req.path);
      if (record.outliers) this.log(a, 'info', null, `outlier integrations ${record.outliers.integrations.join(', ')} (marked on ${record.outliers.markedOn.join(', ')}) will be excluded: ${record.outliers.action}`);
      await this.persist(a);
      if (a.abort.signal.aborted) throw new CancelledError('run cancelled');
      const r = await engine.run({
        input: req.path, pipeline: req.pipeline, step: req.step, params: req.params ?? {}, outputDir, signal: a.abort.signal,
        onEvent: (e) => this.onEngineEvent(a, e),
      });
      record.outputs = [...r.outputs];
      if (record.outliers) {
        record.outliers = await applyOutliers(record.outliers, r.outputs);
        for (const x of record.outliers.applied) this.log(a, 'info', null, `${path.basename(x.output)}: ${x.rowsRemoved} outlier row(s) removed`);
        if (record.outliers.applied.length === 0) this.log(a, 'info', null, 'no white-light curve written: the outlier marks changed nothing');
      }
      record.versions = { ...record.versions, ...(r.versions ?? {}) };
      if (r.context) record.context = r.context;
      for (const s of a.steps) {
        const p = r.steps?.[s.name];
        if (!p) continue;
        if (Object.keys(s.references).length === 0) s.references = p.references;
        s.durationMs ??= p.durationMs;
      }
      record.state = 'finished';
      for (const s of a.steps) if (s.state === 'pending') s.state = 'skipped';
      this.emitProgress(a, null, 1, 1, null, 1);
    } catch (e) {
      const cancelled = e instanceof CancelledError || a.abort.signal.aborted;
      record.state = cancelled ? 'cancelled' : 'failed';
      record.error = toWireError(cancelled ? new CancelledError('run cancelled') : e);
      for (const s of a.steps) if (s.state === 'running') s.state = cancelled ? 'cancelled' : 'failed';
      this.log(a, 'error', null, record.error.message);
    } finally {
      record.finishedAt = new Date().toISOString();
      this.active.delete(record.runId);
      const final = await this.persist(a);
      this.known.set(record.runId, final);
      this.events.emit('onDidFinishRun', final);
    }
  }

  private onEngineEvent(a: Active, e: EngineEvent): void {
    const i = e.step ? a.steps.findIndex((s) => s.name === e.step) : -1;
    const s = i >= 0 ? a.steps[i] : undefined;
    if (e.kind === 'step-start' && s) {
      s.state = 'running';
      s.startedAt = new Date().toISOString();
      this.emitProgress(a, s.name, 0, 1, null, i / a.steps.length);
    } else if (e.kind === 'step-end' && s && s.state !== 'running' && e.output) {
      s.output = e.output; // an output written after the step finished (pipeline save)
    } else if (e.kind === 'step-end' && s) {
      s.state = e.state ?? 'complete';
      s.durationMs = s.startedAt ? Date.now() - Date.parse(s.startedAt) : 0;
      if (e.references) s.references = e.references;
      if (e.params) s.params = e.params;
      if (e.output) s.output = e.output;
      this.emitProgress(a, s.name, 1, 1, null, (i + 1) / a.steps.length);
      void this.persist(a);
    } else if (e.kind === 'progress') {
      const frac = e.total ? Math.min(1, (e.done ?? 0) / e.total) : 0;
      const base = i >= 0 ? i : Math.max(0, a.steps.findIndex((x) => x.state === 'running'));
      this.emitProgress(a, e.step ?? null, e.done ?? 0, e.total ?? 1, e.unit ?? null, (base + frac) / Math.max(1, a.steps.length));
    } else if (e.kind === 'log') this.log(a, e.level ?? 'info', e.step ?? null, e.message ?? '');
  }

  private emitProgress(a: Active, step: string | null, done: number, total: number, unit: string | null, fraction: number): void {
    const stepIndex = step ? a.steps.findIndex((s) => s.name === step) : a.steps.length - 1;
    this.events.emit('onDidRunProgress', { runId: a.record.runId, step, stepIndex, stepCount: a.steps.length, done, total, unit, fraction: Math.max(0, Math.min(1, fraction)) });
  }

  private log(a: Active, level: 'debug' | 'info' | 'warning' | 'error', step: string | null, message: string): void {
    this.events.emit('onDidRunLog', { runId: a.record.runId, level, step, message, time: new Date().toISOString() });
  }

  private async persist(a: Active): Promise<RunRecord> {
    const snapshot: RunRecord = { ...a.record, steps: a.steps.map((s) => ({ ...s })) };
    const dir = path.join(stateDir(a.record.root), 'runs', a.record.runId);
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.run.json.${process.pid}.${randomBytes(3).toString('hex')}.tmp`);
    await writeFile(tmp, JSON.stringify(snapshot, null, 1));
    await rename(tmp, path.join(dir, 'run.json'));
    return snapshot;
  }

  async cancel(runId: string): Promise<void> {
    const a = this.active.get(runId);
    if (!a) throw new WebbError('not-found', `run ${runId} is not running`);
    a.abort.abort(new CancelledError('run cancelled'));
    await a.done;
  }

  /** Runs of a project, newest first (from run.json files). */
  async history(root: string): Promise<RunRecord[]> {
    const dir = path.join(stateDir(root), 'runs');
    const out: RunRecord[] = [];
    for (const id of await readdir(dir).catch(() => [] as string[])) {
      const active = this.active.get(id);
      if (active) out.push({ ...active.record, steps: active.steps.map((s) => ({ ...s })) });
      else {
        const r = await readFile(path.join(dir, id, 'run.json'), 'utf8').then((t) => JSON.parse(t) as RunRecord).catch(() => undefined);
        if (r) out.push(r);
      }
    }
    for (const r of out) this.known.set(r.runId, r);
    return out.sort((x, y) => y.startedAt.localeCompare(x.startedAt));
  }

  async get(runId: string): Promise<RunRecord> {
    const a = this.active.get(runId);
    if (a) return { ...a.record, steps: a.steps.map((s) => ({ ...s })) };
    const r = this.known.get(runId);
    if (!r) throw new WebbError('not-found', `no run ${runId} (open its project first)`);
    return r;
  }

  /** Re-run from `step`: the input is the saved product of the step before it; earlier steps are not repeated. */
  async rerunFrom(runId: string, step: string): Promise<{ runId: string }> {
    const prev = await this.get(runId);
    const names = prev.steps.map((s) => s.name);
    const at = names.indexOf(step);
    if (at < 0) throw new WebbError('invalid-argument', `run ${runId} has no step ${step} (steps: ${names.join(', ')})`, { parameter: 'step' });
    // The newest saved product before `step` (skipped steps pass their input through).
    const earlier = prev.steps.slice(0, at) as Array<StepRecord & { output?: string }>;
    const saved = earlier.filter((s) => s.state !== 'skipped');
    const before = saved.at(-1);
    const input = saved.length === 0 ? prev.request.path : before?.output;
    if (!input) throw new WebbError('no-intermediate', `run ${runId} did not save the output of ${before?.name}; run again with ${before?.name}.save_results = true`);
    const params: Record<string, unknown> = { ...(prev.request.params ?? {}) };
    for (const n of names.slice(0, at)) params[`${n}.skip`] = true;
    return this.start(prev.root, { ...prev.request, path: input, params: params as RunRequest['params'] }, names, runId);
  }
}
