/**
 * calwebb_detector1 (Detector1Pipeline): uncal ramps -> _rate and _rateints.
 * Step order of jwst 3.0 (golden detector1_miri pipeline.log): MIRI and NIR
 * branches, then the common tail (charge_migration, jump, picture_frame,
 * clean_flicker_noise, persistence), ramp_fit, gain_scale on each product.
 */
import type { Meta } from '../datamodels/meta.ts';
import { STEPS } from '../steps/registry.node.ts';
import { definePipeline, param, type StepProduct } from '../stpipe/index.ts';
import { isModel, type JwstModel } from '../stpipe/model.ts';
import { asModel, entry, runChain, scienceMember } from './flow.ts';
import { detector1Applies, instrument } from './modes.ts';
import { materializeRamp, streamDetector1 } from './stream/detector1-index.node.ts';
import { openRampInput } from './stream/open.node.ts';

const when = (alias: string) => (meta: Meta) => detector1Applies(alias, meta);

/** jwst 3.0 step_defs order. */
const STEP_DEFS = [
  'group_scale', 'dq_init', 'emicorr', 'saturation', 'ipc', 'superbias', 'refpix', 'rscd', 'firstframe', 'lastframe',
  'linearity', 'dark_current', 'reset', 'persistence', 'charge_migration', 'jump', 'picture_frame',
  'clean_flicker_noise', 'ramp_fit', 'gain_scale',
] as const;

const MIRI_HEAD = ['group_scale', 'dq_init', 'emicorr', 'saturation', 'ipc', 'firstframe', 'lastframe', 'reset', 'linearity', 'rscd', 'dark_current', 'refpix'];
const NIR_HEAD = ['group_scale', 'dq_init', 'saturation', 'ipc', 'superbias', 'refpix', 'linearity', 'dark_current'];
const TAIL = ['charge_migration', 'jump', 'picture_frame', 'clean_flicker_noise', 'persistence'];

/** Steps run before ramp fitting, in execution order, for this exposure's instrument. */
export function detector1RampSteps(meta: Meta): string[] {
  return [...(instrument(meta) === 'MIRI' ? MIRI_HEAD : NIR_HEAD), ...TAIL];
}

/** Full execution order for this exposure. */
export function detector1Order(meta: Meta): string[] {
  return [...detector1RampSteps(meta), 'ramp_fit', 'gain_scale'];
}

function splitRampFit(fit: StepProduct): [JwstModel, JwstModel | null] {
  if (Array.isArray(fit)) return [asModel(fit[0] ?? null, 'ramp_fit'), fit[1] && isModel(fit[1]) ? fit[1] : null];
  return [asModel(fit as StepProduct, 'ramp_fit'), null];
}

export const detector1 = definePipeline({
  name: 'calwebb_detector1',
  className: 'Detector1Pipeline',
  openInput: openRampInput,
  summary: 'Detector-level corrections and ramp fitting: uncal -> rate, rateints',
  spec: {
    save_calibrated_ramp: param.bool(false, 'Save calibrated ramp file'),
  },
  steps: STEP_DEFS.map((a) => entry(STEPS, a, when(a))),
  products: ['ramp', 'rateints', 'rate'],
  async run(input, ctx) {
    const stub = scienceMember(input, 'calwebb_detector1');
    // SCI above WEBBDESK_CHUNK_BYTES: by row blocks when every step that runs is row-local (stream/detector1.node.ts).
    const streamed = await streamDetector1(ctx, detector1, stub, detector1RampSteps(stub.meta));
    if (streamed) return streamed;
    const science = await materializeRamp(stub);
    const ramp = await runChain(ctx, detector1, detector1RampSteps(science.meta), science);
    if (ctx.params.save_calibrated_ramp === true) await ctx.save(ramp, 'ramp');
    const [rate, rateints] = splitRampFit(await ctx.runStep('ramp_fit', ramp));
    if (rateints) await ctx.save(asModel(await ctx.runStep('gain_scale', rateints), 'gain_scale'), 'rateints');
    const out = asModel(await ctx.runStep('gain_scale', rate), 'gain_scale');
    await ctx.save(out, 'rate');
    return out;
  },
});
