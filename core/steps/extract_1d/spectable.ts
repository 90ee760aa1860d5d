/**
 * x1d / x1dints spectral tables in the jwst 3.0 layout (SpecModel and
 * TSOSpecModel spec_table): WAVELENGTH, FLUX, FLUX_ERROR, FLUX_VAR_*,
 * SURF_BRIGHT, SB_ERROR, SB_VAR_*, DQ, BACKGROUND, BKGD_ERROR, BKGD_VAR_*,
 * NPIXELS; the TSO table adds INT_NUM first and N_ALONGDISP, SEGMENT and the
 * integration times (MJD-BEG ... TDB-END) last, one row per integration with
 * vector cells.
 */
import type { FitsTable, TableColumn } from '../../fits/index.ts';

/** One extracted spectrum, already trimmed to valid wavelengths. */
export interface Spectrum {
  wavelength: Float64Array;
  flux: Float64Array; fluxError: Float64Array; fluxVarPoisson: Float64Array; fluxVarRnoise: Float64Array; fluxVarFlat: Float64Array;
  surfBright: Float64Array; sbError: Float64Array; sbVarPoisson: Float64Array; sbVarRnoise: Float64Array; sbVarFlat: Float64Array;
  dq: Uint32Array;
  background: Float64Array; bkgdError: Float64Array; bkgdVarPoisson: Float64Array; bkgdVarRnoise: Float64Array; bkgdVarFlat: Float64Array;
  npixels: Float64Array;
}

export interface Units { flux: string; fluxVar: string; sb: string; sbVar: string }

export const UNITS_CALIBRATED: Units = { flux: 'Jy', fluxVar: 'Jy^2', sb: 'MJy/sr', sbVar: 'MJy^2 / sr^2' };
export const UNITS_COUNTRATE: Units = { flux: 'DN/s', fluxVar: 'DN^2 / s^2', sb: 'DN/s', sbVar: 'DN^2 / s^2' };

/** Spectrum field, column name, unit key. */
const SPEC_COLUMNS: ReadonlyArray<[keyof Spectrum, string, keyof Units | 'um' | null]> = [
  ['wavelength', 'WAVELENGTH', 'um'],
  ['flux', 'FLUX', 'flux'], ['fluxError', 'FLUX_ERROR', 'flux'],
  ['fluxVarPoisson', 'FLUX_VAR_POISSON', 'fluxVar'], ['fluxVarRnoise', 'FLUX_VAR_RNOISE', 'fluxVar'], ['fluxVarFlat', 'FLUX_VAR_FLAT', 'fluxVar'],
  ['surfBright', 'SURF_BRIGHT', 'sb'], ['sbError', 'SB_ERROR', 'sb'],
  ['sbVarPoisson', 'SB_VAR_POISSON', 'sbVar'], ['sbVarRnoise', 'SB_VAR_RNOISE', 'sbVar'], ['sbVarFlat', 'SB_VAR_FLAT', 'sbVar'],
  ['dq', 'DQ', null],
  ['background', 'BACKGROUND', 'sb'], ['bkgdError', 'BKGD_ERROR', 'sb'],
  ['bkgdVarPoisson', 'BKGD_VAR_POISSON', 'sbVar'], ['bkgdVarRnoise', 'BKGD_VAR_RNOISE', 'sbVar'], ['bkgdVarFlat', 'BKGD_VAR_FLAT', 'sbVar'],
  ['npixels', 'NPIXELS', null],
];

/** Spectrum-level meta (ModelPart.meta) attribute -> EXTRACT1D header keyword, as stdatamodels writes them. */
export const SPEC_KEYWORDS: Readonly<Record<string, string>> = {
  name: 'SLTNAME', source_type: 'SRCTYPE', extraction_xstart: 'EXTRXSTR', extraction_xstop: 'EXTRXSTP',
  extraction_ystart: 'EXTRYSTR', extraction_ystop: 'EXTRYSTP', slit_ra: 'SLIT_RA', slit_dec: 'SLIT_DEC',
  spectral_order: 'SPORDER', dispersion_direction: 'DISPAXIS', detector: 'DETECTOR',
};

