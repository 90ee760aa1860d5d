/**
 * calwebb_spec2 (Spec2Pipeline): rate/rateints -> cal/calints (+ s2d) and
 * x1d/x1dints, per science member of one association product (or one file).
 * Implemented path: jwst's "common" processing (MIRI LRS fixed slit and
 * slitless, MIRI MRS steps declared); grism, NIRSpec slit and NIRISS SOSS
 * paths fail with StepError 'not-implemented'. Order: jwst 3.0 (golden
 * lrs_spec2_tso3 pipeline.log); mode rules: seed 003 (modes.ts).
 */
import type { Meta } from '../datamodels/meta.ts';
import { StepError } from '../errors/index.ts';
import { STEPS } from '../steps/registry.node.ts';
import { definePipeline, param, type PipelineContext } from '../stpipe/index.ts';
import type { JwstModel } from '../stpipe/model.ts';
import { membersByType, untagMember } from '../associations/members.ts';
import { asModel, entry, modeNotImplemented, runChain } from './flow.ts';
import { asSlitModel, expType, spec2Applies } from './modes.ts';
import { materialize, streamSpec2 } from './stream/index.node.ts';
import { openCubeInput } from './stream/open.node.ts';

const when = (name: string) => (meta: Meta) => spec2Applies(name, meta);

/** jwst 3.0 step_defs order: [pipeline name, registry alias]. */
const STEP_DEFS: readonly (readonly [string, string])[] = [
  ['assign_wcs', 'assign_wcs'], ['badpix_selfcal', 'badpix_selfcal'], ['msa_flagging', 'msa_flagging'],
  ['clean_flicker_noise', 'clean_flicker_noise'], ['bkg_subtract', 'background'], ['imprint_subtract', 'imprint'],
  ['extract_2d', 'extract_2d'], ['master_background_mos', 'master_background_mos'], ['targ_centroid', 'targ_centroid'],
  ['wavecorr', 'wavecorr'], ['flat_field', 'flat_field'], ['srctype', 'srctype'], ['straylight', 'straylight'],
  ['fringe', 'fringe'], ['residual_fringe', 'residual_fringe'], ['pathloss', 'pathloss'], ['barshadow', 'barshadow'],
  ['wfss_contam', 'wfss_contam'], ['photom', 'photom'], ['adaptive_trace_model', 'adaptive_trace_model'],
  ['pixel_replace', 'pixel_replace'], ['resample_spec', 'resample_spec'], ['cube_build', 'cube_build'], ['extract_1d', 'extract_1d'],
];

const HEAD = ['badpix_selfcal', 'msa_flagging', 'clean_flicker_noise', 'imprint_subtract', 'bkg_subtract'];
const COMMON = ['srctype', 'targ_centroid', 'straylight', 'flat_field', 'fringe', 'pathloss', 'barshadow', 'photom', 'residual_fringe'];
const AFTER_CAL = ['adaptive_trace_model', 'pixel_replace'];
const GRISM = new Set(['NRC_TSGRISM', 'NIS_WFSS', 'NRC_GRISM', 'NRC_WFSS']);
const NRS_SLIT = new Set(['NRS_FIXEDSLIT', 'NRS_BRIGHTOBJ', 'NRS_MSASPEC', 'NRS_LAMP', 'NRS_AUTOWAVE', 'NRS_AUTOFLAT']);
const RESAMPLED = new Set(['NRS_FIXEDSLIT', 'NRS_MSASPEC', 'MIR_LRS-FIXEDSLIT']);
const IFU = new Set(['MIR_MRS', 'NRS_IFU']);

/** Execution order of the common path for this exposure (before mode rules). */
export function spec2Order(meta: Meta, multiInt: boolean): string[] {
  const e = expType(meta);
  const resample = RESAMPLED.has(e) && !multiInt ? ['resample_spec'] : IFU.has(e) ? ['cube_build'] : [];
  return ['assign_wcs', ...HEAD, ...COMMON, ...AFTER_CAL, ...resample, 'extract_1d'];
}

function checkPath(e: string): void {
  if (GRISM.has(e)) throw modeNotImplemented('calwebb_spec2', `the grism/WFSS path (EXP_TYPE ${e})`);
  if (NRS_SLIT.has(e)) throw modeNotImplemented('calwebb_spec2', `the NIRSpec slit path (EXP_TYPE ${e})`);
  if (e === 'NIS_SOSS') throw modeNotImplemented('calwebb_spec2', 'the NIRISS SOSS path (photom after extract_1d)');
}

