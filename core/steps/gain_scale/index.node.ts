/** GainScaleStep: rescale count-rate products by the GAINFACT of the GAIN reference. */
import { defineStep } from '../../stpipe/types.ts';
import { cloneModel, type JwstModel } from '../../stpipe/model.ts';
import { setMeta } from '../../datamodels/meta.ts';
import { readRefFile, referencePathOrNA } from '../reffiles/index.node.ts';
import { metaNum, skippedOutput } from '../reffiles/ramp.ts';
import { gainScaleArrays } from './gain_scale.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'gain_scale',
  className: 'GainScaleStep',
  spec: {},
  referenceTypes: ['gain'],
  summary: 'Rescale count rates by the gain factor GAINFACT (non-standard gain settings)',
  async run(input, ctx) {
    let f = metaNum(input, 'exposure.gain_factor', NaN);
    if (Number.isNaN(f)) {
      const path = await referencePathOrNA(ctx, 'gain');
      if (path === undefined) {
        ctx.log.warning('No GAIN reference file found');
        ctx.log.warning('Step will be skipped');
        return skippedOutput(input, 'gain_scale');
      }
      ctx.log.info(`Using GAIN reference file: ${path}`);
      const ref = await readRefFile(path);
      const g = ref.primary.getNumber('GAINFACT');
      if (g === undefined) {
        ctx.log.info('GAINFACT not found in gain reference file');
        ctx.log.info('Step will be skipped');
        return skippedOutput(input, 'gain_scale');
      }
      f = g;
    }
    ctx.log.info(`Rescaling by gain factor ${f}`);
    const out = cloneModel(input);
    out.arrays = gainScaleArrays(input.arrays, f);
    if (out.parts) out.parts = out.parts.map((p) => ({ ...p, arrays: gainScaleArrays(p.arrays, f) }));
    setMeta(out.meta, 'exposure.gain_factor', f);
    return out;
  },
});
