/**
 * extract_1d for 2-D/3-D spectral images (MIRI LRS slitless TSO and fixed
 * slit): aperture from the EXTRACT1D parameters, per-integration box
 * extraction, conversion to Jy (sum * pixel solid angle * 1e6) and the
 * MultiSpecModel / TSOMultiSpecModel output (jwst extract.create_extraction).
 */
import { StepError } from '../../errors/index.ts';
import { DQ } from '../../datamodels/dq.ts';
import { flattenMeta, getMeta, keywordFor, setMeta, type Meta } from '../../datamodels/meta.ts';
import type { FitsTable } from '../../fits/index.ts';
import type { NDArray } from '../../ndarray/index.ts';
import type { JwstModel, ModelPart } from '../../stpipe/model.ts';
import { extractPlane, type BackgroundSpec, type Extracted } from './extract.ts';
import { apertureWavelength, boxProfile, maskInvalidWavelength, toCrossDisp } from './profile.ts';
import type { ExtractParams } from './reference.ts';
import { specTable, tsoSpecTable, UNITS_CALIBRATED, UNITS_COUNTRATE, type RowTimes, type Spectrum } from './spectable.ts';

export interface RunHooks {
  progress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  warn?: (msg: string) => void;
}

const TSO_EXPTYPES = ['MIR_LRS-SLITLESS', 'NRC_TSGRISM', 'NIS_SOSS', 'NRS_BRIGHTOBJ', 'NRC_TSIMAGE', 'MIR_IMAGE'];

/** jwst pipe_utils.is_tso: TSOVISIT, or a TSO exposure type with more than one integration. */
export function isTso(meta: Meta): boolean {
  if (getMeta(meta, 'visit.tsovisit') === true) return true;
  const nints = Number(getMeta(meta, 'exposure.nints') ?? 1);
  return TSO_EXPTYPES.includes(String(getMeta(meta, 'exposure.type') ?? '')) && nints > 1;
}

/** Meta that stdatamodels' update(only='PRIMARY') copies: paths whose keyword lives in the primary header. */
export function primaryMeta(meta: Meta): Meta {
  const out: Meta = {};
  for (const [path, v] of flattenMeta(meta)) if (keywordFor(path)?.hdu === 'PRIMARY') setMeta(out, path, v);
  return out;
}

function planeOf(a: NDArray | undefined, integ: number, ny: number, nx: number): ArrayLike<number> | undefined {
  if (!a) return undefined;
  if (a.shape.length === 2) return a.shape[0] === ny && a.shape[1] === nx ? a.data as ArrayLike<number> : undefined;
  if (a.shape.length !== 3 || a.shape[1] !== ny || a.shape[2] !== nx) return undefined;
  return (a.data as Float32Array).subarray(integ * ny * nx, (integ + 1) * ny * nx);
}

/** One plane in (cross, disp) order with NaNs matched to DO_NOT_USE (jwst match_nans_and_flags). */
function planeInput(m: JwstModel, integ: number, ny: number, nx: number, dispaxis: number) {
  const get = (attr: string): Float64Array => {
    const p = planeOf(m.arrays[attr], integ, ny, nx);
    return p ? toCrossDisp(p, ny, nx, dispaxis) : new Float64Array(ny * nx);
  };
  const data = get('data');
  const vp = get('var_poisson'); const vr = get('var_rnoise'); const vf = get('var_flat');
  const dqp = planeOf(m.arrays.dq, integ, ny, nx);
  const dq = dqp ? toCrossDisp(dqp, ny, nx, dispaxis) : undefined;
  const err = planeOf(m.arrays.err, integ, ny, nx);
  const errX = err ? toCrossDisp(err, ny, nx, dispaxis) : undefined;
  for (let i = 0; i < data.length; i++) {
    const bad = Number.isNaN(data[i]) || Number.isNaN(vp[i]) || Number.isNaN(vr[i]) || Number.isNaN(vf[i])
      || (errX !== undefined && Number.isNaN(errX[i])) || (dq !== undefined && (dq[i] & DQ.DO_NOT_USE) !== 0);
    if (bad) { data[i] = NaN; vp[i] = NaN; vr[i] = NaN; vf[i] = NaN; }
  }
  return { ncross: dispaxis === 1 ? ny : nx, ndisp: dispaxis === 1 ? nx : ny, data, varPoisson: vp, varRnoise: vr, varFlat: vf };
}

