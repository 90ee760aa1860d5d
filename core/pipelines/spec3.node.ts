/**
 * calwebb_spec3 (Spec3Pipeline): level-3 spectroscopic association ->
 * _crf per member, _s2d, _x1d (and _s3d, _c1d for the declared modes).
 * Implemented path: one slit source, non-IFU (MIRI LRS fixed slit):
 * [master_background when background members] -> outlier_detection ->
 * resample_spec -> extract_1d. IFU, WFSS and multi-source modes reach
 * declared-only steps or fail with StepError 'not-implemented'.
 */
import { getMeta, type Meta } from '../datamodels/meta.ts';
import { StepError } from '../errors/index.ts';
import { STEPS } from '../steps/registry.node.ts';
import { definePipeline, type PipelineContext, type StepProduct } from '../stpipe/index.ts';
import { isModel, type JwstModel } from '../stpipe/model.ts';
import { membersByType, untagMember } from '../associations/members.ts';
import { asModel, entry, modeNotImplemented } from './flow.ts';
import { expType } from './modes.ts';

const IFU = new Set(['MIR_MRS', 'NRS_IFU']);
const SLIT = new Set(['MIR_LRS-FIXEDSLIT', 'NRS_FIXEDSLIT', 'NRS_MSASPEC']);
const isMoving = (m: Meta) => String(getMeta(m, 'target.type') ?? '').toUpperCase() === 'MOVING';

const WHEN: Readonly<Record<string, (m: Meta) => boolean>> = {
  assign_mtwcs: isMoving,
  resample_spec: (m) => SLIT.has(expType(m)),
  cube_build: (m) => IFU.has(expType(m)),
  photom: (m) => expType(m) === 'NIS_SOSS',
  combine_1d: (m) => !IFU.has(expType(m)),
  spectral_leak: (m) => expType(m) === 'MIR_MRS',
};

/** jwst step_defs order. */
const STEP_DEFS = ['assign_mtwcs', 'master_background', 'outlier_detection', 'pixel_replace', 'resample_spec', 'cube_build', 'extract_1d', 'photom', 'combine_1d', 'spectral_leak'];

function models(x: StepProduct, step: string): JwstModel[] {
  if (Array.isArray(x)) return x.filter(isModel);
  return [asModel(x as StepProduct, step)];
}

async function slitPath(ctx: PipelineContext, science: JwstModel[], backgrounds: JwstModel[]): Promise<StepProduct> {
  let sci = science;
  if (backgrounds.length > 0) sci = models(await ctx.runStep('master_background', [...sci, ...backgrounds]), 'master_background');
  const crf = models(await ctx.runStep('outlier_detection', sci), 'outlier_detection');
  for (const m of crf) await ctx.save(m, 'crf');
  const s2d = asModel(await ctx.runStep('resample_spec', crf), 'resample_spec');
  await ctx.save(s2d, 's2d');
  const x1d = await ctx.runStep('extract_1d', s2d);
  await ctx.save(x1d, 'x1d');
  return x1d;
}

export const spec3 = definePipeline({
  name: 'calwebb_spec3',
  className: 'Spec3Pipeline',
  summary: 'Spectroscopic stage 3: combine the cal exposures of an association -> crf, s2d/s3d, x1d, c1d',
  spec: {},
  steps: STEP_DEFS.map((a) => entry(STEPS, a, WHEN[a])),
  products: ['mbsub', 'crf', 's2d', 's3d', 'x1d', 'c1d'],
  async run(input, ctx) {
    const byType = membersByType(input);
    const science = (byType.science ?? []).map(untagMember);
    if (science.length === 0) throw new StepError('no-science', 'calwebb_spec3: the association has no science members');
    const meta = science[0]!.meta;
    const e = expType(meta);
    if (isMoving(meta)) science.splice(0, science.length, ...models(await ctx.runStep('assign_mtwcs', science), 'assign_mtwcs'));
    if (IFU.has(e)) throw modeNotImplemented('calwebb_spec3', `the IFU path (EXP_TYPE ${e}: cube_build, spectral_leak)`);
    if (e === 'MIR_LRS-FIXEDSLIT') return slitPath(ctx, science, (byType.background ?? []).map(untagMember));
    throw modeNotImplemented('calwebb_spec3', `EXP_TYPE ${e || '(none)'} (multi-source, WFSS and NIRSpec slit products)`);
  },
});
