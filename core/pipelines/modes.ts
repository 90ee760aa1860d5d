/**
 * Which steps apply to which exposure: the mode tables of the jwst docs.
 * calwebb_spec2: seed 003 ("calwebb_spec2: Stage 2 Spectroscopic Processing",
 * the step-by-mode table, science exposures); detector1 and tso3: the
 * instrument/EXP_TYPE branches of jwst 3.0 (golden pipeline.log order).
 * Steps skipped by default (badpix_selfcal, pixel_replace, ...) still "apply";
 * their default comes from the step's skipByDefault.
 */
import { getMeta, type Meta } from '../datamodels/meta.ts';
import type { JwstModel } from '../stpipe/model.ts';

/** meta.exposure.type, upper case ('' when absent). */
export function expType(meta: Meta): string {
  const v = getMeta(meta, 'exposure.type');
  return typeof v === 'string' ? v.trim().toUpperCase() : '';
}

/** meta.instrument.name, upper case. */
export function instrument(meta: Meta): string {
  const v = getMeta(meta, 'instrument.name');
  return typeof v === 'string' ? v.trim().toUpperCase() : '';
}

/** EXP_TYPEs that are always time series (jwst lib/pipe_utils is_tso). */
const TSO_EXP_TYPES = new Set(['NRC_TSIMAGE', 'NRC_TSGRISM', 'NRS_BRIGHTOBJ', 'MIR_LRS-SLITLESS', 'NIS_SOSS']);

/**
 * Time-series observation, as jwst's is_tso decides: TSOVISIT = T or an
 * always-TSO EXP_TYPE, but not when NINTS is known to be below 2.
 */
export function isTso(meta: Meta): boolean {
  const v = getMeta(meta, 'visit.tsovisit');
  const visit = v === true || v === 'T' || v === 'True';
  const nints = getMeta(meta, 'exposure.nints');
  if (typeof nints === 'number' && nints < 2) return false;
  return visit || TSO_EXP_TYPES.has(expType(meta));
}

/** Columns of the seed-003 table. */
export type Spec2Mode = 'NRS_FS' | 'NRS_MOS' | 'NRS_IFU' | 'MIR_FS' | 'MIR_SL' | 'MIR_MRS' | 'NIS_SOSS' | 'NIS_WFSS' | 'NRC_WFSS' | 'TSO';

const EXP_TO_MODE: Readonly<Record<string, Spec2Mode>> = {
  NRS_FIXEDSLIT: 'NRS_FS', NRS_BRIGHTOBJ: 'NRS_FS', NRS_MSASPEC: 'NRS_MOS', NRS_IFU: 'NRS_IFU',
  'MIR_LRS-FIXEDSLIT': 'MIR_FS', 'MIR_LRS-SLITLESS': 'MIR_SL', MIR_MRS: 'MIR_MRS',
  NIS_SOSS: 'NIS_SOSS', NIS_WFSS: 'NIS_WFSS', NRC_WFSS: 'NRC_WFSS', NRC_GRISM: 'NRC_WFSS', NRC_TSGRISM: 'TSO',
};

const ALL: readonly Spec2Mode[] = ['NRS_FS', 'NRS_MOS', 'NRS_IFU', 'MIR_FS', 'MIR_SL', 'MIR_MRS', 'NIS_SOSS', 'NIS_WFSS', 'NRC_WFSS', 'TSO'];

/**
 * Seed 003's table, one row per step (pipeline alias), listing the columns
 * with a check mark. nsclean's row applies to clean_flicker_noise (its jwst
 * 3.0 replacement); targ_centroid is a jwst 3.0 step for MIRI LRS not in the table.
 */
