/** The pipelines by jwst alias (calwebb_*) and class name lookup. */
import type { PipelineDefinition } from '../stpipe/index.ts';
import { detector1 } from './detector1.node.ts';
import { spec2 } from './spec2.node.ts';
import { spec3 } from './spec3.node.ts';
import { tso3 } from './tso3.node.ts';

export const PIPELINES: Readonly<Record<string, PipelineDefinition>> = Object.freeze({
  calwebb_detector1: detector1,
  calwebb_spec2: spec2,
  calwebb_spec3: spec3,
  calwebb_tso3: tso3,
});

/** A pipeline by alias or class name (Detector1Pipeline, ...). */
export function findPipeline(nameOrClass: string): PipelineDefinition | undefined {
  return PIPELINES[nameOrClass] ?? Object.values(PIPELINES).find((p) => p.className === nameOrClass);
}

export { applicableSteps, defaultRunSteps, entryName, pipelineSteps } from './flow.ts';