/** jwst records the association pool and file ('singleton' for a single file) in the cal product. */
function recordAsn(m: JwstModel): JwstModel {
  const asn = (m.meta.asn as Meta | undefined) ?? {};
  const out = untagMember(m);
  return { ...out, meta: { ...out.meta, asn: { ...(out.meta.asn as Meta | undefined), pool_name: asn.pool_name ?? 'singleton', table_name: asn.table_name ?? 'singleton' } } };
}

async function processProduct(ctx: PipelineContext, science: JwstModel, byType: Record<string, JwstModel[]>): Promise<JwstModel | null> {
  const multiInt = science.type === 'CubeModel';
  const e = expType(science.meta);
  checkPath(e);
  let m = asModel(await ctx.runStep('assign_wcs', science), 'assign_wcs');
  const status = (m.meta.cal_step as Meta | undefined)?.assign_wcs;
  if (status !== undefined && status !== 'COMPLETE') {
    ctx.log.warning('Assign_wcs processing was skipped. Aborting remaining processing for this exposure. No output product will be created.');
    return null;
  }
  const backgrounds = byType.background ?? [];
  const skip = new Set<string>();
  if ((byType.imprint ?? []).length === 0) skip.add('imprint_subtract');
  if (backgrounds.length === 0) skip.add('bkg_subtract');
  for (const name of HEAD) {
    const s = skip.has(name) || !spec2Applies(name, m.meta);
    const input = name === 'bkg_subtract' && !s ? [m, ...backgrounds] : m;
    m = asModel(await ctx.runStep(name, input, s ? { skip: true } : undefined), name);
    if (name === 'bkg_subtract' && !s && ctx.params.save_bsub === true) await ctx.save(m, multiInt ? 'bsubints' : 'bsub');
  }
  m = asSlitModel(m);
  m = await runChain(ctx, spec2, COMMON, m);
  const cal = recordAsn(m);
  await ctx.save(cal, multiInt ? 'calints' : 'cal');
  let toExtract = await runChain(ctx, spec2, AFTER_CAL, cal);
  const order = spec2Order(science.meta, multiInt);
  if (order.includes('resample_spec')) {
    toExtract = asModel(await ctx.runStep('resample_spec', toExtract), 'resample_spec');
    await ctx.save(toExtract, 's2d');
  } else if (order.includes('cube_build')) {
    toExtract = asModel(await ctx.runStep('cube_build', toExtract), 'cube_build');
    await ctx.save(toExtract, 's3d');
  }
  await ctx.save(await ctx.runStep('extract_1d', toExtract), multiInt ? 'x1dints' : 'x1d');
  return cal;
}

export const spec2 = definePipeline({
  name: 'calwebb_spec2',
  className: 'Spec2Pipeline',
  openInput: openCubeInput,
  summary: 'Spectroscopic calibration of one exposure: rate/rateints -> cal/calints, s2d, x1d/x1dints',
  spec: {
    save_bsub: param.bool(false, 'Save background-subtracted science'),
    fail_on_exception: param.bool(true, 'Fail if any product fails.'),
    save_wfss_esec: param.bool(false, 'Save WFSS e-/sec image'),
  },
  steps: STEP_DEFS.map(([name, alias]) => entry(STEPS, alias, when(name), name === alias ? undefined : name)),
  products: ['bsub', 'cal', 'calints', 's2d', 's3d', 'x1d', 'x1dints'],
  async run(input, ctx) {
    const byType = membersByType(input);
    const sci = byType.science ?? [];
    if (sci.length === 0) throw new StepError('no-science', 'calwebb_spec2: the association product has no science member');
    if (sci.length > 1) ctx.log.warning('Wrong number of science exposures found; using only the first one.');
    const streamed = await streamSpec2(ctx, sci[0]!, byType, spec2Order(sci[0]!.meta, sci[0]!.type === 'CubeModel'));
    if (streamed !== undefined) return streamed;
    // Members opened as stream stubs (openInput) are loaded whole when not streaming.
    const whole: Record<string, JwstModel[]> = {};
    for (const [k, ms] of Object.entries(byType)) whole[k] = await Promise.all(ms.map(materialize));
    return processProduct(ctx, whole.science![0]!, whole);
  },
});
