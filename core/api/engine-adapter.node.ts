/**
 * Adapts the step engine modules to the API's Engine interface. Expected
 * shapes (core/stpipe/types.ts): PIPELINES and STEPS map aliases to
 * PipelineDefinition / StepDefinition (object or array); the runner exports
 * runPipeline(def, inputPath, options) and runStep(def, inputPath, options)
 * with options {params, outputDir, signal, onEvent}. Events are normalised
 * loosely so small differences in the runner's event names still show.
 */
import type { PipelineDefinition, StepDefinition } from '../stpipe/types.ts';
import { WebbError } from '../errors/index.ts';
import { DataModel } from '../datamodels/model.node.ts';
import type { Meta } from '../datamodels/meta.ts';
import type { Engine, EngineEvent, EngineRunResult } from './engine.node.ts';
import { choosePipeline } from './plan.ts';
import type { StepView } from './types.ts';

/** The file's meta for the pipelines' `when` rules (a minimal stand-in when it cannot be read). */
async function metaOf(file: string, h: { expType: string | null; tso: boolean }): Promise<Meta> {
  try {
    const m = await DataModel.open(file);
    await m.close();
    return m.meta;
  } catch {
    return { exposure: { type: h.expType }, visit: { tsovisit: h.tso } } as Meta;
  }
}

type AnyFn = (...a: unknown[]) => Promise<unknown>;

function byName<T extends { name: string }>(x: unknown): Map<string, T> {
  const out = new Map<string, T>();
  if (Array.isArray(x)) for (const d of x as T[]) out.set(d.name, d);
  else if (x && typeof x === 'object') for (const [k, d] of Object.entries(x as Record<string, T>)) out.set(k, d);
  return out;
}

function stepView(s: StepDefinition, applies: boolean, alias?: string): StepView {
  return {
    name: alias ?? s.name, className: s.className, summary: s.summary, applies, declaredOnly: !!s.declaredOnly, referenceTypes: s.referenceTypes,
    spec: Object.fromEntries(Object.entries(s.spec).map(([k, p]) => [k, { kind: p.kind, default: p.default ?? null, doc: p.doc, options: p.options }])),
  };
}

function normalise(e: unknown): EngineEvent | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const o = e as Record<string, unknown>;
  const t = String(o.kind ?? o.type ?? o.event ?? '');
  const step = typeof o.step === 'string' ? o.step : typeof o.name === 'string' ? o.name : undefined;
  if (t === 'output-written' && typeof o.path === 'string') return { kind: 'step-end', step, state: 'complete', output: o.path };
  if (t === 'run-finished' || t === 'run-started' || t.startsWith('product')) return undefined;
  if (/start/.test(t)) return { kind: 'step-start', step };
  if (/end|finish|done|complete|skip/.test(t)) {
    const st = String(o.state ?? o.status ?? (/skip/.test(t) ? 'skipped' : 'complete')).toLowerCase();
    return { kind: 'step-end', step, state: st.startsWith('skip') ? 'skipped' : st.startsWith('fail') ? 'failed' : 'complete', output: typeof o.output === 'string' ? o.output : undefined };
  }
  if (/progress/.test(t)) return { kind: 'progress', step, done: Number(o.done ?? 0), total: Number(o.total ?? 1), unit: typeof o.unit === 'string' ? o.unit : undefined };
  if (/log/.test(t)) return { kind: 'log', step, level: (o.level as EngineEvent['level']) ?? 'info', message: String(o.message ?? o.msg ?? '') };
  return undefined;
}

interface RunProvenance {
  readonly context?: string;
  readonly software?: { readonly name: string; readonly version: string };
  readonly steps?: ReadonlyArray<{ readonly step: string; readonly status: string; readonly durationMs: number; readonly references: Readonly<Record<string, string>> }>;
}

