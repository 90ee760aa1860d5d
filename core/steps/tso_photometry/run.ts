/**
 * TSO aperture photometry of a CubeModel (jwst 3.0 tso_photometry docs and
 * step): the planned source position is XREF_SCI/YREF_SCI (1-based); units are
 * converted (MJy/sr -> Jy with 1e6 * PIXAR_SR; DN/s -> electrons with EFFINTTM
 * * gain; others kept with a warning); optionally the source is centroided
 * (centroid.ts; the median centroid, or per integration with moving_centroid);
 * per integration the exact-overlap sums in a disc of `radius` and an annulus
 * (radius_inner, radius_outer) give aperture_sum, annulus_sum, annulus_mean =
 * annulus_sum / annulus area, aperture_bkg = annulus_mean * disc area and
 * net_aperture_sum = aperture_sum - aperture_bkg (errors in quadrature). The
 * catalog is the `_phot.ecsv` table jwst writes. Pure (no file I/O).
 */
import { getMeta } from '../../datamodels/meta.ts';
import { writeEcsv, type EcsvColumn, type EcsvScalar } from '../../ecsv/index.ts';
import { StepError } from '../../errors/index.ts';
import type { FitsTable } from '../../fits/index.ts';
import type { JwstModel, Params, TableProduct } from '../../stpipe/index.ts';
import { modelWcs } from '../../wcs/attach.ts';
import { apertureMask, apertureSum } from './aperture.ts';
import { sourceCentroids, type Plane } from './centroid.ts';

export interface PhotHooks {
  readonly warn: (s: string) => void;
  readonly info: (s: string) => void;
  readonly signal?: AbortSignal;
  readonly progress?: (done: number, total: number) => void;
}

const num = (m: JwstModel, p: string): number | undefined => {
  const v = getMeta(m.meta, p);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
};

/** Unit conversion factor per pixel and the resulting unit (jwst convert_data_units). */
export function unitFactor(m: JwstModel, gain: ArrayLike<number> | undefined, warn: (s: string) => void): { factor: (pix: number) => number; unit: string } {
  const bunit = String(getMeta(m.meta, 'bunit_data') ?? '');
  if (bunit === 'MJy/sr') {
    const sr = num(m, 'photometry.pixelarea_steradians');
    if (sr === undefined) throw new StepError('missing-keyword', 'tso_photometry: BUNIT is MJy/sr but PIXAR_SR is missing', { keyword: 'PIXAR_SR', file: m.source });
    return { factor: () => 1e6 * sr, unit: 'Jy' };
  }
  if (bunit === 'DN/s' && gain) {
    const t = num(m, 'exposure.integration_time');
    if (t === undefined) throw new StepError('missing-keyword', 'tso_photometry: BUNIT is DN/s but EFFINTTM is missing', { keyword: 'EFFINTTM', file: m.source });
    return { factor: (pix) => t * gain[pix]!, unit: 'electron' };
  }
  warn(`Unexpected data units: ${bunit || '(none)'}. Photometry will be produced using the input units.`);
  return { factor: () => 1, unit: bunit };
}

/** Mid-integration MJD (UTC) of each integration: INT_TIMES from INTSTART, else EXPSTART + (k + 1/2) EFFINTTM. */
export function integrationMjd(m: JwstModel, n: number, warn: (s: string) => void): Float64Array {
  const t: FitsTable | undefined = m.tables.int_times;
  const col = (name: string) => t?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.data as ArrayLike<number> | undefined;
  const inum = col('integration_number'), mid = col('int_mid_MJD_UTC');
  if (t && t.nrows > 0 && inum && mid) {
    const start = num(m, 'exposure.integration_start') ?? 1;
    const off = start - Number(inum[0]);
    if (off >= 0 && off + n <= t.nrows) return Float64Array.from({ length: n }, (_, k) => Number(mid[off + k]));
    warn('Range of integration numbers in science data extends outside the range in INT_TIMES table; computing times from EXPSTART');
  } else warn('The INT_TIMES table in the input file is missing or empty.');
  const t0 = num(m, 'exposure.start_time'), dt = num(m, 'exposure.integration_time');
  if (t0 === undefined || dt === undefined) throw new StepError('missing-keyword', 'tso_photometry needs INT_TIMES or EXPSTART and EFFINTTM for the integration times', { keyword: 'EXPSTART', file: m.source });
  return Float64Array.from({ length: n }, (_, k) => t0 + ((k + 0.5) * dt) / 86400);
}

