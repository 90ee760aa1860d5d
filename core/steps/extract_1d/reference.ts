/**
 * EXTRACT1D reference parameters: the "apertures" list of the JSON reference
 * (jwst docs, "extract_1d reference file": id, region_type, spectral_order,
 * dispaxis, xstart/xstop/ystart/ystop, src_coeff, bkg_coeff, bkg_fit,
 * bkg_order, smoothing_length, independent_var, use_source_posn,
 * extract_width), and the selection/defaulting rules of get_extract_parameters.
 * The ASDF form carries the same "apertures" list in its tree.
 */
import { StepError } from '../../errors/index.ts';

export type BkgFit = 'poly' | 'median';

/** One aperture entry as written in the reference file. */
export interface ApertureEntry {
  id?: string;
  region_type?: string;
  spectral_order?: number | string;
  dispaxis?: number;
  xstart?: number; xstop?: number; ystart?: number; ystop?: number;
  src_coeff?: number[][] | null;
  bkg_coeff?: number[][] | null;
  bkg_fit?: string;
  bkg_order?: number;
  smoothing_length?: number;
  independent_var?: string;
  use_source_posn?: boolean;
  extract_width?: number | null;
}

/** The resolved parameters used for one extraction (jwst extract_params). */
export interface ExtractParams {
  spectralOrder: number;
  xstart: number; xstop: number; ystart: number; ystop: number;
  srcCoeff: number[][] | null;
  bkgCoeff: number[][] | null;
  subtractBackground: boolean;
  bkgFit: BkgFit | null;
  bkgOrder: number;
  smoothingLength: number;
  independentVar: 'pixel' | 'wavelength';
  useSourcePosn: boolean;
  positionOffset: number;
  extractWidth: number | null;
}

/** Step-parameter overrides (null = take the reference value). */
export interface ExtractOverrides {
  smoothing_length: number | null;
  bkg_fit: string | null;
  bkg_order: number | null;
  subtract_background: boolean | null;
  use_source_posn: boolean | null;
  position_offset: number;
}

/** Exposure types for which jwst turns use_source_posn on by default. */
export const SRCPOS_EXPTYPES = ['MIR_LRS-FIXEDSLIT', 'NRS_FIXEDSLIT', 'NRS_MSASPEC', 'NRS_BRIGHTOBJ'];

const NUM_KEYS = ['xstart', 'xstop', 'ystart', 'ystop', 'bkg_order', 'smoothing_length', 'dispaxis'] as const;

function checkCoeff(v: unknown, key: string, file: string, i: number): void {
  if (v === undefined || v === null) return;
  const ok = Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length > 0 && r.every((x) => typeof x === 'number'));
  if (!ok) throw new StepError('bad-reference', `aperture ${i}: "${key}" must be a list of coefficient lists (numbers)`, { file, parameter: key });
  if ((v as unknown[]).length % 2 !== 0) throw new StepError('bad-reference', `aperture ${i}: "${key}" must contain alternating lower and upper limit polynomials (an even number of lists)`, { file, parameter: key });
}

/**
 * Validate an EXTRACT1D tree (parsed JSON, or an ASDF tree) and return its apertures.
 * @throws StepError('bad-reference') naming the file and the missing or malformed key.
 */