export const SPEC2_TABLE: Readonly<Record<string, readonly Spec2Mode[]>> = {
  assign_wcs: ALL,
  badpix_selfcal: ['NRS_IFU', 'MIR_MRS'],
  msa_flagging: ['NRS_MOS', 'NRS_IFU'],
  clean_flicker_noise: ['NRS_FS', 'NRS_MOS', 'NRS_IFU'],
  imprint_subtract: ['NRS_MOS', 'NRS_IFU'],
  bkg_subtract: ['NRS_FS', 'NRS_MOS', 'NRS_IFU', 'MIR_FS', 'MIR_MRS', 'NIS_SOSS', 'NIS_WFSS', 'NRC_WFSS'],
  extract_2d: ['NRS_FS', 'NRS_MOS', 'NIS_WFSS', 'NRC_WFSS', 'TSO'],
  srctype: ALL,
  targ_centroid: ['MIR_FS', 'MIR_SL', 'TSO'],
  master_background_mos: ['NRS_MOS'],
  wavecorr: ['NRS_FS', 'NRS_MOS'],
  straylight: ['MIR_MRS'],
  flat_field: ALL,
  fringe: ['MIR_MRS'],
  pathloss: ['NRS_FS', 'NRS_MOS', 'NRS_IFU', 'MIR_FS', 'NIS_SOSS'],
  barshadow: ['NRS_MOS'],
  wfss_contam: ['NIS_WFSS', 'NRC_WFSS'],
  photom: ALL,
  residual_fringe: ['MIR_MRS'],
  adaptive_trace_model: ['NRS_FS', 'NRS_MOS', 'NRS_IFU', 'MIR_FS', 'MIR_SL', 'MIR_MRS'],
  pixel_replace: ['NRS_FS', 'NRS_MOS', 'NRS_IFU', 'MIR_FS', 'MIR_SL', 'NIS_WFSS', 'NRC_WFSS'],
  resample_spec: ['NRS_FS', 'NRS_MOS', 'MIR_FS'],
  cube_build: ['NRS_IFU', 'MIR_MRS'],
  extract_1d: ALL,
};

/** The seed-003 column of an exposure, or undefined for a non-spectroscopic EXP_TYPE. */
export function spec2Mode(meta: Meta): Spec2Mode | undefined {
  return EXP_TO_MODE[expType(meta)];
}

/**
 * Whether a calwebb_spec2 step applies: its row has the exposure's column,
 * and for a TSO exposure also the TSO column (so MIRI LRS slitless TSO gets
 * assign_wcs, srctype, targ_centroid, flat_field, photom, extract_1d).
 */
export function spec2Applies(alias: string, meta: Meta): boolean {
  const row = SPEC2_TABLE[alias];
  const mode = spec2Mode(meta);
  if (!row || !mode) return false;
  if (!row.includes(mode)) return false;
  return !isTso(meta) || row.includes('TSO');
}

/** MIRI-only and NIR-only steps of calwebb_detector1 (jwst 3.0 branches on the instrument). */
const DET1_MIRI_ONLY = new Set(['emicorr', 'firstframe', 'lastframe', 'reset', 'rscd']);
const DET1_NIR_ONLY = new Set(['superbias']);

/** Whether a calwebb_detector1 step is in the instrument's branch. */
export function detector1Applies(alias: string, meta: Meta): boolean {
  const miri = instrument(meta) === 'MIRI';
  if (DET1_MIRI_ONLY.has(alias)) return miri;
  if (DET1_NIR_ONLY.has(alias)) return !miri;
  return true;
}

/** TSO imaging (tso_photometry) versus TSO spectroscopy (extract_1d, white_light) in calwebb_tso3. */
export function isTsoImaging(meta: Meta): boolean {
  const e = expType(meta);
  return e === 'NRC_TSIMAGE' || e === 'MIR_IMAGE' || e === 'NIS_IMAGE';
}

/**
 * jwst 3.0 carries a MIR_LRS-SLITLESS exposure on as a SlitModel after the
 * background steps (golden lrs_spec2_tso3 pipeline.log: srctype receives a
 * SlitModel(8, 416, 72); the calints has DATAMODL=SlitModel with 3-D SCI).
 */
export function asSlitModel(m: JwstModel): JwstModel {
  return expType(m.meta) === 'MIR_LRS-SLITLESS' && m.type === 'CubeModel' ? { ...m, type: 'SlitModel' } : m;
}