function oddBox(p: Params, name: string, warn: (s: string) => void): number {
  const v = Number(p[name]);
  if (!Number.isInteger(v) || v < 1) throw new StepError('bad-parameter', `${name} must be a positive odd integer, got ${String(p[name])}`, { parameter: name });
  if (v % 2 === 0) { warn(`Even box widths are not supported. Rounding the ${name} down to ${v - 1}.`); return v - 1; }
  return v;
}

/** The planned position and, when centroiding, the centroids; the aperture centres per integration. */
function centres(m: JwstModel, planes: Plane[], p: Params, h: PhotHooks): { xc: Float64Array; yc: Float64Array; cx?: Float64Array; cy?: Float64Array } {
  const xr = num(m, 'wcsinfo.siaf_xref_sci'), yr = num(m, 'wcsinfo.siaf_yref_sci');
  if (xr === undefined) throw new StepError('missing-keyword', 'XREF_SCI is missing.', { keyword: 'XREF_SCI', file: m.source });
  if (yr === undefined) throw new StepError('missing-keyword', 'YREF_SCI is missing.', { keyword: 'YREF_SCI', file: m.source });
  const n = planes.length, x0 = xr - 1, y0 = yr - 1;
  const fill = (v: number): Float64Array => new Float64Array(n).fill(v);
  if (!p.centroid_source) { h.info(`Using planned center x,y = ${x0.toFixed(2)},${y0.toFixed(2)}`); return { xc: fill(x0), yc: fill(y0) }; }
  const c = sourceCentroids(planes, x0, y0, oddBox(p, 'search_box_width', h.warn), oddBox(p, 'fit_box_width', h.warn), Number(p.radius_inner));
  const fin = Array.from(c.x).filter(Number.isFinite);
  if (fin.length === 0) { h.warn('Centroid fit failed. Using initial estimate for source location.'); return { xc: fill(x0), yc: fill(y0), cx: c.x, cy: c.y }; }
  if (p.moving_centroid) return { xc: c.x, yc: c.y, cx: c.x, cy: c.y };
  const med = (a: Float64Array): number => { const v = Array.from(a).filter(Number.isFinite).sort((q, r) => q - r); const k = v.length >> 1; return v.length % 2 ? v[k]! : (v[k - 1]! + v[k]!) / 2; };
  const mx = med(c.x), my = med(c.y);
  h.info(`Using median centroid x,y = ${mx.toFixed(2)},${my.toFixed(2)}`);
  return { xc: fill(mx), yc: fill(my), cx: c.x, cy: c.y };
}

