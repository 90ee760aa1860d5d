/**
 * Extract1dStep (jwst 3.0 extract_1d): box extraction of 2-D/3-D spectral
 * images. Implemented: MIRI LRS slitless (TSO, per integration) and fixed
 * slit with an EXTRACT1D reference in JSON or ASDF form, use_source_posn for
 * the fixed slit (srcpos.ts); optimal extraction, IFU, SOSS, WFSS and LRS
 * APCORR are not.
 */
import { readFile } from 'node:fs/promises';
import { readAsdfFile } from '../../asdf/index.node.ts';
import { getMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { defineStep, isModel, param, type JwstModel, type StepContext } from '../../stpipe/index.ts';
import { parseExtract1dRef, selectParams, defaultParams, type ApertureEntry, type ExtractOverrides } from './reference.ts';
import { extractModel } from './run.ts';
import { sourcePositionOffset } from './srcpos.ts';

const SUPPORTED = ['MIR_LRS-SLITLESS', 'MIR_LRS-FIXEDSLIT'];

/** Read an EXTRACT1D reference (JSON, or ASDF with the same "apertures" tree). */
export async function readExtract1dRef(path: string): Promise<ApertureEntry[]> {
  if (/\.asdf$/i.test(path)) return parseExtract1dRef((await readAsdfFile(path)).tree, path);
  let tree: unknown;
  try {
    tree = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new StepError('bad-reference', `EXTRACT1D reference is not valid JSON: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  return parseExtract1dRef(tree, path);
}

function supports(m: JwstModel): string | undefined {
  const exp = String(getMeta(m.meta, 'exposure.type') ?? '');
  if (!SUPPORTED.includes(exp)) return `extract_1d is implemented for MIRI LRS (MIR_LRS-SLITLESS, MIR_LRS-FIXEDSLIT) only, not ${exp || 'an unknown EXP_TYPE'}`;
  if (!['CubeModel', 'ImageModel', 'SlitModel'].includes(m.type)) return `extract_1d for ${exp} expects a CubeModel, SlitModel or ImageModel, got ${m.type}`;
  return undefined;
}

async function run(input: JwstModel | readonly JwstModel[], ctx: StepContext): Promise<JwstModel> {
  if (!isModel(input)) throw new StepError('not-implemented', 'extract_1d on a list of models (WFSS source containers) is not implemented');
  const p = ctx.params;
  if (p.extraction_type === 'optimal') throw new StepError('not-implemented', 'optimal extraction is not implemented; use extraction_type=box', { parameter: 'extraction_type' });
  const expType = String(getMeta(input.meta, 'exposure.type') ?? '');
  const shape = input.arrays.data?.shape ?? [];
  const order = Number(getMeta(input.meta, 'wcsinfo.spectral_order') ?? 1);
  const dispaxis = Number(getMeta(input.meta, 'wcsinfo.dispersion_direction') ?? NaN);
  if (dispaxis !== 1 && dispaxis !== 2) throw new StepError('bad-input', 'the dispersion direction (DISPAXIS) is missing: run assign_wcs first', { file: input.source, keyword: 'DISPAXIS' });
  const overrides: ExtractOverrides = {
    smoothing_length: (p.smoothing_length as number | null) ?? null,
    bkg_fit: (p.bkg_fit as string | null) ?? null,
    bkg_order: (p.bkg_order as number | null) ?? null,
    subtract_background: (p.subtract_background as boolean | null) ?? null,
    use_source_posn: (p.use_source_posn as boolean | null) ?? null,
    position_offset: Number(p.position_offset ?? 0),
  };
  const ref = await ctx.reference('extract1d');
  let params = defaultParams(shape, order);
  if (ref.kind === 'file') {
    const aps = await readExtract1dRef(ref.path);
    const sel = selectParams(aps, expType, order, expType, shape, overrides);
    if (!sel) throw new StepError('bad-reference', `no aperture in the EXTRACT1D reference matches id "${expType}" (spectral order ${order}): missing extraction parameters`, { file: ref.path, keyword: 'id' });
    params = sel;
  }
  if (String(getMeta(input.meta, 'target.source_type') ?? '') !== 'POINT' && overrides.use_source_posn === null) params.useSourcePosn = false;
  if (params.useSourcePosn) {
    if (expType !== 'MIR_LRS-FIXEDSLIT') throw new StepError('not-implemented', `use_source_posn is implemented for MIR_LRS-FIXEDSLIT only, not ${expType}; run with use_source_posn=False`, { parameter: 'use_source_posn' });
    params.positionOffset += sourcePositionOffset(input, params, dispaxis, (s) => ctx.log.warning(s), (s) => ctx.log.info(s));
  }
  if (params.positionOffset !== 0) shiftParams(params, dispaxis);
  if (p.apply_apcorr !== false && String(getMeta(input.meta, 'target.source_type') ?? '') === 'POINT') {
    const ap = await ctx.reference('apcorr');
    if (ap.kind === 'file') throw new StepError('not-implemented', 'the MIRI LRS aperture correction (APCORR) is not implemented; run with apply_apcorr=False or override_apcorr=N/A', { file: ap.path, parameter: 'apply_apcorr' });
  }
  const logInc = Number(p.log_increment ?? 50);
  return extractModel(input, { params, dispaxis, slitname: expType }, {
    signal: ctx.signal,
    warn: (s) => ctx.log.warning(s),
    progress: (done, total) => {
      ctx.progress(done, total, 'integrations');
      if (logInc > 0 && total > 1 && done % logInc === 0) ctx.log.info(`... ${done} integrations done`);
    },
  });
}

/** position_offset: shift the cross-dispersion start/stop and coefficients (jwst shift_by_offset). */
function shiftParams(p: ReturnType<typeof defaultParams>, dispaxis: number): void {
  const o = p.positionOffset;
  for (const list of [p.srcCoeff, p.bkgCoeff]) list?.forEach((c) => { c[0] += o; });
  if (dispaxis === 1) { p.ystart += o; p.ystop += o; } else { p.xstart += o; p.xstop += o; }
}

export const step = defineStep<JwstModel | readonly JwstModel[], JwstModel>({
  name: 'extract_1d',
  className: 'Extract1dStep',
  summary: 'Extract a 1-D spectrum from 2-D data (box extraction; per integration for TSO)',
  suffix: 'x1d',
  referenceTypes: ['extract1d', 'apcorr', 'pastasoss', 'specprofile', 'speckernel', 'psf'],
  supports: (i) => (isModel(i) ? supports(i) : 'extract_1d on a list of models is not implemented'),
  spec: {
    subtract_background: param.bool(null, 'subtract background?'),
    apply_apcorr: param.bool(true, 'apply aperture corrections?'),
    extraction_type: param.option(['box', 'optimal', null], 'box', 'Perform box or optimal extraction'),
    use_source_posn: param.bool(null, 'use source coords to center extractions?'),
    position_offset: param.float(0, 'number of pixels to shift source trace in the cross-dispersion direction', { unit: 'pixel' }),
    model_nod_pair: param.bool(true, 'For optimal extraction, model a negative nod if possible'),
    optimize_psf_location: param.bool(true, 'For optimal extraction, optimize source location'),
    smoothing_length: param.int(null, 'background smoothing size', { unit: 'pixel' }),
    bkg_fit: param.option(['poly', 'mean', 'median', null], null, 'background fitting type'),
    bkg_order: param.int(null, 'order of background polynomial fit', { min: 0 }),
    log_increment: param.int(50, 'increment for multi-integration log messages'),
    save_profile: param.bool(false, 'save spatial profile to disk'),
    save_scene_model: param.bool(false, 'save flux model to disk'),
    save_residual_image: param.bool(false, 'save residual image to disk'),
    center_xy: param.floatList(null, 'IFU extraction x/y center'),
    ifu_autocen: param.bool(false, 'Auto source centering for IFU point source data.'),
    bkg_sigma_clip: param.float(3.0, 'background sigma clipping threshold for IFU'),
    ifu_rfcorr: param.bool(true, 'Apply 1d residual fringe correction (MIRI MRS only)'),
    ifu_set_srctype: param.option(['POINT', 'EXTENDED', null], null, 'user-supplied source type'),
    ifu_rscale: param.float(null, 'Radius in terms of PSF FWHM to scale extraction radii', { min: 0.5, max: 3 }),
    ifu_covar_scale: param.float(1.0, 'Scaling factor to apply to errors to account for IFU cube covariance'),
    soss_atoca: param.bool(true, 'use ATOCA algorithm'),
    soss_threshold: param.float(1e-2, 'TODO: threshold could be removed from inputs. Its use is too specific now.'),
    soss_n_os: param.int(2, 'minimum oversampling factor of the underlying wavelength grid used when modeling trace.'),
    soss_wave_grid_in: param.string(null, 'Input wavelength grid used to model the detector'),
    soss_wave_grid_out: param.string(null, 'Output wavelength grid solution filename'),
    soss_estimate: param.string(null, 'Estimate used to generate the wavelength grid'),
    soss_rtol: param.float(1.0e-4, 'Relative tolerance needed on a pixel model'),
    soss_max_grid_size: param.int(20000, 'Maximum grid size, if wave_grid not specified'),
    soss_tikfac: param.float(null, 'regularization factor for NIRISS SOSS extraction'),
    soss_width: param.float(40, 'aperture width used to extract the 1D spectrum from the de-contaminated trace.'),
    soss_bad_pix: param.option(['model', 'masking'], 'masking', 'method used to handle bad pixels'),
    soss_modelname: param.string(null, 'Filename for optional model output of traces and pixel weights'),
  },
  run,
});
