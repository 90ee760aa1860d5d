/** FirstFrameStep: flag the first group of MIRI ramps DO_NOT_USE. */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { flagFirstFrame } from './firstframe.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'firstframe',
  className: 'FirstFrameStep',
  spec: {
    bright_use_group1: param.bool(true, 'do not flag group1 if group3 is saturated'),
  },
  referenceTypes: [],
  // jwst 3.0: FirstFrameStep's spec has skip = boolean(default=True).
  skipByDefault: true,
  summary: 'MIRI: flag the first group of each integration DO_NOT_USE (when ngroups > 3)',
  async run(input, ctx) {
    if (!metaStr(input, 'instrument.detector').startsWith('MIR')) {
      ctx.log.warning('First Frame Correction is only for MIRI data');
      ctx.log.warning('First frame step will be skipped');
      return skippedOutput(input, 'firstframe');
    }
    const r = rampOf(input, 'firstframe');
    if (r.ngroups <= 3) {
      ctx.log.warning('Too few groups to apply correction');
      ctx.log.warning('Step will be skipped');
      return skippedOutput(input, 'firstframe');
    }
    const gdq = new Uint8Array(r.groupdq);
    const pdq = new Uint32Array(r.pixeldq);
    const bright = ctx.params['bright_use_group1'] !== false;
    const good = flagFirstFrame(gdq, pdq, r.nints, r.ngroups, r.ny * r.nx, bright);
    if (bright) ctx.log.info(`Number of usable bright pixels with first group not set to DO_NOT_USE: ${good}`);
    return rampOutput(input, r, { groupdq: gdq, pixeldq: pdq });
  },
});
