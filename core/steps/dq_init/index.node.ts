/** DQInitStep: initialize PIXELDQ from the MASK reference file. */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refWindow, scienceWindow, translateDq } from '../reffiles/index.node.ts';
import { metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { orPixelDq, propagateDoNotUse } from './dq_init.ts';

const GUIDER = ['FGS_ACQ1', 'FGS_ACQ2', 'FGS_FINEGUIDE', 'FGS_ID-IMAGE', 'FGS_ID-STACK', 'FGS_TRACK'];

export const step = defineStep<JwstModel, JwstModel>({
  name: 'dq_init',
  className: 'DQInitStep',
  spec: {
    user_supplied_dq: param.string(null, 'FITS user-supplied DQ file'),
  },
  referenceTypes: ['mask'],
  summary: 'Initialize the pixel DQ array from the MASK reference file',
  supports(input) {
    if (GUIDER.includes(metaStr(input, 'exposure.type'))) return 'dq_init for FGS guider (GuiderRawModel) exposures is not implemented';
    return undefined;
  },
  async run(input, ctx) {
    if (ctx.params['user_supplied_dq'] != null) {
      throw new StepError('not-implemented', 'dq_init: user_supplied_dq is not implemented; use override_mask', { parameter: 'user_supplied_dq' });
    }
    const path = await referencePathOrNA(ctx, 'mask');
    if (path === undefined) {
      ctx.log.warning('No MASK reference file found');
      ctx.log.warning('DQ initialization step will be skipped');
      return skippedOutput(input, 'dq_init');
    }
    ctx.log.info(`Using MASK reference file ${path}`);
    const ref = await readRefFile(path);
    const dq = refDq(ref);
    if (!dq) throw new StepError('ref-missing-ext', 'MASK reference file has no DQ extension', { file: path, extname: 'DQ' });
    const r = rampOf(input, 'dq_init');
    const win = extractWindow(dq, refWindow(ref, dq), scienceWindow(input.meta, r.ny, r.nx), `MASK ${path}`);
    const { dq: mask, unknown } = translateDq(win.data, refDqDef(ref));
    if (unknown.length) ctx.log.warning(`MASK DQ_DEF names not standard flags, ignored: ${unknown.join(', ')}`);
    return rampOutput(input, r, { pixeldq: orPixelDq(r.pixeldq, mask), groupdq: propagateDoNotUse(r.groupdq, mask) });
  },
});
