/** core/stpipe with file I/O: the pure contract plus model loading/writing and the runner. */
export * from './index.ts';
export { loadModel, writeModel, readModelHeader, modelToHdus, metaSnapshot, slitMetaFromHeader } from './model-io.node.ts';
export { runStep, runPipeline, resolveParameters, isPipelineDef, NO_SCIENCE_DATA, type RunInput, type AssociationLike } from './runner.node.ts';
export type { RunOptions, RunResult, Provenance, StepRecord, ProductFailure } from './run-state.node.ts';
export { exportConfig, loadParameterFile, resolveStepParams, resolvePipelineParams, classTail, aliasesOf } from './resolve.node.ts';
export { CrdsSession, overrideChoice, parkeysFromMeta, type CrdsRunOptions } from './references.node.ts';
export { saveProduct, writeTextAtomic } from './save.node.ts';
export { calStepKey } from './step-exec.node.ts';
export * from './events.ts';
export * from './params-resolve.ts';
export { outputName, removeSuffix, memberSaveName, KNOWN_SUFFIXES } from './naming.ts';