/** Convert sums to the table quantities (jwst create_extraction steps 2-5), trimmed to valid wavelengths. */
export function toSpectrum(e: Extracted, wavelength: Float64Array, valid: Uint8Array, solidAngle: number, calibrated: boolean): Spectrum {
  const idx: number[] = [];
  valid.forEach((v, i) => { if (v) idx.push(i); });
  const pick = (f: (i: number) => number): Float64Array => Float64Array.from(idx, f);
  const np = (i: number): number => (e.npixels[i] > 0 ? e.npixels[i] : 1);
  const fs = calibrated ? solidAngle * 1e6 : 1;
  const fv = fs * fs;
  const s: Spectrum = {
    wavelength: pick((i) => wavelength[i]),
    flux: pick((i) => e.flux[i] * fs),
    fluxVarPoisson: pick((i) => e.varPoisson[i] * fv), fluxVarRnoise: pick((i) => e.varRnoise[i] * fv), fluxVarFlat: pick((i) => e.varFlat[i] * fv),
    fluxError: new Float64Array(0),
    surfBright: pick((i) => e.flux[i] / np(i)),
    sbVarPoisson: pick((i) => e.varPoisson[i] / np(i) ** 2), sbVarRnoise: pick((i) => e.varRnoise[i] / np(i) ** 2), sbVarFlat: pick((i) => e.varFlat[i] / np(i) ** 2),
    sbError: new Float64Array(0),
    dq: Uint32Array.from(idx, (i) => (Number.isNaN(e.flux[i]) ? DQ.DO_NOT_USE : 0)),
    background: pick((i) => e.background[i] / np(i)),
    bkgdVarPoisson: pick((i) => e.bVarPoisson[i] / np(i) ** 2), bkgdVarRnoise: pick((i) => e.bVarRnoise[i] / np(i) ** 2), bkgdVarFlat: pick((i) => e.bVarFlat[i] / np(i) ** 2),
    bkgdError: new Float64Array(0),
    npixels: pick((i) => e.npixels[i]),
  };
  const rss = (a: Float64Array, b: Float64Array, c: Float64Array): Float64Array => a.map((x, i) => Math.sqrt(x + b[i] + c[i]));
  s.fluxError = rss(s.fluxVarPoisson, s.fluxVarRnoise, s.fluxVarFlat);
  s.sbError = rss(s.sbVarPoisson, s.sbVarRnoise, s.sbVarFlat);
  s.bkgdError = rss(s.bkgdVarPoisson, s.bkgdVarRnoise, s.bkgdVarFlat);
  return s;
}

function wavelengthMap(m: JwstModel, ny: number, nx: number, dispaxis: number): Float64Array {
  const w = m.arrays.wavelength;
  const ok = w && w.shape.length === 2 && w.shape[0] === ny && w.shape[1] === nx
    && Array.prototype.some.call(w.data, (v: number) => Number.isFinite(v) && v !== 0);
  if (!ok) {
    throw new StepError('not-implemented', 'extract_1d needs the per-pixel wavelength map (the WAVELENGTH array written by assign_wcs); evaluating the WCS here is not implemented', { file: m.source, extname: 'WAVELENGTH' });
  }
  return toCrossDisp(w.data as ArrayLike<number>, ny, nx, dispaxis);
}

/** Integration times for output rows from the INT_TIMES table (jwst populate_time_keywords). */
export function rowTimes(m: JwstModel, n: number, warn: (s: string) => void): RowTimes {
  const t: FitsTable | undefined = m.tables.int_times;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const r: RowTimes = { intNum: Int32Array.from({ length: n }, (_, k) => k + 1), mjdBeg: nan(), mjdAvg: nan(), mjdEnd: nan(), tdbBeg: nan(), tdbMid: nan(), tdbEnd: nan() };
  const colOf = (name: string): ArrayLike<number> | undefined => t?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.data as ArrayLike<number> | undefined;
  const num = colOf('integration_number');
  if (!t || t.nrows < 1 || !num) { warn('There is no INT_TIMES table in the input: integration numbers are 1..n and times are NaN'); return r; }
  const start = Number(getMeta(m.meta, 'exposure.integration_start') ?? 1);
  const offset = start - Number(num[0]);
  if (offset < 0 || offset + n > t.nrows) { warn('Not using the INT_TIMES table: it does not include rows for all integrations in the data'); return r; }
  const pairs: Array<[keyof RowTimes, string]> = [['mjdBeg', 'int_start_MJD_UTC'], ['mjdAvg', 'int_mid_MJD_UTC'], ['mjdEnd', 'int_end_MJD_UTC'], ['tdbBeg', 'int_start_BJD_TDB'], ['tdbMid', 'int_mid_BJD_TDB'], ['tdbEnd', 'int_end_BJD_TDB']];
  for (let k = 0; k < n; k++) {
    r.intNum[k] = Number(num[k + offset]);
    for (const [key, name] of pairs) { const c = colOf(name); if (c) (r[key] as Float64Array)[k] = Number(c[k + offset]); }
  }
  return r;
}

export interface ExtractionSetup {
  params: ExtractParams;
  dispaxis: number;
  slitname: string;
}

