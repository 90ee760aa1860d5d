/**
 * Running one step with everything stpipe gives it: skip, the modes check,
 * reference selection (override_<reftype>, else CRDS), bookkeeping in the
 * product (meta.cal_step, meta.ref_file, CRDS context, software version),
 * events, save_results under stpipe's names, cancellation.
 */
import path from 'node:path';
import { getMeta, setMeta, type Meta } from '../datamodels/meta.ts';
import { CancelledError, StepError } from '../errors/index.ts';
import type { StepStatus } from './events.ts';
import { cloneModel, isModel, type JwstModel } from './model.ts';
import { overrideChoice } from './references.node.ts';
import { SOFTWARE_NAME, softwareVersion, type RunState } from './run-state.node.ts';
import { saveProduct } from './save.node.ts';
import type { ReferenceChoice, StepContext, StepDefinition, StepInput, StepProduct } from './types.ts';

/** meta.cal_step keys that differ from the step alias (stdatamodels core schema). */
const CAL_STEP_KEY: Readonly<Record<string, string>> = {
  dark_current: 'dark_sub',
  background: 'back_sub',
  bkg_subtract: 'back_sub',
  imprint_subtract: 'imprint',
  resample_spec: 'resample',
};

/** The meta.cal_step key a step records (dark_current -> dark_sub). */
export function calStepKey(def: StepDefinition, alias: string): string {
  return CAL_STEP_KEY[alias] ?? CAL_STEP_KEY[def.name] ?? def.name;
}

export interface StepRunSpec {
  readonly def: StepDefinition;
  /** Name inside the pipeline ('jump'), or the class name when run alone. */
  readonly alias: string;
  /** Logger name after 'stpipe.' ('Detector1Pipeline.jump', 'JumpStep'). */
  readonly loggerName: string;
  /** Resolved parameter values (common ones included). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly index: number;
  readonly total: number;
  /** Output naming: base (input / product name / output_file) and default suffix. */
  readonly base: string;
  readonly defaultSuffix: string;
  readonly outputDir: string;
  readonly extraSuffixes: readonly string[];
}

const models = (p: StepProduct | StepInput): JwstModel[] =>
  p === null ? [] : isModel(p) ? [p] : Array.isArray(p) ? (p as JwstModel[]).filter(isModel) : [];

/** The input's meta used for CRDS selection (first model of a list). */
function selectionMeta(input: StepInput): Meta {
  const m = models(input)[0];
  if (!m) throw new StepError('no-input', 'the step received no model to select references for');
  return m.meta;
}

function record(meta: Meta, key: string, status: StepStatus, refs: Readonly<Record<string, string>>, context: string | undefined): void {
  setMeta(meta, `cal_step.${key}`, status);
  for (const [rt, name] of Object.entries(refs)) setMeta(meta, `ref_file.${rt}.name`, name);
  if (context) setMeta(meta, 'ref_file.crds.context_used', context);
  setMeta(meta, 'ref_file.crds.sw_version', softwareVersion());
  setMeta(meta, 'calibration_software_name', SOFTWARE_NAME);
  setMeta(meta, 'calibration_software_version', softwareVersion());
}

/** Apply bookkeeping to copies of the product's models (inputs stay untouched). */
function bookkeep(product: StepProduct, input: StepInput, key: string, skipped: boolean, refs: Record<string, string>, context: string | undefined): StepProduct {
  const before = new Map(models(input).map((m) => [m, getMeta(m.meta, `cal_step.${key}`)]));
  const fix = (m: JwstModel): JwstModel => {
    const own = getMeta(m.meta, `cal_step.${key}`);
    // A step may decide to skip itself (sets SKIPPED on its output); otherwise COMPLETE.
    const status: StepStatus = skipped || (own === 'SKIPPED' && ![...before.values()].includes('SKIPPED')) ? 'SKIPPED' : 'COMPLETE';
    const out = cloneModel(m);
    record(out.meta, key, status, refs, context);
    return out;
  };
  if (product === null) return null;
  if (isModel(product)) return fix(product);
  if (Array.isArray(product)) return (product as JwstModel[]).map((m) => (isModel(m) ? fix(m) : m));
  return product;
}

