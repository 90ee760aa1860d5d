/**
 * Best references for one dataset header, reproducing the crds client's
 * local computation (crds.getrecommendations with CRDS_MODE=local):
 * condition the header, find the instrument, minimize the header to the
 * instrument's parkeys, then per reference type follow imap -> rmap ->
 * selector tree. Answers are 'file', 'n/a' (imap or rules say N/A, or the
 * rmap's relevance excludes the mode) or 'error' (no match, a value the rmap
 * does not know, an undefined date). A recommended file that the server
 * lists as bad makes the whole call fail unless bad references are allowed.
 */
import { CrdsError } from '../errors/index.ts';
import { conditionHeader, INSTRUMENT_KEYWORDS } from './condition.ts';
import type { CrdsContext } from './context.ts';
import { exprTruthy } from './expr.ts';
import { LookupError, type LookupExceptionClass } from './lookup-error.ts';
import { NA_VALUES, OMIT_VALUES, type ReferenceMapping } from './mapping.ts';

export type AnswerKind = 'file' | 'n/a' | 'error';

export interface BestrefAnswer {
  readonly kind: AnswerKind;
  /** File name, 'NOT FOUND n/a', or 'NOT FOUND <message>' (the crds text). */
  readonly value: string;
  /** The rmap consulted, or the imap's special value ('N/A'). */
  readonly rmap?: string;
  /** The crds exception class behind an n/a or error answer. */
  readonly exception?: LookupExceptionClass;
  /** The file is listed as bad in the cached server config. */
  readonly badReference?: boolean;
}

export type CallOutcome = { readonly status: 'ok' } | { readonly status: 'raised'; readonly exception: LookupExceptionClass; readonly message: string };

export interface BestrefsResult {
  readonly context: string;
  readonly instrumentMapping: string | undefined;
  /** The conditioned, minimized header the rules saw. */
  readonly minimizedHeader: Readonly<Record<string, string>> | undefined;
  /** lower-case reftype -> answer; OMIT types are absent. */
  readonly answers: Readonly<Record<string, BestrefAnswer>>;
  readonly call: CallOutcome;
}

export interface BestrefsOptions {
  /** Reference types to answer (any case); default: every type of the instrument. */
  readonly reftypes?: readonly string[];
  /** Do not fail the call for a bad reference (CRDS_ALLOW_BAD_REFERENCES). */
  readonly allowBad?: boolean;
  /** Bad file names; default: `context.badFiles`. */
  readonly badFiles?: ReadonlySet<string>;
}

function findInstrument(header: ReadonlyMap<string, string>, key: string): string {
  for (const k of [key.toUpperCase(), key.toLowerCase(), ...INSTRUMENT_KEYWORDS]) {
    const v = header.get(k);
    if (v !== undefined && v.toUpperCase() !== 'UNDEFINED') return v.toUpperCase();
  }
  throw new LookupError('CrdsError', `Missing '${key}' keyword in header for determining instrument.`);
}

/** Header plus the underscore spellings expressions use (META_EXPOSURE_TYPE). */
function exprNames(header: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(header);
  for (const [k, v] of header) if (k.includes('.')) out.set(k.replace(/\./g, '_'), v);
  return out;
}

/** One rmap lookup; throws LookupError (IrrelevantReferenceTypeError for n/a). */
export function lookupRmap(rmap: ReferenceMapping, header: ReadonlyMap<string, string>): string | readonly string[] {
  const names = rmap.rmapOmit || rmap.rmapRelevance || rmap.parkeyRelevance.size ? exprNames(header) : undefined;
  if (rmap.rmapOmit && names) {
    let omit = false;
    try {
      omit = exprTruthy(rmap.rmapOmit.evaluate(names));
    } catch {
      omit = false; // crds only warns when the expression fails
    }
    if (omit) throw new LookupError('OmitReferenceTypeError', 'rmap_omit expression indicates this type should be omitted.');
  }
  if (rmap.rmapRelevance && names) {
    let relevant = true;
    try {
      relevant = exprTruthy(rmap.rmapRelevance.evaluate(names));
    } catch {
      relevant = true; // crds warns "Relevance check failed" and goes on
    }
    if (!relevant) {
      throw new LookupError('IrrelevantReferenceTypeError', 'Rmap does not apply to the given parameter set based on rmap_relevance expression.');
    }
  }
  let h = header;
  if (rmap.parkeyRelevance.size && names) {
    const expr = new Map(names);
    for (const p of rmap.requiredParkeys) {
      if (!expr.has(p)) {
        expr.set(p, 'UNDEFINED');
        expr.set(p.replace(/\./g, '_'), 'UNDEFINED');
      }
    }
    const copy = new Map(header);
    for (const p of rmap.requiredParkeys) {
      const e = rmap.parkeyRelevance.get(p.toLowerCase());
      if (!e) continue;
      let relevant: boolean;
      try {
        relevant = exprTruthy(e.evaluate(expr));
      } catch (err) {
        throw new LookupError('CrdsError', (err as Error).message);
      }
      if (!relevant) copy.set(p, 'N/A');
    }
    h = copy;
  }
  const ref = rmap.selector.choose(h);
  if (typeof ref === 'string' && NA_VALUES.has(ref)) {
    throw new LookupError('IrrelevantReferenceTypeError', 'Rules define this type as Not Applicable for these observation parameters.');
  }
  if (typeof ref === 'string' && OMIT_VALUES.has(ref)) {
    throw new LookupError('OmitReferenceTypeError', 'Rules define this type to be Omitted for these observation parameters.');
  }
  return ref;
}

