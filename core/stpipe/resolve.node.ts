/**
 * Parameter resolution with files: CRDS pars-<class> references (when the
 * context has them and they are not disabled), the user's ASDF parameter file,
 * and command-line/UI values, in that increasing precedence over the defaults.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { markFloat, readParameterFile, writeParameterFile, type StepParameters } from '../asdf/index.ts';
import type { Meta } from '../datamodels/meta.ts';
import { StepError } from '../errors/index.ts';
import {
  flattenParameterTree, fullPipelineSpec, fullStepSpec, pythonClass, resolveLayers, splitPipelineLayer,
  type ParamLayer, type ParamSource, type ResolvedParams, type ResolvedValue,
} from './params-resolve.ts';
import type { RunState } from './run-state.node.ts';
import { writeTextAtomic } from './save.node.ts';
import type { ParamSpecs, PipelineDefinition, StepDefinition } from './types.ts';

/** Read an ASDF parameter file (stpipe layout or the legacy one). */
export async function loadParameterFile(file: string): Promise<StepParameters> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new StepError('missing-parameter-file', `cannot read parameter file: ${(e as Error).message}`, { file }, { cause: e });
  }
  return readParameterFile(bytes, file);
}

/** The last component of a Python class path: 'jwst.jump.jump_step.JumpStep' -> 'JumpStep'. */
export const classTail = (cls: string): string => cls.slice(cls.lastIndexOf('.') + 1);

async function userFile(run: RunState, className: string): Promise<StepParameters | undefined> {
  if (!run.opts.paramFile) return undefined;
  const file = path.resolve(run.cwd, run.opts.paramFile);
  const p = await loadParameterFile(file);
  if (classTail(p.className) !== className) {
    throw new StepError('param-file-class', `parameter file is for ${p.className}, not ${className}`, { file });
  }
  if (!run.parameterFiles.includes(file)) run.parameterFiles.push(file);
  return p;
}

async function crdsPars(run: RunState, meta: Meta | undefined, className: string): Promise<StepParameters | undefined> {
  if (!meta || !run.crdsStepparsEnabled()) return undefined;
  const log = run.logger(className);
  const file = await run.session.parsReference(meta, className, (m) => log.debug(m));
  if (!file) return undefined;
  log.info(`PARS-${className.toUpperCase()} parameters found: ${file}`);
  if (!run.parameterFiles.includes(file)) run.parameterFiles.push(file);
  return loadParameterFile(file);
}

type Resolved = Record<string, ResolvedValue>;

/** A step run alone: defaults < pars-<class> < parameter file < cliParams. */
export async function resolveStepParams(run: RunState, def: StepDefinition, meta: Meta | undefined): Promise<Resolved> {
  const warn = run.logger(def.className).warning;
  const layers: Array<{ source: ParamSource; values: ParamLayer }> = [];
  const crds = await crdsPars(run, meta, def.className);
  if (crds) layers.push({ source: 'crds', values: crds.parameters });
  const user = await userFile(run, def.className);
  if (user) layers.push({ source: 'file', values: flattenParameterTree(user) });
  layers.push({ source: 'cli', values: run.opts.cliParams ?? {} });
  return resolveLayers(fullStepSpec(def), def.className, layers, warn);
}

/** The alias of each pipeline entry (step_defs key). */
export const aliasesOf = (def: PipelineDefinition): string[] => def.steps.map((e) => e.alias ?? e.step.name);

/**
 * A pipeline: its own parameters and each step's, with the same precedence.
 * Per step: defaults < pars-<step class> < the pipeline's pars steps section <
 * the parameter file's steps section < --steps.<alias>.<param>.
 */
export async function resolvePipelineParams(run: RunState, def: PipelineDefinition, meta: Meta | undefined): Promise<{ own: Resolved; steps: Record<string, Resolved> }> {
  const warn = run.logger(def.className).warning;
  const aliases = aliasesOf(def);
  const layers: Array<{ source: ParamSource; split: ReturnType<typeof splitPipelineLayer> }> = [];
  const crds = await crdsPars(run, meta, def.className);
  if (crds) layers.push({ source: 'crds', split: splitPipelineLayer(flattenParameterTree(crds), aliases, def.className, 'crds') });
  const user = await userFile(run, def.className);
  if (user) layers.push({ source: 'file', split: splitPipelineLayer(flattenParameterTree(user), aliases, def.className, 'file') });
  layers.push({ source: 'cli', split: splitPipelineLayer(run.opts.cliParams ?? {}, aliases, def.className, 'cli') });
  const own = resolveLayers(fullPipelineSpec(def), def.className, layers.map((l) => ({ source: l.source, values: l.split.own })), warn);
  const steps: Record<string, Resolved> = {};
  for (const [i, entry] of def.steps.entries()) {
    const alias = aliases[i];
    const stepLayers: Array<{ source: ParamSource; values: ParamLayer; prefix: string }> = [];
    const stepCrds = await crdsPars(run, meta, entry.step.className);
    if (stepCrds) stepLayers.push({ source: 'crds', values: stepCrds.parameters, prefix: `steps.${alias}.` });
    for (const l of layers) stepLayers.push({ source: l.source, values: l.split.steps[alias] ?? {}, prefix: `steps.${alias}.` });
    steps[alias] = resolveLayers(fullStepSpec(entry.step), entry.step.className, stepLayers, warn);
  }
  return { own, steps };
}

function withFloatMarks(values: Record<string, unknown>, spec: ParamSpecs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = v;
    if (typeof v === 'number' && spec[k]?.kind === 'float') markFloat(out, k);
  }
  return out;
}

/** Nested resolved parameters for a step run alone. */
export function stepResolvedParams(def: StepDefinition, values: Record<string, unknown>): ResolvedParams {
  return { class: pythonClass(def), name: def.className, parameters: values };
}

/** Nested resolved parameters for a pipeline (steps in pipeline order). */
export function pipelineResolvedParams(def: PipelineDefinition, own: Record<string, unknown>, steps: Record<string, Record<string, unknown>>): ResolvedParams {
  const aliases = aliasesOf(def);
  return {
    class: pythonClass(def, true),
    name: def.className,
    parameters: own,
    steps: def.steps.map((e, i) => ({ class: pythonClass({ name: aliases[i], className: e.step.className }), name: aliases[i], parameters: steps[aliases[i]] ?? {} })),
  };
}

/**
 * Write resolved parameters as an ASDF parameter file with stpipe's structure
 * (class, name, parameters, steps[]); floats stay floats (4.0, not 4).
 */
export async function exportConfig(def: StepDefinition | PipelineDefinition, resolved: ResolvedParams, file: string): Promise<void> {
  const isPipeline = 'steps' in def && Array.isArray((def as PipelineDefinition).steps);
  const ownSpec = isPipeline ? fullPipelineSpec(def as PipelineDefinition) : fullStepSpec(def as StepDefinition);
  const stepSpec = (name: string): ParamSpecs => {
    if (!isPipeline) return {};
    const p = def as PipelineDefinition;
    const i = aliasesOf(p).indexOf(name);
    return i >= 0 ? fullStepSpec(p.steps[i].step) : {};
  };
  const tree: StepParameters = {
    className: resolved.class,
    name: resolved.name,
    parameters: withFloatMarks(resolved.parameters, ownSpec),
    steps: (resolved.steps ?? []).map((s) => ({ className: s.class, name: s.name, parameters: withFloatMarks(s.parameters, stepSpec(s.name)), steps: [] })),
  };
  const bytes = writeParameterFile(tree);
  await writeTextAtomic(file, bytes);
}