/** Photometry of every integration as the _phot.ecsv table. */
export function tsoPhotometry(m: JwstModel, p: Params, gain: ArrayLike<number> | undefined, h: PhotHooks): TableProduct {
  const d = m.arrays.data;
  if (!d || d.shape.length !== 3) throw new StepError('bad-input', `tso_photometry needs a 3-D CubeModel (calints); the SCI array is ${d?.shape.length ?? 0}-D`, { file: m.source, extname: 'SCI' });
  const [n, ny, nx] = d.shape as [number, number, number];
  const r = Number(p.radius), ri = Number(p.radius_inner), ro = Number(p.radius_outer);
  if (!(r > 0) || !(ri >= 0) || !(ro > ri)) throw new StepError('bad-parameter', `need radius > 0 and 0 <= radius_inner < radius_outer (got ${r}, ${ri}, ${ro})`, { parameter: 'radius' });
  const { factor, unit } = unitFactor(m, gain, h.warn);
  const npix = ny * nx;
  const sci = new Float64Array(n * npix), err = m.arrays.err ? new Float64Array(n * npix) : undefined;
  const e0 = m.arrays.err?.data as ArrayLike<number> | undefined, s0 = d.data as ArrayLike<number>;
  for (let q = 0; q < n * npix; q++) { const f = factor(q % npix); sci[q] = s0[q]! * f; if (err) err[q] = e0![q]! * f; }
  const dq = m.arrays.dq?.data as ArrayLike<number> | undefined;
  const planes: Plane[] = Array.from({ length: n }, (_, k) => ({ data: sci, dq, off: k * npix, ny, nx }));
  const c = centres(m, planes, p, h);
  const cols: Record<string, Float64Array> = Object.fromEntries(['aperture_sum', 'aperture_sum_err', 'annulus_sum', 'annulus_sum_err', 'annulus_mean', 'annulus_mean_err', 'aperture_bkg', 'aperture_bkg_err', 'net_aperture_sum', 'net_aperture_sum_err'].map((k) => [k, new Float64Array(n)]));
  for (let k = 0; k < n; k++) {
    h.signal?.throwIfAborted();
    const ap = apertureMask(c.xc[k]!, c.yc[k]!, 0, r, ny, nx), an = apertureMask(c.xc[k]!, c.yc[k]!, ri, ro, ny, nx);
    const a = apertureSum(ap, sci, err, k * npix), b = apertureSum(an, sci, err, k * npix);
    const mean = b.sum / an.area, meanErr = b.err / an.area;
    const bkg = mean * ap.area, bkgErr = meanErr * ap.area;
    const row: Record<string, number> = {
      aperture_sum: a.sum, aperture_sum_err: a.err, annulus_sum: b.sum, annulus_sum_err: b.err, annulus_mean: mean, annulus_mean_err: meanErr,
      aperture_bkg: bkg, aperture_bkg_err: bkgErr, net_aperture_sum: a.sum - bkg, net_aperture_sum_err: Math.hypot(a.err, bkgErr),
    };
    for (const key in row) cols[key]![k] = row[key]!;
    h.progress?.(k + 1, n);
  }
  const info = `Photometry measured in a circular aperture of r=${pyNum(r)} pixels.  Background calculated as the mean in a circular annulus with r_inner=${pyNum(ri)} pixels and r_outer=${pyNum(ro)} pixels.`;
  return { kind: 'table', format: 'ecsv', text: catalogText(m, integrationMjd(m, n, h.warn), cols, c, unit, info, h.warn) };
}

const pyNum = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

function catalogText(m: JwstModel, mjd: Float64Array, cols: Record<string, Float64Array>, c: ReturnType<typeof centres>, unit: string, info: string, warn: (s: string) => void): string {
  const u = unit ? { unit } : {};
  const columns: EcsvColumn[] = [{ name: 'MJD', datatype: 'float64', data: mjd }];
  for (const [name, data] of Object.entries(cols)) columns.push({ name, datatype: 'float64', ...u, data });
  columns.push({ name: 'aperture_x', datatype: 'float64', unit: 'pix', data: c.xc }, { name: 'aperture_y', datatype: 'float64', unit: 'pix', data: c.yc });
  const wcs = modelWcs(m);
  let ra: ArrayLike<number> = new Float64Array(mjd.length).fill(NaN), dec: ArrayLike<number> = Float64Array.from(ra);
  if (wcs) { const w = wcs.evaluate([c.xc, c.yc]); ra = w[0]!; dec = w[1]!; } else warn('No imaging WCS attached (assign_wcs for imaging is not implemented): aperture_ra_icrs/aperture_dec_icrs are NaN');
  columns.push({ name: 'aperture_ra_icrs', datatype: 'float64', unit: 'deg', data: ra }, { name: 'aperture_dec_icrs', datatype: 'float64', unit: 'deg', data: dec });
  if (c.cx && c.cy) columns.push({ name: 'centroid_x', datatype: 'float64', unit: 'pix', data: c.cx }, { name: 'centroid_y', datatype: 'float64', unit: 'pix', data: c.cy });
  const g = (path: string): EcsvScalar => { const v = getMeta(m.meta, path); return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null; };
  const meta: Array<[string, EcsvScalar]> = [
    ['instrument', g('instrument.name')], ['detector', g('instrument.detector')], ['channel', g('instrument.channel')], ['subarray', g('subarray.name')],
    ['filter', g('instrument.filter')], ['pupil', g('instrument.pupil')], ['target_name', g('target.catalog_name')], ['apertures', info],
  ];
  return writeEcsv({ columns, meta });
}