function contextFor(run: RunState, spec: StepRunSpec, input: StepInput, refs: Record<string, string>): StepContext {
  const log = run.logger(spec.loggerName, spec.alias);
  const cache = new Map<string, Promise<ReferenceChoice>>();
  const choose = async (reftype: string): Promise<ReferenceChoice> => {
    const rt = reftype.toLowerCase();
    if (!spec.def.referenceTypes.includes(rt)) {
      throw new StepError('unknown-reftype', `${spec.def.className} asked for reference type ${rt}, which it does not declare`, { parameter: rt });
    }
    const choice = overrideChoice(spec.params[`override_${rt}`], rt, run.cwd) ?? (await run.session.bestref(selectionMeta(input), rt));
    refs[rt] = choice.kind === 'file' ? choice.name : 'N/A';
    log.debug(choice.kind === 'file' ? `Using ${rt.toUpperCase()} reference file ${choice.path}` : `${rt.toUpperCase()} reference is N/A (${choice.source})`);
    return choice;
  };
  return {
    params: spec.params,
    reference: (reftype) => {
      let p = cache.get(reftype);
      if (!p) cache.set(reftype, (p = choose(reftype)));
      return p;
    },
    log,
    progress: (done, total, unit) => run.emit({ type: 'progress', step: spec.alias, done, total, unit }),
    signal: run.signal,
    pool: run.opts.pool,
    outputDir: spec.outputDir,
  };
}

/** Output directory for a step: output_dir, else the run's, else cwd. */
export function outputDirOf(run: RunState, params: Readonly<Record<string, unknown>>): string {
  const d = params.output_dir;
  return path.resolve(run.cwd, typeof d === 'string' && d ? d : (run.opts.outputDir ?? '.'));
}

/** Run one step; returns its product (bookkept) and saves it when save_results. */
export async function executeStep(run: RunState, spec: StepRunSpec, input: StepInput): Promise<StepProduct> {
  const { def, alias, params } = spec;
  const log = run.logger(spec.loggerName, alias);
  const key = calStepKey(def, alias);
  const t = Date.now();
  const refs: Record<string, string> = {};
  run.check();
  run.emit({ type: 'step-started', step: alias, index: spec.index, total: spec.total });
  log.info(`Step ${alias} running with args (${models(input).map((m) => m.meta.filename ?? m.source ?? m.type).join(', ')}).`);
  let status: StepStatus = 'COMPLETE';
  try {
    let product: StepProduct;
    if (params.skip === true) {
      log.info('Step skipped.');
      status = 'SKIPPED';
      product = bookkeep(input as StepProduct, input, key, true, {}, undefined);
    } else {
      if (def.declaredOnly) throw new StepError('not-implemented', `${def.className} (${def.name}) is declared but not implemented in WebbDesk`);
      const why = def.supports?.(input);
      if (why) throw new StepError('not-implemented', `${def.className}: ${why}`);
      const raw = await def.run(input, contextFor(run, spec, input, refs));
      run.check();
      product = bookkeep(raw, input, key, false, refs, run.session.contextName());
      const first = models(product)[0];
      if (first && getMeta(first.meta, `cal_step.${key}`) === 'SKIPPED') status = 'SKIPPED';
    }
    if (params.save_results === true && status !== 'SKIPPED') {
      const suffix = typeof params.suffix === 'string' && params.suffix ? params.suffix : spec.defaultSuffix;
      await saveProduct(run, product, {
        dir: spec.outputDir, base: spec.base, suffix, ext: String(params.output_ext ?? '.fits'),
        useIndex: params.output_use_index !== false, useModel: params.output_use_model === true,
        extraSuffixes: spec.extraSuffixes, step: alias,
      }, log.info);
    }
    const durationMs = Date.now() - t;
    log.info(`Step ${alias} done`);
    run.steps.push({ step: alias, className: def.className, status, durationMs, references: { ...refs } });
    run.emit({ type: 'step-finished', step: alias, status, durationMs });
    return product;
  } catch (e) {
    const durationMs = Date.now() - t;
    const cancelled = e instanceof CancelledError || run.signal.aborted;
    if (!cancelled) log.error(`Step ${alias} failed: ${(e as Error).message}`);
    run.steps.push({ step: alias, className: def.className, status: 'FAILED', durationMs, references: { ...refs } });
    run.emit({ type: 'step-finished', step: alias, status: 'FAILED', durationMs, error: (e as Error).message });
    if (cancelled && !(e instanceof CancelledError)) throw new CancelledError('the run was cancelled');
    throw e;
  }
}
