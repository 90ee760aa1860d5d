/**
 * The one runner for steps and pipelines (stpipe semantics): inputs (file,
 * model, association per product), parameters (defaults < CRDS pars-* <
 * parameter file < command line/UI), steps with skip/overrides/bookkeeping/
 * save_results, pipeline contexts, events and logging, cancellation (files
 * this run wrote are removed), provenance.
 */
import { CancelledError, StepError, WebbError } from '../errors/index.ts';
import { isModel, type JwstModel } from './model.ts';
import type { ResolvedParams } from './params-resolve.ts';
import { valuesOf } from './params-resolve.ts';
import { aliasesOf, pipelineResolvedParams, resolvePipelineParams, resolveStepParams, stepResolvedParams } from './resolve.node.ts';
import { RunState, type ProductFailure, type RunOptions, type RunResult } from './run-state.node.ts';
import { saveProduct } from './save.node.ts';
import { executeStep, outputDirOf } from './step-exec.node.ts';
import { workUnits, type ModelOpener, type RunInput, type WorkUnit } from './inputs.node.ts';
import type { PipelineContext, PipelineDefinition, StepDefinition, StepInput, StepProduct } from './types.ts';

/** StepError code for "no science data" (strun exits 64, as jwst's NoDataOnDetectorError). */
export const NO_SCIENCE_DATA = 'no-science-data';

/** A unit prepared for execution: its parameters are resolved; `execute` runs it. */
interface Prepared {
  readonly resolved: ResolvedParams;
  readonly failOnException: boolean;
  execute(): Promise<StepProduct>;
}

const firstMeta = (input: StepInput): JwstModel['meta'] | undefined => (isModel(input) ? input.meta : (input as readonly JwstModel[])[0]?.meta);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The default suffix of a step run alone: its jwst spec default, else the class name lower-cased (jumpstep). */
function aloneSuffix(def: StepDefinition): string {
  return def.suffix && def.suffix !== def.name ? def.suffix : def.className.toLowerCase();
}

async function runUnits(
  run: RunState,
  names: { name: string; className: string },
  input: RunInput,
  prepare: (unit: WorkUnit, input: StepInput) => Promise<Prepared>,
  failPolicy: () => Promise<boolean> = async () => true,
  open?: ModelOpener,
): Promise<RunResult> {
  const label = typeof input === 'string' ? input : '<in memory>';
  run.emit({ type: 'run-started', name: names.name, className: names.className, input: label, time: run.t0 });
  const products: StepProduct[] = [];
  const failures: ProductFailure[] = [];
  let resolved: ResolvedParams | undefined;
  try {
    const units = await workUnits(input, run.cwd, open);
    for (const [i, unit] of units.entries()) {
      run.check();
      if (unit.fromAssociation) run.emit({ type: 'product-started', product: unit.label, index: i, total: units.length });
      let p: Prepared | undefined;
      try {
        p = await prepare(unit, await unit.load());
        resolved ??= p.resolved;
        products.push(await p.execute());
        if (unit.fromAssociation) run.emit({ type: 'product-finished', product: unit.label, status: 'ok' });
      } catch (e) {
        const paramError = e instanceof StepError && /^(unknown|bad)-parameter$|^param-file/.test(e.code);
        if (e instanceof CancelledError || run.signal.aborted || !unit.fromAssociation || paramError) throw e;
        run.emit({ type: 'product-finished', product: unit.label, status: 'failed', error: (e as Error).message });
        run.logger(names.className).error(`product ${unit.label} failed: ${(e as Error).message}`);
        if (p ? p.failOnException : await failPolicy()) throw e;
        failures.push({ product: unit.label, error: e as Error });
        products.push(null);
      }
    }
    if (!resolved) {
      if (failures.length === 0) throw new StepError('no-input', 'the input holds no product to process');
      throw new StepError('all-products-failed', `every product failed; the first: ${failures[0].error.message}`);
    }
    run.emit({ type: 'run-finished', status: 'ok', outputs: [...run.outputs], durationMs: Date.now() - run.t0 });
    return { products, outputs: [...run.outputs], resolvedParams: resolved, provenance: run.provenance(), failures };
  } catch (e) {
    const cancelled = e instanceof CancelledError || run.signal.aborted;
    if (cancelled) await run.removeOutputs();
    run.emit({ type: 'run-finished', status: cancelled ? 'cancelled' : 'failed', outputs: [...run.outputs], durationMs: Date.now() - run.t0, error: (e as Error).message });
    if (cancelled && !(e instanceof CancelledError)) throw new CancelledError('the run was cancelled');
    if (!(e instanceof WebbError) && e instanceof Error) throw new StepError('step-failed', `${names.className} failed: ${e.message}`, {}, { cause: e });
    throw e;
  }
}

/**
 * Run one step on a file path, a model (or list), or an association. Saves
 * its product when save_results is true (`_<classname lower>` suffix, `_0_`/`_1_` for lists).
 */
