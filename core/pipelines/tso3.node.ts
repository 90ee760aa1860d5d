/**
 * calwebb_tso3 (Tso3Pipeline): the _calints members of a level-3 TSO
 * association -> per member outlier_detection (_crfints), then for spectra
 * extract_1d per member, the segments combined in time order (_x1dints) and
 * the white-light curve (_whtlt.ecsv); for imaging, tso_photometry (_phot.ecsv).
 * Order of jwst 3.0 (golden lrs_spec2_tso3 pipeline.log).
 */
import type { Meta } from '../datamodels/meta.ts';
import { StepError } from '../errors/index.ts';
import { STEPS } from '../steps/registry.node.ts';
import { definePipeline, type PipelineContext, type StepProduct } from '../stpipe/index.ts';
import type { JwstModel } from '../stpipe/model.ts';
import { memberSaveName } from '../stpipe/naming.ts';
import { membersByType, untagMember } from '../associations/members.ts';
import { asModel, entry, runChain } from './flow.ts';
import { expType, isTsoImaging } from './modes.ts';
import { combineSegments } from './segments.ts';
import { materialize, streamTso3 } from './stream/index.node.ts';
import { openCubeInput } from './stream/open.node.ts';

const SPECTRAL = (m: Meta) => !isTsoImaging(m);
const WHEN: Readonly<Record<string, (m: Meta) => boolean>> = {
  tso_photometry: isTsoImaging,
  adaptive_trace_model: SPECTRAL,
  pixel_replace: SPECTRAL,
  extract_1d: SPECTRAL,
  photom: (m) => expType(m) === 'NIS_SOSS',
  white_light: SPECTRAL,
};

/** jwst 3.0 step_defs order. */
const STEP_DEFS = ['outlier_detection', 'tso_photometry', 'adaptive_trace_model', 'pixel_replace', 'extract_1d', 'photom', 'white_light'];

/** Execution order for an exposure of this kind. */
export function tso3Order(meta: Meta): string[] {
  if (isTsoImaging(meta)) return ['outlier_detection', 'tso_photometry'];
  const x1d = expType(meta) === 'NIS_SOSS' ? ['extract_1d', 'photom'] : ['extract_1d'];
  return ['outlier_detection', 'adaptive_trace_model', 'pixel_replace', ...x1d, 'white_light'];
}

async function cleanMembers(ctx: PipelineContext, members: readonly JwstModel[]): Promise<JwstModel[]> {
  const out: JwstModel[] = [];
  for (const [i, m] of members.entries()) {
    ctx.progress(i, members.length, 'members');
    const crf = untagMember(asModel(await ctx.runStep('outlier_detection', m), 'outlier_detection'));
    const n = memberSaveName(m, 'crfints');
    await ctx.save(crf, n.suffix, { base: n.base });
    out.push(crf);
  }
  return out;
}

async function photometry(ctx: PipelineContext, members: readonly JwstModel[]): Promise<StepProduct> {
  if (members.length !== 1) throw new StepError('not-implemented', 'calwebb_tso3: combining the photometry of several imaging segments is not implemented in WebbDesk yet');
  const phot = await ctx.runStep('tso_photometry', members[0]!);
  await ctx.save(phot, 'phot');
  return phot;
}

export const tso3 = definePipeline({
  name: 'calwebb_tso3',
  className: 'Tso3Pipeline',
  openInput: openCubeInput,
  summary: 'Time-series stage 3: calints members -> crfints, x1dints, whtlt (spectra) or phot (imaging)',
  spec: {},
  steps: STEP_DEFS.map((a) => entry(STEPS, a, WHEN[a])),
  products: ['crfints', 'x1dints', 'whtlt', 'phot'],
  async run(input, ctx) {
    const members = membersByType(input).science ?? [];
    if (members.length === 0) throw new StepError('no-science', 'calwebb_tso3: the association has no science members');
    const streamed = await streamTso3(ctx, input);
    if (streamed !== undefined) return streamed;
    const cleaned = await cleanMembers(ctx, await Promise.all(members.map(materialize)));
    if (isTsoImaging(members[0]!.meta)) return photometry(ctx, cleaned);
    const x1ds: JwstModel[] = [];
    for (const m of cleaned) {
      const prepared = await runChain(ctx, tso3, ['adaptive_trace_model', 'pixel_replace'], m);
      let x1d = asModel(await ctx.runStep('extract_1d', prepared), 'extract_1d');
      if (expType(m.meta) === 'NIS_SOSS') x1d = asModel(await ctx.runStep('photom', x1d), 'photom');
      x1ds.push(x1d);
    }
    const combined = combineSegments(x1ds);
    await ctx.save(combined, 'x1dints');
    await ctx.save(await ctx.runStep('white_light', combined), 'whtlt');
    return combined;
  },
});