export function parseExtract1dRef(tree: unknown, file: string): ApertureEntry[] {
  if (typeof tree !== 'object' || tree === null) throw new StepError('bad-reference', 'EXTRACT1D reference is not an object', { file });
  const aps = (tree as Record<string, unknown>).apertures;
  if (!Array.isArray(aps)) throw new StepError('bad-reference', 'EXTRACT1D reference has no "apertures" list', { file, keyword: 'apertures' });
  aps.forEach((a, i) => {
    if (typeof a !== 'object' || a === null) throw new StepError('bad-reference', `aperture ${i} is not an object`, { file });
    const r = a as Record<string, unknown>;
    if (typeof r.id !== 'string') throw new StepError('bad-reference', `aperture ${i} has no "id" (the slit name or exposure type it applies to)`, { file, keyword: 'id' });
    for (const k of NUM_KEYS) {
      if (r[k] !== undefined && r[k] !== null && typeof r[k] !== 'number') throw new StepError('bad-reference', `aperture "${r.id}": "${k}" must be a number`, { file, keyword: k });
    }
    checkCoeff(r.src_coeff, 'src_coeff', file, i);
    checkCoeff(r.bkg_coeff, 'bkg_coeff', file, i);
    if (r.bkg_fit !== undefined && r.bkg_fit !== null && !['poly', 'mean', 'median'].includes(String(r.bkg_fit))) {
      throw new StepError('bad-reference', `aperture "${r.id}": bkg_fit must be poly, mean or median (got ${String(r.bkg_fit)})`, { file, keyword: 'bkg_fit' });
    }
  });
  return aps as ApertureEntry[];
}

/** jwst's smoothing-length rules: integer, 0 or odd >= 3. */
function checkSmoothing(v: number): number {
  let s = Math.round(v);
  if (s !== 0 && s < 3) s = 0;
  else if (s !== 0 && s % 2 === 0) s -= 1;
  return s;
}

/** Defaults when there is no reference (EXTRACT1D N/A): whole array, no background. */
export function defaultParams(shape: readonly number[], spectralOrder: number): ExtractParams {
  return {
    spectralOrder, xstart: 0, xstop: shape[shape.length - 1] - 1, ystart: 0, ystop: shape[shape.length - 2] - 1,
    srcCoeff: null, bkgCoeff: null, subtractBackground: false, bkgFit: null, bkgOrder: 0, smoothingLength: 0,
    independentVar: 'pixel', useSourcePosn: false, positionOffset: 0, extractWidth: null,
  };
}

/**
 * Select the aperture for a slit name and order, and merge the step's
 * overrides (jwst extract.get_extract_parameters). Returns undefined when no
 * aperture id matches.
 */
export function selectParams(
  apertures: readonly ApertureEntry[], slitname: string, spectralOrder: number, expType: string,
  shape: readonly number[], o: ExtractOverrides,
): ExtractParams | undefined {
  for (const aper of apertures) {
    if (aper.id === 'dummy' || (aper.id !== slitname && aper.id !== 'ANY' && slitname !== 'ANY')) continue;
    if ((aper.region_type ?? 'target') !== 'target') continue;
    const so = aper.spectral_order ?? spectralOrder;
    if (so !== spectralOrder && so !== 'ANY') continue;
    const p = defaultParams(shape, spectralOrder);
    p.xstart = aper.xstart ?? p.xstart; p.xstop = aper.xstop ?? p.xstop;
    p.ystart = aper.ystart ?? p.ystart; p.ystop = aper.ystop ?? p.ystop;
    p.srcCoeff = aper.src_coeff ?? null;
    p.bkgCoeff = aper.bkg_coeff ?? null;
    let subtract = o.subtract_background;
    if (p.bkgCoeff !== null && subtract === null) subtract = true;
    let bkgOrder = o.bkg_order;
    if (subtract) {
      p.subtractBackground = true;
      let fit = o.bkg_fit ?? aper.bkg_fit ?? 'poly';
      if (o.bkg_fit === 'mean') bkgOrder = 0;
      if (fit === 'mean') fit = 'poly';
      p.bkgFit = fit as BkgFit;
    }
    p.independentVar = (aper.independent_var ?? 'pixel').toLowerCase().startsWith('wavelength') ? 'wavelength' : 'pixel';
    p.bkgOrder = bkgOrder ?? aper.bkg_order ?? 0;
    p.useSourcePosn = o.use_source_posn ?? aper.use_source_posn ?? SRCPOS_EXPTYPES.includes(expType);
    p.positionOffset = o.position_offset;
    p.extractWidth = aper.extract_width ?? null;
    p.smoothingLength = checkSmoothing(o.smoothing_length ?? aper.smoothing_length ?? 0);
    return p;
  }
  return undefined;
}