/** Conditioned and minimized header for `instrument` in `context`. */
export function minimizeHeader(context: CrdsContext, conditioned: ReadonlyMap<string, string>, instrument: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of context.requiredParkeys(instrument)) out.set(k, conditioned.get(k.toLowerCase()) ?? conditioned.get(k.toUpperCase()) ?? 'UNDEFINED');
  return out;
}

function answerFor(rmapName: string, run: () => string | readonly string[]): BestrefAnswer | undefined {
  try {
    const ref = run();
    if (typeof ref === 'string') return { kind: 'file', value: ref, rmap: rmapName };
    // Several equally good rows, or a Bracket pair: not a single recommendation.
    return { kind: 'error', value: `NOT FOUND ambiguous selection (${ref.join(', ')})`, rmap: rmapName, exception: 'AmbiguousMatchError' };
  } catch (e) {
    if (e instanceof LookupError) {
      if (e.exceptionClass === 'OmitReferenceTypeError') return undefined;
      if (e.exceptionClass === 'IrrelevantReferenceTypeError') return { kind: 'n/a', value: 'NOT FOUND n/a', rmap: rmapName, exception: e.exceptionClass };
      return { kind: 'error', value: 'NOT FOUND ' + e.message, rmap: rmapName, exception: e.exceptionClass };
    }
    if (e instanceof CrdsError) return { kind: 'error', value: 'NOT FOUND ' + e.message, rmap: rmapName, exception: 'CrdsError' };
    throw e;
  }
}

/**
 * Best references for `header` (keys: datamodel paths such as
 * META.INSTRUMENT.NAME in any case, or FITS keywords; raw values).
 */
export function bestrefs(context: CrdsContext, header: Readonly<Record<string, unknown>>, options: BestrefsOptions = {}): BestrefsResult {
  // Lookup failures are ordinary answers here, thrown and caught many times per
  // header; their stack traces are never shown, so do not pay for them.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return computeBestrefs(context, header, options);
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
}

function computeBestrefs(context: CrdsContext, header: Readonly<Record<string, unknown>>, options: BestrefsOptions): BestrefsResult {
  const conditioned = conditionHeader(header);
  let instrument: string;
  let imapName: string;
  let minimized: Map<string, string>;
  try {
    instrument = findInstrument(conditioned, context.instrumentKey);
    imapName = context.imap(instrument).name;
    minimized = minimizeHeader(context, conditioned, instrument);
  } catch (e) {
    if (e instanceof LookupError) {
      return { context: context.name, instrumentMapping: undefined, minimizedHeader: undefined, answers: {}, call: { status: 'raised', exception: e.exceptionClass, message: e.message } };
    }
    throw e;
  }
  const imap = context.imap(instrument);
  const reftypes = options.reftypes ? options.reftypes.map((r) => r.toLowerCase()) : context.reftypes(instrument);
  const bad = options.badFiles ?? context.badFiles;
  const answers: Record<string, BestrefAnswer> = {};
  let call: CallOutcome = { status: 'ok' };
  for (const reftype of reftypes) {
    const rmapName = imap.selections.get(reftype);
    let answer: BestrefAnswer | undefined;
    if (rmapName === undefined) {
      answer = { kind: 'error', value: `NOT FOUND Unknown reference type '${reftype}'`, exception: 'CrdsUnknownReftypeError' };
    } else if (NA_VALUES.has(rmapName)) {
      answer = { kind: 'n/a', value: 'NOT FOUND n/a', rmap: rmapName, exception: 'IrrelevantReferenceTypeError' };
    } else if (OMIT_VALUES.has(rmapName)) {
      answer = undefined;
    } else {
      answer = answerFor(rmapName, () => lookupRmap(context.rmap(rmapName), minimized));
    }
    if (!answer) continue;
    if (answer.kind === 'file' && bad.has(answer.value)) {
      answer = { ...answer, badReference: true };
      if (!options.allowBad && call.status === 'ok') {
        call = {
          status: 'raised',
          exception: 'CrdsBadReferenceError',
          message: `Recommended reference '${answer.value}' of type '${reftype}' is designated scientifically invalid.\n`,
        };
      }
    }
    answers[reftype] = answer;
  }
  return {
    context: context.name,
    instrumentMapping: imapName,
    minimizedHeader: Object.fromEntries(minimized),
    answers,
    call,
  };
}
