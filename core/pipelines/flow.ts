/**
 * Helpers shared by the pipeline definitions: building step entries from the
 * registry, the step list that applies to an exposure, and running a chain
 * of steps through the PipelineContext (mode rules -> forced skip).
 */
import type { Meta } from '../datamodels/meta.ts';
import { BugError, StepError } from '../errors/index.ts';
import type { PipelineContext, PipelineDefinition, PipelineStepEntry, StepDefinition, StepInput, StepProduct } from '../stpipe/index.ts';
import { isModel, type JwstModel } from '../stpipe/model.ts';
import { membersByType } from '../associations/members.ts';

/** Entry for step `alias` of the registry, under `pipelineAlias` when jwst's step_defs key differs. */
export function entry(
  steps: Readonly<Record<string, StepDefinition>>,
  alias: string,
  when?: (meta: Meta) => boolean,
  pipelineAlias?: string,
): PipelineStepEntry {
  const step = steps[alias];
  if (!step) throw new BugError(`pipeline step '${alias}' is not in the step registry`);
  return { step, ...(when ? { when } : {}), ...(pipelineAlias ? { alias: pipelineAlias } : {}) };
}

/** The name of an entry inside its pipeline (jwst step_defs key). */
export function entryName(e: PipelineStepEntry): string {
  return e.alias ?? e.step.name;
}

/** Sub-steps by their name inside the pipeline (what --steps.<name>.* addresses). */
export function pipelineSteps(p: PipelineDefinition): Record<string, StepDefinition> {
  return Object.fromEntries(p.steps.map((e) => [entryName(e), e.step]));
}

/** Names of the steps whose mode rule accepts this exposure, in pipeline order. */
export function applicableSteps(p: PipelineDefinition, meta: Meta): string[] {
  return p.steps.filter((e) => !e.when || e.when(meta)).map(entryName);
}

/** Applicable steps that also run with default parameters (not skipped by default). */
export function defaultRunSteps(p: PipelineDefinition, meta: Meta): string[] {
  return p.steps.filter((e) => (!e.when || e.when(meta)) && !e.step.skipByDefault).map(entryName);
}

/** The product as a single model, or a BugError naming the step. */
export function asModel(x: StepProduct, step: string): JwstModel {
  if (isModel(x)) return x;
  throw new BugError(`step ${step} returned ${x === null ? 'nothing' : 'a non-model product'} where a model was expected`);
}

/**
 * Run `names` in order on `model`: a step whose mode rule rejects the
 * exposure (or listed in `forceSkip`) runs with skip forced, as jwst sets
 * step.skip = True for it.
 */
export async function runChain(
  ctx: PipelineContext,
  p: PipelineDefinition,
  names: readonly string[],
  model: JwstModel,
  forceSkip: ReadonlySet<string> = new Set(),
): Promise<JwstModel> {
  let m = model;
  for (const name of names) {
    const e = p.steps.find((x) => entryName(x) === name);
    if (!e) throw new BugError(`${p.className} has no step '${name}'`);
    ctx.signal.throwIfAborted();
    const skip = forceSkip.has(name) || (e.when !== undefined && !e.when(m.meta));
    m = asModel(await ctx.runStep(name, m, skip ? { skip: true } : undefined), name);
  }
  return m;
}

/** StepError for a mode whose pipeline path is not built. */
export function modeNotImplemented(pipeline: string, what: string): StepError {
  return new StepError('not-implemented', `${pipeline}: ${what} is not implemented in WebbDesk yet`);
}

/** The (first) science member of a product, or a StepError when there is none. */
export function scienceMember(input: StepInput, pipeline: string): JwstModel {
  const sci = membersByType(input).science ?? [];
  if (sci.length === 0) throw new StepError('no-science', `${pipeline}: the input has no science member`);
  return sci[0]!;
}
