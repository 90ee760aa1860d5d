/**
 * Transit fit of a calwebb_tso3 white-light table (`_whtlt.ecsv`, columns
 * MJD_UTC, BJD_TDB, whitelight_flux as white_light writes them), with the
 * geometry (t14, b) and limb darkening held fixed.
 */
import type { EcsvTable } from '../ecsv/index.ts';
import { WebbError } from '../errors/index.ts';
import { fitTransit, type TransitFitOptions, type TransitFitResult } from './transit-fit.ts';

export interface WhiteLightFitOptions extends TransitFitOptions {
  /** Time column: 'MJD_UTC' (default) or 'BJD_TDB'; tMid comes out on that scale. */
  readonly timeColumn?: 'MJD_UTC' | 'BJD_TDB';
  /** Leading integrations to leave out (default 0). */
  readonly skip?: number;
  /** File name for error messages. */
  readonly file?: string;
}

function numericColumn(t: EcsvTable, name: string, file?: string): ArrayLike<number> {
  const c = t.columns.find((k) => k.name === name);
  if (!c) throw new WebbError('bad-input', `the white-light table has no ${name} column (columns: ${t.columns.map((k) => k.name).join(', ')})`, { file });
  if (c.datatype === 'string' || c.datatype === 'bool') throw new WebbError('bad-input', `white-light column ${name} is ${c.datatype}, not numeric`, { file });
  return c.data as ArrayLike<number>;
}

/** Fit the transit in a white-light table; times in days (MJD). No errors in the table, so the covariance is chi2-scaled. */
export function fitWhiteLight(t: EcsvTable, o: WhiteLightFitOptions): TransitFitResult & { readonly rows: number } {
  const time = numericColumn(t, o.timeColumn ?? 'MJD_UTC', o.file);
  const flux = numericColumn(t, 'whitelight_flux', o.file);
  const skip = o.skip ?? 0;
  const tt = Float64Array.from(time).subarray(skip), ff = Float64Array.from(flux).subarray(skip);
  return { ...fitTransit(tt, ff, undefined, o), rows: time.length };
}
