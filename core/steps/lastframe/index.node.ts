/** LastFrameStep: flag the final group of MIRI ramps DO_NOT_USE. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { flagLastFrame } from './lastframe.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'lastframe',
  className: 'LastFrameStep',
  spec: {},
  referenceTypes: [],
  summary: 'MIRI: flag the final group of each integration DO_NOT_USE (when ngroups > 2)',
  async run(input, ctx) {
    if (!metaStr(input, 'instrument.detector').startsWith('MIR')) {
      ctx.log.warning('Last Frame Correction is only for MIRI data');
      ctx.log.warning('Last frame step will be skipped');
      return skippedOutput(input, 'lastframe');
    }
    const r = rampOf(input, 'lastframe');
    if (r.ngroups <= 2) {
      ctx.log.warning('Too few groups to apply correction');
      ctx.log.warning('Step will be skipped');
      return skippedOutput(input, 'lastframe');
    }
    const gdq = new Uint8Array(r.groupdq);
    flagLastFrame(gdq, r.nints, r.ngroups, r.ny * r.nx);
    return rampOutput(input, r, { groupdq: gdq });
  },
});
