/**
 * One base error with a machine-readable `code`; subclasses per domain.
 * Messages quote the offending value and say where it came from
 * (file, HDU, keyword, parameter). Never throw strings.
 */

/** Where a problem was found; every field is optional. */
export interface ErrorLocation {
  readonly file?: string;
  /** 0-based HDU index in a FITS file. */
  readonly hdu?: number;
  readonly extname?: string;
  readonly keyword?: string;
  readonly parameter?: string;
  readonly line?: number;
}

export class WebbError extends Error {
  override readonly name: string = 'WebbError';
  readonly code: string;
  readonly where: ErrorLocation;

  constructor(code: string, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(prefix(where) + message, options);
    this.code = code;
    this.where = where;
  }

  /** Plain data for crossing a transport: `{name, code, message}`. */
  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

function prefix(where: ErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  if (where.hdu !== undefined) {
    parts.push(where.extname ? `HDU ${where.hdu} (${where.extname})` : `HDU ${where.hdu}`);
  } else if (where.extname) parts.push(where.extname);
  if (where.keyword !== undefined) parts.push(`keyword ${where.keyword}`);
  if (where.parameter !== undefined) parts.push(`parameter ${where.parameter}`);
  return parts.length ? parts.join(', ') + ': ' : '';
}

/** Malformed or unsupported FITS content. */
export class FitsError extends WebbError {
  override readonly name = 'FitsError';
}

/** Malformed or unsupported ASDF content. */
export class AsdfError extends WebbError {
  override readonly name = 'AsdfError';
}

/** A file does not fit the datamodel asked for (shapes, required HDUs, meta). */
export class ModelError extends WebbError {
  override readonly name = 'ModelError';
}

/** CRDS mapping syntax, selection or cache problems. */
export class CrdsError extends WebbError {
  override readonly name = 'CrdsError';
}

/** A step or pipeline failed, or a parameter is invalid. */
export class StepError extends WebbError {
  override readonly name = 'StepError';
}

/** Work was cancelled through an AbortSignal. */
export class CancelledError extends WebbError {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super('cancelled', message);
  }
}

/** A broken invariant: a bug in WebbDesk, not bad input. */
export class BugError extends WebbError {
  override readonly name = 'BugError';
  constructor(message: string) {
    super('bug', `internal error (please report): ${message}`);
  }
}

/** Rebuild a typed error from its transported `{name, code, message}` form. */
export function reviveError(e: { name: string; code: string; message: string }): WebbError {
  const ctor = ({ FitsError, AsdfError, ModelError, CrdsError, StepError } as Record<string, typeof WebbError>)[e.name];
  if (e.name === 'CancelledError') return new CancelledError(e.message);
  return new (ctor ?? WebbError)(e.code, e.message);
}