/** The runner's provenance as plain data for the run record (step alias -> references, status, duration). */
function provenanceOf(p: RunProvenance | undefined, alone: string | undefined, alias: string | undefined): Pick<EngineRunResult, 'context' | 'steps' | 'versions'> {
  if (!p) return {};
  const steps: Record<string, { status: string; durationMs: number; references: Record<string, string> }> = {};
  for (const s of p.steps ?? []) steps[alone && s.step === alone && alias ? alias : s.step] = { status: s.status, durationMs: s.durationMs, references: { ...s.references } };
  return { context: p.context, steps, versions: p.software ? { [p.software.name]: p.software.version } : undefined };
}

export async function adaptRunner(runnerUrl: string, pipelinesUrl: string, stepsUrl: string | undefined): Promise<Engine> {
  const runner = (await import(runnerUrl)) as Record<string, unknown>;
  const pipelines = ((await import(pipelinesUrl)) as Record<string, unknown>).PIPELINES;
  return adaptModules(runner, pipelines, stepsUrl ? ((await import(stepsUrl)) as Record<string, unknown>).STEPS : undefined);
}

/** The Engine over already-loaded modules: the runner's exports, PIPELINES and STEPS (a bundle imports them statically). */
export function adaptModules(runner: Record<string, unknown>, pipelinesExport: unknown, stepsExport: unknown): Engine {
  const pipelines = byName<PipelineDefinition>(pipelinesExport);
  const steps = stepsExport ? byName<StepDefinition>(stepsExport) : new Map<string, StepDefinition>();
  for (const p of pipelines.values()) for (const e of p.steps) { const a = (e as { alias?: string }).alias ?? e.step.name; if (!steps.has(a)) steps.set(a, e.step); }
  const runPipeline = runner.runPipeline as AnyFn | undefined;
  const runStep = runner.runStep as AnyFn | undefined;
  if (typeof runPipeline !== 'function' || typeof runStep !== 'function') throw new WebbError('engine', 'core/stpipe/runner.node.ts lacks runPipeline/runStep');
  return {
    async plan(file, h, pipeline) {
      const name = pipeline ?? choosePipeline(h.stage, h.expType, h.tso);
      const def = pipelines.get(name);
      if (!def) throw new WebbError('not-found', `no pipeline ${name} (known: ${[...pipelines.keys()].join(', ')})`);
      const meta = await metaOf(file, h);
      return { pipeline: name, className: def.className, steps: def.steps.map((e) => stepView(e.step, e.when ? e.when(meta) : true, (e as { alias?: string }).alias)) };
    },
    async run(req) {
      // The runner takes 'steps.<alias>.<param>' for pipelines; the API says '<alias>.<param>'.
      const cliParams = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [req.pipeline && k.includes('.') ? `steps.${k}` : k, v]));
      // A step run alone reports its class name (WhiteLightStep); the API knows it by its alias (white_light).
      const alone = req.step ? steps.get(req.step)?.className : undefined;
      const rename = (n: EngineEvent): EngineEvent => (alone && n.step === alone ? { ...n, step: req.step } : n);
      const opts = { cliParams, outputDir: req.outputDir, signal: req.signal, onEvent: (e: unknown) => { const n = normalise(e); if (n) req.onEvent(rename(n)); } };
      let result: unknown;
      if (req.step) {
        const def = steps.get(req.step);
        if (!def) throw new WebbError('not-found', `no step ${req.step}`);
        result = await runStep(def, req.input, opts);
      } else {
        const def = pipelines.get(req.pipeline ?? '');
        if (!def) throw new WebbError('not-found', `no pipeline ${req.pipeline}`);
        result = await runPipeline(def, req.input, opts);
      }
      const r = (result ?? {}) as { outputs?: unknown; files?: unknown; provenance?: RunProvenance };
      const outputs = Array.isArray(r.outputs) ? r.outputs : Array.isArray(r.files) ? r.files : [];
      return { outputs: outputs.filter((x): x is string => typeof x === 'string'), ...provenanceOf(r.provenance, alone, req.step) };
    },
  };
}
