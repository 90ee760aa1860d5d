/** ResetStep: MIRI reset-anomaly subtraction from the RESET reference. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refFloat, refWindow, scienceWindow, translateDq } from '../reffiles/index.node.ts';
import { intSize, metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { subtractResetInt } from './reset.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'reset',
  className: 'ResetStep',
  spec: {},
  referenceTypes: ['reset'],
  summary: 'MIRI: subtract the reset anomaly (RESET reference) from the first groups',
  async run(input, ctx) {
    if (metaStr(input, 'instrument.name') !== 'MIRI' && !metaStr(input, 'instrument.detector').startsWith('MIR')) {
      ctx.log.warning('Reset Correction is only for MIRI data');
      ctx.log.warning('Reset step will be skipped');
      return skippedOutput(input, 'reset');
    }
    const path = await referencePathOrNA(ctx, 'reset');
    if (path === undefined) {
      ctx.log.warning('No RESET reference file found');
      ctx.log.warning('Reset step will be skipped');
      return skippedOutput(input, 'reset');
    }
    ctx.log.info(`Using RESET reference file ${path}`);
    const r = rampOf(input, 'reset');
    const ref = await readRefFile(path);
    const sci = scienceWindow(input.meta, r.ny, r.nx);
    let rs = refFloat(ref, 'SCI');
    if (rs.shape.length === 3) rs = { ...rs, shape: [1, ...rs.shape] };
    if (rs.shape.length !== 4) throw new StepError('ref-shape', `RESET SCI must be (nints, ngroups, ny, nx), got [${rs.shape.join(', ')}]`, { file: path, extname: 'SCI' });
    rs = extractWindow(rs, refWindow(ref, rs), sci, `RESET ${path}`);
    const [refNints, refNgroups] = rs.shape;
    const data = new Float32Array(r.data);
    const n = intSize(r);
    for (let i = 0; i < r.nints; i++) {
      ctx.signal.throwIfAborted();
      subtractResetInt(data.subarray(i * n, (i + 1) * n), i, r.ngroups, r.ny * r.nx, rs.data, refNints, refNgroups);
      ctx.progress(i + 1, r.nints, 'integrations');
    }
    const dq0 = refDq(ref);
    let pdq = r.pixeldq;
    if (dq0) {
      const dq = translateDq(extractWindow(dq0, refWindow(ref, dq0), sci, `RESET ${path} DQ`).data, refDqDef(ref)).dq;
      pdq = new Uint32Array(r.pixeldq.length);
      for (let p = 0; p < pdq.length; p++) pdq[p] = (r.pixeldq[p] | dq[p % dq.length]) >>> 0;
    }
    return rampOutput(input, r, { data, pixeldq: pdq });
  },
});