function col(name: string, data: Float64Array | Int32Array | Uint32Array, cell: number, unit: string | undefined, kind: 'D' | 'J' | 'UJ', tso: boolean): TableColumn {
  const code = kind === 'D' ? 'D' : 'J';
  const c: TableColumn = {
    name, tform: `${cell > 1 || tso ? cell : ''}${code}`.replace(/^1(?=[DJ]$)/, ''), code, repeat: cell,
    dtype: kind === 'D' ? 'float64' : kind === 'J' ? 'int32' : 'uint32', cellShape: tso && cell > 0 ? [cell] : [], data,
  };
  if (tso) c.tform = `${cell}${code}`;
  if (unit !== undefined) c.unit = unit;
  if (kind === 'UJ') c.tzero = 2147483648;
  return c;
}

/** A single-spectrum table (x1d, SpecModel): one row per wavelength element. */
export function specTable(s: Spectrum, units: Units): FitsTable {
  const n = s.wavelength.length;
  const columns = SPEC_COLUMNS.map(([key, name, u]) => {
    const unit = u === null ? undefined : u === 'um' ? 'um' : units[u];
    const c = col(name, s[key] as Float64Array | Uint32Array, 1, unit, key === 'dq' ? 'UJ' : 'D', false);
    c.tform = key === 'dq' ? 'J' : 'D';
    c.cellShape = [];
    return c;
  });
  return { nrows: n, columns };
}

/** Integration times for the TSO table rows (from INT_TIMES). */
export interface RowTimes {
  intNum: Int32Array;
  mjdBeg: Float64Array; mjdAvg: Float64Array; mjdEnd: Float64Array;
  tdbBeg: Float64Array; tdbMid: Float64Array; tdbEnd: Float64Array;
}

/**
 * A TSO table (x1dints, TSOSpecModel): one row per integration, vector
 * cells padded with NaN (DQ with DO_NOT_USE... left 0) to the longest spectrum.
 */
export function tsoSpecTable(spectra: readonly Spectrum[], units: Units, segment: number, times: RowTimes): FitsTable {
  const nrows = spectra.length;
  const width = Math.max(0, ...spectra.map((s) => s.wavelength.length));
  const columns: TableColumn[] = [col('INT_NUM', times.intNum, 1, undefined, 'J', false)];
  columns[0].tform = 'J';
  for (const [key, name, u] of SPEC_COLUMNS) {
    const isDq = key === 'dq';
    const data = isDq ? new Uint32Array(nrows * width) : new Float64Array(nrows * width).fill(NaN);
    spectra.forEach((s, r) => data.set(s[key] as Float64Array | Uint32Array, r * width));
    const unit = u === null ? undefined : u === 'um' ? 'um' : units[u];
    columns.push(col(name, data, width, unit, isDq ? 'UJ' : 'D', true));
  }
  const scalar = (name: string, data: Float64Array | Int32Array | Uint32Array, kind: 'D' | 'J' | 'UJ', unit?: string): TableColumn => {
    const c = col(name, data, 1, unit, kind, false);
    c.tform = kind === 'D' ? 'D' : 'J';
    return c;
  };
  columns.push(scalar('N_ALONGDISP', Uint32Array.from(spectra.map((s) => s.wavelength.length)), 'UJ'));
  columns.push(scalar('SEGMENT', new Int32Array(nrows).fill(segment), 'J'));
  columns.push(scalar('MJD-BEG', times.mjdBeg, 'D', 'd'), scalar('MJD-AVG', times.mjdAvg, 'D', 'd'), scalar('MJD-END', times.mjdEnd, 'D', 'd'));
  columns.push(scalar('TDB-BEG', times.tdbBeg, 'D', 'd'), scalar('TDB-MID', times.tdbMid, 'D', 'd'), scalar('TDB-END', times.tdbEnd, 'D', 'd'));
  return { nrows, columns };
}