/** Run the extraction over all integrations and build the output model. */
export function extractModel(m: JwstModel, setup: ExtractionSetup, hooks: RunHooks = {}): JwstModel {
  const { params, dispaxis } = setup;
  const shape = m.arrays.data?.shape;
  if (!shape || shape.length < 2) throw new StepError('bad-input', 'extract_1d input has no 2-D or 3-D SCI array', { file: m.source, extname: 'SCI' });
  const [ny, nx] = shape.slice(-2);
  const nints = shape.length === 3 ? shape[0] : 1;
  const warn = hooks.warn ?? ((): void => undefined);
  const wl = wavelengthMap(m, ny, nx, dispaxis);
  const ncross = dispaxis === 1 ? ny : nx;
  const ndisp = dispaxis === 1 ? nx : ny;
  const src = boxProfile(params, dispaxis, ncross, ndisp, wl, 'src');
  maskInvalidWavelength(src, wl);
  const { wavelength, left, right } = apertureWavelength(src, wl);
  let bg: BackgroundSpec | undefined;
  if (params.subtractBackground && params.bkgCoeff) {
    bg = { weights: boxProfile(params, dispaxis, ncross, ndisp, wl, 'bkg').weights, fit: params.bkgFit ?? 'poly', order: params.bkgOrder, smoothingLength: params.smoothingLength };
  }
  const valid = Uint8Array.from(wavelength, (v) => (Number.isFinite(v) ? 1 : 0));
  if (!valid.some((v) => v === 1)) throw new StepError('no-data', 'extract_1d: the aperture holds no pixel with a valid wavelength (spectrum is empty)', { file: m.source });
  const calibrated = String(getMeta(m.meta, 'cal_step.photom') ?? '').toUpperCase() === 'COMPLETE';
  if (!calibrated) warn('The photom step has not been run: FLUX is a count rate');
  let solidAngle = Number(getMeta(m.meta, 'photometry.pixelarea_steradians') ?? NaN);
  if (calibrated && !Number.isFinite(solidAngle)) { warn('Pixel area (solid angle) is not populated; the flux will not be correct.'); solidAngle = 1; }
  const spectra: Spectrum[] = [];
  for (let k = 0; k < nints; k++) {
    hooks.signal?.throwIfAborted();
    const plane = planeInput(m, k, ny, nx, dispaxis);
    spectra.push(toSpectrum(extractPlane(plane, src.weights, bg), wavelength, valid, solidAngle, calibrated));
    hooks.progress?.(k + 1, nints);
  }
  return buildOutput(m, setup, spectra, calibrated, { lower: src.lower, upper: src.upper, left, right }, warn);
}

function buildOutput(
  m: JwstModel, setup: ExtractionSetup, spectra: Spectrum[], calibrated: boolean,
  lim: { lower: number; upper: number; left: number; right: number }, warn: (s: string) => void,
): JwstModel {
  const units = calibrated ? UNITS_CALIBRATED : UNITS_COUNTRATE;
  const multi = (m.arrays.data?.shape.length ?? 2) === 3 && spectra.length > 1;
  const partMeta: Meta = {
    name: setup.slitname,
    spectral_order: setup.params.spectralOrder,
    dispersion_direction: setup.dispaxis,
    detector: (getMeta(m.meta, 'instrument.detector') as string | undefined) ?? null,
  };
  const st = getMeta(m.meta, 'target.source_type');
  if (typeof st === 'string') partMeta.source_type = st;
  const [xs, xe, ys, ye] = setup.dispaxis === 1 ? [lim.left, lim.right, lim.lower, lim.upper] : [lim.lower, lim.upper, lim.left, lim.right];
  Object.assign(partMeta, { extraction_xstart: xs + 1, extraction_xstop: xe + 1, extraction_ystart: ys + 1, extraction_ystop: ye + 1 });
  const meta = primaryMeta(m.meta);
  const tables: Record<string, FitsTable> = {};
  const tso = isTso(m.meta);
  if (tso && m.tables.int_times) tables.int_times = m.tables.int_times;
  let part: ModelPart;
  if (multi) {
    const times = tso ? rowTimes(m, spectra.length, warn) : rowTimes({ ...m, tables: {} }, spectra.length, () => undefined);
    const segment = Number(getMeta(m.meta, 'exposure.segment_number') ?? 0);
    part = { meta: partMeta, arrays: {}, table: tsoSpecTable(spectra, units, segment, times) };
  } else {
    part = { meta: partMeta, arrays: {}, table: specTable(spectra[0], units) };
  }
  return { type: multi ? 'TSOMultiSpecModel' : 'MultiSpecModel', meta, arrays: {}, tables, parts: [part], extras: [], source: m.source };
}