export async function runStep(def: StepDefinition, input: RunInput, opts: RunOptions = {}): Promise<RunResult> {
  const run = new RunState(opts);
  return runUnits(run, { name: def.name, className: def.className }, input, async (unit, model) => {
    const values = valuesOf(await resolveStepParams(run, def, firstMeta(model)));
    return {
      resolved: stepResolvedParams(def, values),
      failOnException: true,
      execute: () => executeStep(run, {
        def, alias: def.className, loggerName: def.className, params: values, index: 0, total: 1,
        base: str(values.output_file) ?? unit.base, defaultSuffix: aloneSuffix(def), outputDir: outputDirOf(run, values),
        extraSuffixes: [def.name, def.className.toLowerCase()],
      }, model),
    };
  });
}

function pipelineContext(run: RunState, def: PipelineDefinition, unit: WorkUnit, own: Record<string, unknown>, steps: Record<string, Record<string, unknown>>): PipelineContext {
  const aliases = aliasesOf(def);
  const dir = outputDirOf(run, own);
  const pipeBase = str(own.output_file) ?? unit.base;
  const extra = [def.name, def.className.toLowerCase(), ...aliases, ...def.steps.map((e) => e.step.className.toLowerCase())];
  const log = run.logger(def.className);
  const save = async (product: StepProduct, suffix: string, o: { force?: boolean; base?: string } = {}): Promise<string[]> => {
    if (own.save_results !== true && !o.force) return [];
    return saveProduct(run, product, {
      dir, base: o.base ?? pipeBase, suffix, ext: String(own.output_ext ?? '.fits'), useIndex: own.output_use_index !== false,
      useModel: own.output_use_model === true, extraSuffixes: extra, step: def.className,
    }, log.info);
  };
  return {
    params: own,
    log,
    signal: run.signal,
    outputDir: dir,
    progress: (done, total, u) => run.emit({ type: 'progress', step: def.className, done, total, unit: u }),
    save,
    stepParams: (name) => ({ ...(steps[name] ?? {}) }),
    runStep: async <O extends StepProduct = StepProduct>(name: string, input: StepInput, o: { readonly skip?: boolean } = {}): Promise<O> => {
      const i = aliases.indexOf(name);
      if (i < 0) throw new StepError('unknown-step', `${def.className} has no step ${name} (steps: ${aliases.join(', ')})`);
      const vals = o.skip ? { ...steps[name], skip: true } : steps[name];
      const base = str(vals.output_file) ?? (vals.search_output_file !== false ? str(own.output_file) : undefined) ?? unit.base;
      const out = await executeStep(run, {
        def: def.steps[i].step, alias: name, loggerName: `${def.className}.${name}`, params: vals, index: i, total: def.steps.length,
        base, defaultSuffix: name, outputDir: str(vals.output_dir) ? outputDirOf(run, vals) : dir, extraSuffixes: extra,
      }, input);
      return out as O;
    },
  };
}

/**
 * Run a pipeline. Its `run` calls ctx.runStep(alias, input) for each step and
 * ctx.save(product, suffix) for each product (written when the pipeline's
 * save_results is true, or with {force: true} as jwst's save_calibrated_ramp).
 */
export async function runPipeline(def: PipelineDefinition, input: RunInput, opts: RunOptions = {}): Promise<RunResult> {
  const run = new RunState(opts);
  return runUnits(run, { name: def.name, className: def.className }, input, async (unit, model) => {
    const r = await resolvePipelineParams(run, def, firstMeta(model));
    const own = valuesOf(r.own);
    const steps = Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, valuesOf(v)]));
    const log = run.logger(def.className);
    return {
      resolved: pipelineResolvedParams(def, own, steps),
      failOnException: own.fail_on_exception !== false,
      execute: async () => {
        const t = Date.now();
        log.info(`Step ${def.className} running with args (${unit.label}).`);
        const out = await def.run(model, pipelineContext(run, def, unit, own, steps));
        run.check();
        log.info(`Step ${def.className} done (${((Date.now() - t) / 1000).toFixed(3)} s)`);
        return out;
      },
    };
  }, async () => valuesOf((await resolvePipelineParams(run, def, undefined)).own).fail_on_exception !== false, def.openInput);
}

/**
 * Parameters a run would use, without running (for `strun --save-parameters`
 * and the UI): CRDS pars-* need the input's meta (omit it to leave them out).
 */
export async function resolveParameters(def: StepDefinition | PipelineDefinition, meta: JwstModel['meta'] | undefined, opts: RunOptions = {}): Promise<ResolvedParams> {
  const run = new RunState(opts);
  if (isPipelineDef(def)) {
    const r = await resolvePipelineParams(run, def, meta);
    return pipelineResolvedParams(def, valuesOf(r.own), Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, valuesOf(v)])));
  }
  return stepResolvedParams(def, valuesOf(await resolveStepParams(run, def, meta)));
}

/** A pipeline definition (has a steps list) rather than a step. */
export function isPipelineDef(def: StepDefinition | PipelineDefinition): def is PipelineDefinition {
  return Array.isArray((def as PipelineDefinition).steps);
}

export type { RunOptions, RunResult } from './run-state.node.ts';
export type { RunInput, AssociationLike } from './inputs.node.ts';
