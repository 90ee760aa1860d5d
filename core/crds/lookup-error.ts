/**
 * Why a best-reference lookup did not give a file. `exceptionClass` is the
 * name of the crds exception the Python client raises in the same situation,
 * so answers can be compared with it.
 */
import { CrdsError } from '../errors/index.ts';

export type LookupExceptionClass =
  | 'MatchingError'
  | 'UseAfterError'
  | 'VersionAfterError'
  | 'AmbiguousMatchError'
  | 'ValidationError'
  | 'InvalidDatetimeError'
  | 'IrrelevantReferenceTypeError'
  | 'OmitReferenceTypeError'
  | 'CrdsUnknownReftypeError'
  | 'CrdsUnknownInstrumentError'
  | 'CrdsBadReferenceError'
  | 'CrdsBadRulesError'
  | 'CrdsError';

/** Lookup failures a Match selector recovers from by trying its next-best candidate. */
const RECOVERABLE: ReadonlySet<string> = new Set(['MatchingError', 'UseAfterError', 'VersionAfterError', 'AmbiguousMatchError']);

export class LookupError extends CrdsError {
  readonly exceptionClass: LookupExceptionClass;
  constructor(exceptionClass: LookupExceptionClass, message: string) {
    super('crds-' + exceptionClass.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase(), message);
    this.exceptionClass = exceptionClass;
  }
  /** True for the crds CrdsLookupError family. */
  get recoverable(): boolean {
    return RECOVERABLE.has(this.exceptionClass);
  }
}
