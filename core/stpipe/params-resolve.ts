/**
 * Parameters as stpipe resolves them: every step gets the common stpipe
 * parameters and override_<reftype>; values are layered (defaults < CRDS
 * pars-* < user parameter file < command line / UI) and coerced to their
 * kinds as configobj does ('True', 'None', '4.5', 'a,b').
 * stpipe docs, "Configuring a Step" / "Parameter Files" (precedence).
 */
import { StepError } from '../errors/index.ts';
import { param } from './param.ts';
import type { ParamSpec, ParamSpecs, PipelineDefinition, StepDefinition } from './types.ts';

/** Where a parameter value came from (for provenance and `--help`). */
export type ParamSource = 'default' | 'crds' | 'file' | 'cli';

/** A flat layer of values: 'param' or 'steps.<alias>.<param>' -> raw value (string from a command line, typed from files/UI). */
export type ParamLayer = Readonly<Record<string, unknown>>;

/** The nested form stpipe writes with export_config (class, name, parameters, steps). */
export interface ResolvedParams {
  /** Fully qualified Python class, e.g. 'jwst.jump.jump_step.JumpStep'. */
  readonly class: string;
  /** Step alias inside a pipeline ('jump'), or the class name when run alone ('JumpStep'). */
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly steps?: ResolvedParams[];
}

/** The stpipe parameters every step and pipeline has (stpipe Step.spec). */
export function commonSpec(skipByDefault = false): ParamSpecs {
  return {
    pre_hooks: param.stringList([], 'Hooks to run before the step'),
    post_hooks: param.stringList([], 'Hooks to run after the step'),
    output_file: param.string(null, 'File name upon which output files will be based'),
    output_dir: param.string(null, 'Directory where all output will go'),
    output_ext: param.string('.fits', 'Default type of output'),
    output_use_model: param.bool(false, 'When True, always base output file names on the model meta.filename'),
    output_use_index: param.bool(true, 'Append index to output names of list products (_0_, _1_)'),
    save_results: param.bool(false, 'Force save results'),
    skip: param.bool(skipByDefault, 'Skip this step'),
    suffix: param.string(null, 'Default suffix for output files'),
    search_output_file: param.bool(true, 'Use output_file from a parent step or pipeline'),
    input_dir: param.string('', 'Input directory'),
  };
}

/** The full spec of a step: common parameters, its own, and override_<reftype> for each reference type. */
export function fullStepSpec(def: StepDefinition): ParamSpecs {
  const out: Record<string, ParamSpec> = { ...commonSpec(def.skipByDefault ?? false), ...def.spec };
  for (const rt of def.referenceTypes) {
    out[`override_${rt}`] = param.string(null, `Override the ${rt} reference file (a path, or N/A)`);
  }
  return out;
}

/** The full spec of a pipeline's own parameters (its steps are resolved separately). */
export function fullPipelineSpec(def: PipelineDefinition): ParamSpecs {
  return { ...commonSpec(false), ...def.spec };
}

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);
const isNone = (v: unknown): boolean => v === null || (typeof v === 'string' && (v.trim() === 'None' || v.trim() === 'none'));

function bad(owner: string, name: string, spec: ParamSpec, value: unknown): StepError {
  const want = spec.kind === 'option' ? `one of ${(spec.options ?? []).map((o) => (o === null ? 'None' : String(o))).join(', ')}` : `a ${spec.kind.replace('_', ' ')}`;
  return new StepError('bad-parameter', `${JSON.stringify(value)} is not ${want} (${owner})`, { parameter: name });
}

function toNumber(v: unknown, integer: boolean): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return integer && !Number.isInteger(v) ? undefined : v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (integer) return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

function listItems(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string') return v === undefined ? undefined : [v];
  const s = v.trim().replace(/^\[(.*)\]$/, '$1').trim();
  if (s === '') return [];
  return s.split(',').map((x) => x.trim().replace(/^['"](.*)['"]$/, '$1'));
}

/**
 * Coerce one value to its spec's kind. `owner` names the step for messages
 * ('JumpStep'); `name` is the parameter as the user wrote it.
 */
export function coerceParam(spec: ParamSpec, value: unknown, name: string, owner: string): unknown {
  if (isNone(value)) {
    if (spec.nullable || spec.kind === 'any' || spec.kind === 'string') return null;
    throw bad(owner, name, spec, value);
  }
  switch (spec.kind) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const s = String(value).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      throw bad(owner, name, spec, value);
    }
    case 'integer':
    case 'float': {
      const n = toNumber(value, spec.kind === 'integer');
      if (n === undefined) throw bad(owner, name, spec, value);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new StepError('bad-parameter', `${n} is outside [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}] (${owner})`, { parameter: name });
      }
      return n;
    }
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'option': {
      const opts = spec.options ?? [];
      const hit = opts.find((o) => o !== null && (o === value || String(o) === String(value).trim()));
      if (hit === undefined) throw bad(owner, name, spec, value);
      return hit;
    }
    case 'int_list':
    case 'float_list': {
      const items = listItems(value);
      const nums = items?.map((x) => toNumber(x, spec.kind === 'int_list'));
      if (!nums || nums.some((x) => x === undefined)) throw bad(owner, name, spec, value);
      return nums;
    }
    case 'string_list': {
      const items = listItems(value);
      if (!items) throw bad(owner, name, spec, value);
      return items.map((x) => String(x));
    }
    case 'any':
      return value;
  }
}

