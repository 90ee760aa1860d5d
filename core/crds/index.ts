/**
 * CRDS mapping rules and best references (pure: no file access).
 * File access: config.node.ts (environment, cache layout) and
 * context.node.ts (loading contexts from the cache).
 */
export { bestrefs, lookupRmap, minimizeHeader, type AnswerKind, type BestrefAnswer, type BestrefsOptions, type BestrefsResult, type CallOutcome } from './bestrefs.ts';
export { conditionHeader, conditionValue, FITS_KEYWORD_PARKEYS, parkeysFromFitsHeader } from './condition.ts';
export { CrdsContext, MappingStore, type MappingReader } from './context.ts';
export { LookupError, type LookupExceptionClass } from './lookup-error.ts';
export {
  mappingChecksum,
  parseMapping,
  verifyMappingChecksum,
  type InstrumentMapping,
  type Mapping,
  type PipelineMapping,
  type ReferenceMapping,
} from './mapping.ts';
export { parsePyAssignments, parsePyLiteral, type PyValue } from './pyliteral.ts';
export type { Selector, Terminal } from './selectors.ts';
