/**
 * Declared-only steps: jwst 3.0 steps whose parameters and reference types
 * WebbDesk knows (so every strun command line and parameter file that works
 * with jwst parses here) but whose algorithm is not built yet. Running one
 * fails with StepError('not-implemented') naming the step and the mode.
 */
import { StepError } from '../errors/index.ts';
import { defineStep, type ParamSpecs, type StepDefinition } from '../stpipe/index.ts';

export interface DeclaredStepInfo {
  /** jwst alias (class_alias), e.g. 'straylight'. */
  readonly name: string;
  /** jwst class name, e.g. 'StraylightStep'. */
  readonly className: string;
  /** Step-specific parameters as jwst 3.0 declares them (common stpipe ones excluded). */
  readonly spec: ParamSpecs;
  /** CRDS reference types, lower case. */
  readonly referenceTypes: readonly string[];
  readonly summary: string;
  /** jwst's spec has `skip = boolean(default=True)`. */
  readonly skipByDefault?: boolean;
  /** What the step is for (modes), used in the not-implemented message. */
  readonly usedFor: string;
}

/** A step definition with jwst's declaration and a run that fails clearly. */
export function declaredStep(info: DeclaredStepInfo): StepDefinition {
  const { usedFor, ...rest } = info;
  return defineStep({
    ...rest,
    declaredOnly: true,
    run: async () => {
      throw new StepError(
        'not-implemented',
        `${info.className} is not implemented in WebbDesk yet: it is used for ${usedFor}. ` +
          `Skip it (--steps.${info.name}.skip=True or --skip=True) or process this exposure with the jwst pipeline.`,
      );
    },
  });
}
