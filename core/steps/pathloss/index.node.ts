/**
 * PathLossStep (pathloss): jwst 3.0's parameters and reference type. The
 * correction itself is not implemented yet; what is: jwst's rule that a
 * PATHLOSS reference of N/A skips the step ("No PATHLOSS reference file
 * found" / "Pathloss step will be skipped", cal_step.pathloss = SKIPPED),
 * which is how a MIRI LRS fixed-slit exposure passes through calwebb_spec2
 * when the context has no pathloss file. With a real reference the step
 * fails with StepError('not-implemented'). Source: jwst/pathloss/pathloss_step.py.
 */
import { setMeta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { cloneModel, defineStep, isModel, param, type JwstModel } from '../../stpipe/index.ts';

const USED_FOR = 'NIRSpec FS/MOS/IFU, MIRI LRS fixed slit and NIRISS SOSS in calwebb_spec2';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'pathloss',
  className: 'PathLossStep',
  summary: 'Correct slit losses for point and extended sources (skipped when the PATHLOSS reference is N/A; the correction is not implemented)',
  referenceTypes: ['pathloss'],
  spec: {
    inverse: param.bool(false, 'Invert the operation'),
    source_type: param.string(null, 'Process as specified source type'),
    user_slit_loc: param.float(null, 'User-provided correction to MIRI LRS source location'),
  },
  async run(input, ctx) {
    if (!isModel(input)) throw new StepError('not-implemented', 'pathloss on a list of models is not implemented');
    const ref = await ctx.reference('pathloss');
    if (ref.kind !== 'file') {
      ctx.log.warning('No PATHLOSS reference file found');
      ctx.log.warning('Pathloss step will be skipped');
      const out = cloneModel(input);
      setMeta(out.meta, 'cal_step.pathloss', 'SKIPPED');
      return out;
    }
    throw new StepError('not-implemented', `PathLossStep is not implemented in WebbDesk yet: it is used for ${USED_FOR}. `
      + 'Skip it (--steps.pathloss.skip=True) or use override_pathloss=N/A.', { file: ref.path, parameter: 'override_pathloss' });
  },
});
