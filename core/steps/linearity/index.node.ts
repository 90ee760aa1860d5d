/** LinearityStep: classic polynomial linearity correction from the LINEARITY reference. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refFloat, refWindow, scienceWindow, translateDq } from '../reffiles/index.node.ts';
import { intSize, metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { linearityInt, prepareCoeffs } from './linearity.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'linearity',
  className: 'LinearityStep',
  spec: {},
  referenceTypes: ['linearity'],
  summary: 'Correct group values for detector non-linearity with the per-pixel polynomial',
  supports(input) {
    if (metaStr(input, 'exposure.readpatt').includes('IRS2')) return 'linearity for NIRSpec IRS2 readouts is not implemented';
    if (input.arrays['zeroframe']) return 'linearity: correcting a ZEROFRAME array is not implemented';
    return undefined;
  },
  async run(input, ctx) {
    const path = await referencePathOrNA(ctx, 'linearity');
    if (path === undefined) {
      ctx.log.warning('No Linearity reference file found');
      ctx.log.warning('Linearity step will be skipped');
      return skippedOutput(input, 'linearity');
    }
    ctx.log.info(`Using Linearity reference file ${path}`);
    const r = rampOf(input, 'linearity');
    const ref = await readRefFile(path);
    const sci = scienceWindow(input.meta, r.ny, r.nx);
    const c0 = refFloat(ref, 'COEFFS');
    if (c0.shape.length !== 3) throw new StepError('ref-shape', `LINEARITY COEFFS must be (ncoeffs, ny, nx), got [${c0.shape.join(', ')}]`, { file: path, extname: 'COEFFS' });
    const c = extractWindow(c0, refWindow(ref, c0), sci, `LINEARITY ${path}`);
    const ncoeffs = c.shape[0];
    const npix = r.ny * r.nx;
    const dq0 = refDq(ref);
    const linDq = dq0 ? translateDq(extractWindow(dq0, refWindow(ref, dq0), sci, `LINEARITY ${path} DQ`).data, refDqDef(ref)).dq : new Uint32Array(npix);
    const { coeffs, dq } = prepareCoeffs(c.data, ncoeffs, npix, linDq);
    const data = new Float32Array(r.data);
    const n = intSize(r);
    for (let i = 0; i < r.nints; i++) {
      ctx.signal.throwIfAborted();
      linearityInt(data.subarray(i * n, (i + 1) * n), r.groupdq.subarray(i * n, (i + 1) * n), r.ngroups, npix, coeffs, ncoeffs);
      ctx.progress(i + 1, r.nints, 'integrations');
    }
    const pdq = new Uint32Array(npix);
    for (let p = 0; p < npix; p++) pdq[p] = (r.pixeldq[p] | dq[p]) >>> 0;
    return rampOutput(input, r, { data, pixeldq: pdq });
  },
});
