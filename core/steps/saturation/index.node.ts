/** SaturationStep: flag saturated (and A/D floor) groups from the SATURATION reference. */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { DQ } from '../../datamodels/dq.ts';
import { extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refFloat, refWindow, scienceWindow, translateDq } from '../reffiles/index.node.ts';
import { intSize, metaNum, metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { flagSaturationInt, prepareThresholds } from './saturation.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'saturation',
  className: 'SaturationStep',
  spec: {
    n_pix_grow_sat: param.int(1, 'number of layers adjacent pixels to flag', { min: 0 }),
    use_readpatt: param.bool(true, 'Use grouped read pattern information to assist with flagging'),
  },
  referenceTypes: ['saturation', 'superbias'],
  summary: 'Flag groups at or above the saturation level (and at the A/D floor)',
  supports(input) {
    if (metaStr(input, 'exposure.readpatt').includes('IRS2')) return 'saturation for NIRSpec IRS2 readouts is not implemented';
    return undefined;
  },
  async run(input, ctx) {
    const path = await referencePathOrNA(ctx, 'saturation');
    if (path === undefined) {
      ctx.log.warning('No SATURATION reference file found');
      ctx.log.warning('Saturation step will be skipped');
      return skippedOutput(input, 'saturation');
    }
    ctx.log.info(`Using SATURATION reference file ${path}`);
    // jwst 3.0 always asks for SUPERBIAS too (recorded as R_SUPERB, N/A for MIRI); bias-adjusted levels are not built.
    if ((await ctx.reference('superbias')).kind === 'file') {
      throw new StepError('not-implemented', 'saturation: bias-adjusted thresholds (a SUPERBIAS reference) are not implemented; use --override_superbias=N/A', { parameter: 'override_superbias' });
    }
    const nframes = metaNum(input, 'exposure.nframes', 1);
    if (ctx.params['use_readpatt'] === true && nframes > 1) {
      throw new StepError('not-implemented', `saturation: the grouped-readout check (use_readpatt with NFRAMES=${nframes} > 1) is not implemented; run with --use_readpatt=False`, { parameter: 'use_readpatt' });
    }
    const r = rampOf(input, 'saturation');
    const ref = await readRefFile(path);
    const sci = scienceWindow(input.meta, r.ny, r.nx);
    const lvl = refFloat(ref, 'SCI');
    const level = extractWindow(lvl, refWindow(ref, lvl), sci, `SATURATION ${path}`);
    const dq0 = refDq(ref);
    const satDq = dq0 ? translateDq(extractWindow(dq0, refWindow(ref, dq0), sci, `SATURATION ${path} DQ`).data, refDqDef(ref)).dq : new Uint32Array(r.ny * r.nx);
    const { thresh, dq } = prepareThresholds(level.data, satDq);
    const nGrow = Number(ctx.params['n_pix_grow_sat'] ?? 1);
    const gdq = new Uint8Array(r.groupdq);
    const n = intSize(r);
    for (let i = 0; i < r.nints; i++) {
      ctx.signal.throwIfAborted();
      flagSaturationInt(r.data.subarray(i * n, (i + 1) * n), gdq.subarray(i * n, (i + 1) * n), thresh, r.ngroups, r.ny, r.nx, nGrow);
      ctx.progress(i + 1, r.nints, 'integrations');
    }
    logCounts(ctx.log, gdq, r.ny * r.nx);
    const pdq = new Uint32Array(r.pixeldq.length);
    for (let p = 0; p < pdq.length; p++) pdq[p] = (r.pixeldq[p] | dq[p]) >>> 0;
    return rampOutput(input, r, { groupdq: gdq, pixeldq: pdq });
  },
});

function logCounts(log: { info(m: string): void }, gdq: Uint8Array, npix: number): void {
  // OR of every group's flags per pixel (branch-free), then count pixels with each flag.
  const any = new Uint8Array(npix);
  for (let o = 0; o < gdq.length; o += npix) for (let p = 0; p < npix; p++) any[p] |= gdq[o + p];
  let sat = 0, low = 0;
  for (let p = 0; p < npix; p++) {
    if (any[p] & DQ.SATURATED) sat++;
    if (any[p] & DQ.AD_FLOOR) low++;
  }
  log.info(`Detected ${sat} saturated pixels`);
  log.info(`Detected ${low} A/D floor pixels`);
}