/** One value with where it came from. */
export interface ResolvedValue {
  readonly value: unknown;
  readonly source: ParamSource;
}

/**
 * Resolve a step's (or pipeline's) own parameters from layers in increasing
 * precedence. `layers[i].values` are already scoped to this step (keys are
 * parameter names). Unknown names: an error for 'file' and 'cli' layers,
 * ignored with a warning for 'crds' (old pars files may carry retired names).
 */
export function resolveLayers(
  spec: ParamSpecs,
  owner: string,
  layers: ReadonlyArray<{ source: ParamSource; values: ParamLayer; prefix?: string }>,
  warn: (msg: string) => void = () => {},
): Record<string, ResolvedValue> {
  const out: Record<string, ResolvedValue> = {};
  for (const [k, s] of Object.entries(spec)) out[k] = { value: structuredClone(s.default), source: 'default' };
  for (const layer of layers) {
    for (const [k, raw] of Object.entries(layer.values)) {
      if (k === 'class' || k === 'name') continue;
      const s = spec[k];
      const shown = `${layer.prefix ?? ''}${k}`;
      if (!s) {
        if (layer.source === 'crds') {
          warn(`ignoring unknown parameter ${shown} for ${owner} in the CRDS parameter reference`);
          continue;
        }
        throw new StepError('unknown-parameter', `unknown parameter ${shown} for ${owner}`, { parameter: shown });
      }
      out[k] = { value: coerceParam(s, raw, shown, owner), source: layer.source };
    }
  }
  return out;
}

/** Values only, from resolveLayers' result. */
export function valuesOf(r: Readonly<Record<string, ResolvedValue>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.value]));
}

/**
 * Split a flat pipeline layer ('save_calibrated_ramp', 'steps.jump.rejection_threshold')
 * into the pipeline's own values and per-step values. A step alias not in
 * `aliases` is an error naming the key.
 */
export function splitPipelineLayer(flat: ParamLayer, aliases: readonly string[], owner: string, source: ParamSource): { own: Record<string, unknown>; steps: Record<string, Record<string, unknown>> } {
  const own: Record<string, unknown> = {};
  const steps: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(flat)) {
    const m = /^steps\.([^.]+)\.(.+)$/.exec(k);
    if (!m) {
      if (k.startsWith('steps.') && source !== 'crds') throw new StepError('unknown-parameter', `malformed parameter ${k} for ${owner} (use steps.<step>.<parameter>)`, { parameter: k });
      own[k] = v;
      continue;
    }
    if (!aliases.includes(m[1])) {
      if (source === 'crds') continue;
      throw new StepError('unknown-parameter', `unknown step ${m[1]} in ${k} for ${owner} (steps: ${aliases.join(', ')})`, { parameter: k });
    }
    (steps[m[1]] ??= {})[m[2]] = v;
  }
  return { own, steps };
}

/** Flatten a parameter-file tree ({parameters, steps:[{name, parameters}]}) into a flat layer. */
export function flattenParameterTree(p: { parameters: Record<string, unknown>; steps: ReadonlyArray<{ name: string; parameters: Record<string, unknown> }> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.parameters)) out[k] = v;
  for (const s of p.steps) for (const [k, v] of Object.entries(s.parameters)) out[`steps.${s.name}.${k}`] = v;
  return out;
}

/** Python module path stpipe records as `class` (jwst 3.0 package layout). */
const PY_MODULE: Readonly<Record<string, string>> = {
  ramp_fit: 'jwst.ramp_fitting.ramp_fit_step',
  resample_spec: 'jwst.resample.resample_spec_step',
  resample: 'jwst.resample.resample_step',
  msa_flagging: 'jwst.msaflagopen.msaflagopen_step',
  bkg_subtract: 'jwst.background.background_step',
  imprint_subtract: 'jwst.imprint.imprint_step',
  mrs_imatch: 'jwst.mrs_imatch.mrs_imatch_step',
};

/** 'jwst.jump.jump_step.JumpStep' for a step; 'jwst.pipeline.calwebb_detector1.Detector1Pipeline' for a pipeline. */
export function pythonClass(def: { name: string; className: string }, pipeline = false): string {
  if (pipeline) return `jwst.pipeline.${def.name}.${def.className}`;
  return `${PY_MODULE[def.name] ?? `jwst.${def.name}.${def.name}_step`}.${def.className}`;
}
