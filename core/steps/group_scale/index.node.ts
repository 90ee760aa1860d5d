/** GroupScaleStep: rescale groups when FRMDIVSR differs from NFRAMES. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { metaNum, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { groupScaleFactor, scaleArray } from './group_scale.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'group_scale',
  className: 'GroupScaleStep',
  spec: {},
  referenceTypes: [],
  summary: 'Rescale group data when the on-board frame divisor (FRMDIVSR) differs from NFRAMES',
  async run(input, ctx) {
    const nframes = metaNum(input, 'exposure.nframes', NaN);
    const div = metaNum(input, 'exposure.frame_divisor', NaN);
    const f = groupScaleFactor(Number.isNaN(nframes) ? undefined : nframes, Number.isNaN(div) ? undefined : div);
    if (f === undefined) {
      ctx.log.info('NFRAMES and FRMDIVSR are equal; correction not needed');
      ctx.log.info('Step will be skipped');
      return skippedOutput(input, 'group_scale');
    }
    ctx.log.info(`Rescaling all groups by ${f} (FRMDIVSR ${div} / NFRAMES ${nframes})`);
    const r = rampOf(input, 'group_scale');
    const out = rampOutput(input, r, { data: scaleArray(r.data, f) });
    const err = input.arrays['err'];
    if (err && err.data instanceof Float32Array) out.arrays['err'] = { ...err, data: scaleArray(err.data, f) };
    return out;
  },
});
