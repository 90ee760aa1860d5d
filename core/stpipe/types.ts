/**
 * The step/pipeline contract (stpipe semantics, ARCHITECTURE.md "core/stpipe",
 * STYLE.md section 3). A step is data: its name, class name, parameter spec,
 * reference types and a `run` that works on in-memory models. The runner
 * (runner.node.ts) gives every step skip, save_results, output naming,
 * override_<reftype>, parameter precedence, bookkeeping, logging, progress and
 * cancellation; a step never does these itself.
 */
import type { Meta } from '../datamodels/meta.ts';
import type { JwstModel } from './model.ts';

/** Kinds of parameter values, as configobj specs spell them in stpipe. */
export type ParamKind =
  | 'boolean' | 'integer' | 'float' | 'string' | 'option'
  | 'int_list' | 'float_list' | 'string_list' | 'any';

export interface ParamSpec {
  readonly kind: ParamKind;
  /** Default value (null = None in stpipe). */
  readonly default: unknown;
  /** One-line description, shown by `strun X --help` and as UI tooltips. */
  readonly doc: string;
  /** Allowed values for kind 'option'. */
  readonly options?: readonly (string | number | null)[];
  /** stpipe spec allowed None ("default=None"). */
  readonly nullable?: boolean;
  /** For the UI: a unit or a range hint. */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;
export type Params = Readonly<Record<string, unknown>>;

/**
 * The reference file a step gets for one reftype: a file (from CRDS or an
 * override), or not applicable (CRDS N/A or override 'N/A').
 */
export type ReferenceChoice =
  | { readonly kind: 'file'; readonly path: string; /** crds://name or the override path, as recorded in meta.ref_file */ readonly name: string; readonly source: 'crds' | 'override' }
  | { readonly kind: 'not-applicable'; readonly source: 'crds' | 'override' };

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface StepLogger {
  debug(msg: string): void;
  info(msg: string): void;
  warning(msg: string): void;
  error(msg: string): void;
}

/** What the runner hands a step's `run`. */
export interface StepContext {
  /** Resolved parameters (all spec keys present, values coerced to their kinds). */
  readonly params: Params;
  /** Reference file for one of the step's reference types (throws CrdsError when CRDS cannot answer). */
  reference(reftype: string): Promise<ReferenceChoice>;
  readonly log: StepLogger;
  /** Progress within the step, e.g. integrations done of total. */
  progress(done: number, total: number, unit?: string): void;
  /** Aborted on cancel: check between chunks; throw CancelledError (or call signal.throwIfAborted()). */
  readonly signal: AbortSignal;
  /** Worker pool for kernels (core/workers); undefined means run inline. */
  readonly pool?: import('../workers/types.ts').KernelPool;
  /** Directory for intermediate/auxiliary outputs the step writes itself. */
  readonly outputDir: string;
}

/**
 * A step's product(s): one model, a list of models (RampFitStep returns
 * [rate, rateints]; stpipe names them _0_<suffix>, _1_<suffix> when saved),
 * or a non-model product (white_light's ECSV table).
 */
export type StepProduct = JwstModel | readonly JwstModel[] | TableProduct | null;

/** A non-FITS product, e.g. the white-light curve written as ECSV. */
export interface TableProduct {
  readonly kind: 'table';
  /** File extension written ('ecsv'). */
  readonly format: 'ecsv';
  /** The complete file text. */
  readonly text: string;
  readonly meta?: Meta;
}

/** What a step may receive: a model, or several (association members, background list). */
export type StepInput = JwstModel | readonly JwstModel[];

export interface StepDefinition<I extends StepInput = StepInput, O extends StepProduct = StepProduct> {
  /** jwst alias, e.g. 'flat_field'. */
  readonly name: string;
  /** jwst class name, e.g. 'FlatFieldStep'. */
  readonly className: string;
  /** Step-specific parameters (the common ones: skip, save_results, ... are added by the runner). */
  readonly spec: ParamSpecs;
  /** Reference types, lower case as CRDS names them ('flat', 'readnoise'). override_<reftype> is added for each. */
  readonly referenceTypes: readonly string[];
  /** Default output suffix when run alone or saved (jwst: usually the alias; ramp_fit -> 'rampfitstep' etc. is derived by the runner). */
  readonly suffix?: string;
  /** One line for `strun --list` and the UI. */
  readonly summary: string;
  /**
   * The modes this implementation supports. Returns undefined when it can
   * process this input, otherwise a message saying what is not implemented
   * (the runner turns it into a StepError 'not-implemented').
   */
  readonly supports?: (input: I) => string | undefined;
  /** true when WebbDesk has only the declaration (parameters, reftypes) and no algorithm yet. */
  readonly declaredOnly?: boolean;
  /** jwst's spec sets `skip = boolean(default=True)` (clean_flicker_noise, charge_migration, pixel_replace, ...): the runner's default for skip. */
  readonly skipByDefault?: boolean;
  run(input: I, ctx: StepContext): Promise<O>;
}

/** One entry of a pipeline's step list: the UI draws the same list. */
export interface PipelineStepEntry {
  readonly step: StepDefinition;
  /** The step's name inside this pipeline when it differs from step.name (jwst step_defs key: Spec2Pipeline's 'bkg_subtract' is BackgroundStep, 'imprint_subtract' is ImprintStep). */
  readonly alias?: string;
  /** Whether the step runs for this exposure (seed 003's mode table); absent = always. Skipped ones get cal_step SKIPPED or are left out as jwst does. */
  readonly when?: (meta: Meta) => boolean;
}

/** Per-call options of PipelineContext.runStep. */
export interface RunStepOptions {
  /** Force skip (jwst's per-mode rules set step.skip = True): the runner logs 'Step skipped.', records SKIPPED and returns the input. */
  readonly skip?: boolean;
}

/** What a pipeline flow gets: run one of its steps with all the runner's rules applied. */
export interface PipelineContext {
  readonly params: Params;
  readonly log: StepLogger;
  readonly signal: AbortSignal;
  readonly outputDir: string;
  /** Run a sub-step by alias with its resolved parameters (skip, save_results, overrides, bookkeeping applied). */
  runStep<O extends StepProduct = StepProduct>(name: string, input: StepInput, opts?: RunStepOptions): Promise<O>;
  /**
   * Save a product under the pipeline's naming rules (suffix e.g. 'rate', 'calints', 'x1dints').
   * Writes only when the pipeline's save_results is true, or with {force: true}
   * (jwst's save_calibrated_ramp). `base` names the output after another file
   * than the product (jwst's save_model(output_file=member name), e.g. crfints). Returns the paths written.
   */
  save(product: StepProduct, suffix: string, opts?: { readonly force?: boolean; readonly base?: string }): Promise<string[]>;
  progress(done: number, total: number, unit?: string): void;
  /** Resolved parameters of a sub-step by alias (read-only; e.g. to decide whether a flow may stream it by integration chunks). */
  stepParams?(name: string): Params;
}

export interface PipelineDefinition {
  readonly name: string;
  readonly className: string;
  /** Pipeline-level parameters (e.g. save_calibrated_ramp). */
  readonly spec: ParamSpecs;
  readonly steps: readonly PipelineStepEntry[];
  readonly summary: string;
  /** Products this pipeline writes, in order (suffixes), for docs and the UI. */
  readonly products: readonly string[];
  run(input: StepInput, ctx: PipelineContext): Promise<StepProduct>;
  /**
   * How the runner opens a file input (or an association member) for this
   * pipeline; default loadModel. Pipelines that stream large exposures return
   * a stub whose big arrays stay on disk, and load it whole themselves when
   * they do not stream.
   */
  readonly openInput?: (path: string) => Promise<JwstModel>;
}

export function defineStep<I extends StepInput, O extends StepProduct>(def: StepDefinition<I, O>): StepDefinition<I, O> {
  return Object.freeze(def);
}

export function definePipeline(def: PipelineDefinition): PipelineDefinition {
  return Object.freeze(def);
}
