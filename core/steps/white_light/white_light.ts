/**
 * White-light curve (jwst docs, white_light): per integration, the sum of
 * FLUX over wavelengths with min_wavelength <= WAVELENGTH <= max_wavelength
 * (NaN ignored), with the integration mid times (MJD UTC and BJD TDB) from
 * the INT_TIMES table; several spectral orders give one flux column per
 * order; several segments are combined in time order. Output: an ECSV table.
 */
import { getMeta, type Meta } from '../../datamodels/meta.ts';
import { writeEcsv, type EcsvColumn, type EcsvScalar } from '../../ecsv/index.ts';
import { StepError } from '../../errors/index.ts';
import type { FitsTable } from '../../fits/index.ts';
import type { JwstModel } from '../../stpipe/model.ts';

export interface WhiteLightRow { mjd: number; bjd: number; order: number; flux: number }

function column(t: FitsTable, name: string, file?: string): ArrayLike<number> {
  const c = t.columns.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!c) throw new StepError('bad-input', `the EXTRACT1D table has no ${name} column`, { file, extname: 'EXTRACT1D' });
  return c.data as ArrayLike<number>;
}

/** Sum one cell range per row (TSO vector table) or the whole table (one spectrum per table). */
function rowSums(t: FitsTable, lo: number, hi: number, file?: string): { sums: number[]; wmin: number; wmax: number } {
  const wl = column(t, 'WAVELENGTH', file);
  const fl = column(t, 'FLUX', file);
  const tso = t.columns.some((c) => c.name.toUpperCase() === 'INT_NUM');
  const nrows = tso ? t.nrows : 1;
  const width = wl.length / nrows;
  const sums: number[] = [];
  let wmin = Infinity;
  let wmax = -Infinity;
  for (let r = 0; r < nrows; r++) {
    let s = 0;
    for (let j = r * width; j < (r + 1) * width; j++) {
      const w = wl[j];
      if (Number.isFinite(w)) { wmin = Math.min(wmin, w); wmax = Math.max(wmax, w); }
      if (w >= lo && w <= hi && !Number.isNaN(fl[j])) s += fl[j];
    }
    sums.push(s);
  }
  return { sums, wmin, wmax };
}

function intTimes(m: JwstModel, n: number): { mjd: number[]; bjd: number[] } {
  const t = m.tables.int_times;
  if (!t || t.nrows === 0) {
    throw new StepError('bad-input', 'the input has no INT_TIMES table: white_light needs the integration mid times (int_mid_MJD_UTC, int_mid_BJD_TDB)', { file: m.source, extname: 'INT_TIMES' });
  }
  const num = column(t, 'integration_number', m.source);
  const mid = column(t, 'int_mid_MJD_UTC', m.source);
  const tdb = column(t, 'int_mid_BJD_TDB', m.source);
  const start = Number(getMeta(m.meta, 'exposure.integration_start') ?? 1);
  const offset = start - Number(num[0]);
  if (offset < 0 || offset + n > t.nrows) {
    throw new StepError('bad-input', `INT_TIMES rows ${Number(num[0])}..${Number(num[t.nrows - 1])} do not cover integrations ${start}..${start + n - 1}`, { file: m.source, extname: 'INT_TIMES' });
  }
  return { mjd: Array.from({ length: n }, (_, k) => Number(mid[k + offset])), bjd: Array.from({ length: n }, (_, k) => Number(tdb[k + offset])) };
}

/** Rows (one per integration and order) of one x1dints model. */
export function whiteLightRows(m: JwstModel, lo: number | null, hi: number | null): { rows: WhiteLightRow[]; wmin: number; wmax: number } {
  const low = lo ?? -1;
  const high = hi ?? 1e10;
  const rows: WhiteLightRow[] = [];
  let wmin = Infinity;
  let wmax = -Infinity;
  const parts = m.parts ?? [];
  if (parts.length === 0) throw new StepError('bad-input', 'white_light needs an x1dints product (EXTRACT1D tables); the input has none', { file: m.source });
  for (const p of parts) {
    if (!p.table) continue;
    const { sums, wmin: a, wmax: b } = rowSums(p.table, low, high, m.source);
    wmin = Math.min(wmin, a); wmax = Math.max(wmax, b);
    const order = Number(p.meta.spectral_order ?? 0);
    const t = intTimes(m, sums.length);
    sums.forEach((flux, k) => rows.push({ mjd: t.mjd[k], bjd: t.bjd[k], order, flux }));
  }
  return { rows, wmin, wmax };
}

/** ECSV table text from rows of one or more segments, sorted by time. */
export function whiteLightEcsv(rows: WhiteLightRow[], meta: Meta, unit: string | undefined): string {
  const orders = [...new Set(rows.map((r) => r.order))].sort((a, b) => a - b);
  const times = [...new Map(rows.map((r) => [r.mjd, r.bjd])).entries()].sort((a, b) => a[0] - b[0]);
  const columns: EcsvColumn[] = [
    { name: 'MJD_UTC', datatype: 'float64', data: times.map((t) => t[0]) },
    { name: 'BJD_TDB', datatype: 'float64', data: times.map((t) => t[1]) },
  ];
  for (const o of orders) {
    const byTime = new Map(rows.filter((r) => r.order === o).map((r) => [r.mjd, r.flux]));
    const name = orders.length > 1 ? `whitelight_flux_order_${o}` : 'whitelight_flux';
    columns.push({ name, datatype: 'float64', ...(unit ? { unit } : {}), data: times.map((t) => byTime.get(t[0]) ?? NaN) });
  }
  const g = (p: string): EcsvScalar => {
    const v = getMeta(meta, p);
    return v === undefined || (typeof v === 'object' && v !== null) || typeof v === 'bigint' ? null : v;
  };
  const tableMeta: Array<[string, EcsvScalar]> = [
    ['instrument', g('instrument.name')], ['exp_type', g('exposure.type')], ['subarray', g('subarray.name')],
    ['filter', g('instrument.filter')], ['pupil', g('instrument.pupil')], ['target_name', g('target.catalog_name')],
    ['number_of_integrations', times.length],
  ];
  return writeEcsv({ columns, meta: tableMeta });
}
