/** IPCStep: interpixel-capacitance correction by convolution with the IPC reference kernel. */
import { defineStep } from '../../stpipe/types.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { extractWindow, readRefFile, referencePathOrNA, refFloat, refWindow, scienceWindow } from '../reffiles/index.node.ts';
import { metaStr, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { ipcConvolveFrame, refBorders } from './ipc.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'ipc',
  className: 'IPCStep',
  spec: {},
  referenceTypes: ['ipc'],
  summary: 'Correct interpixel capacitance by convolving each group with the IPC kernel',
  supports(input) {
    if (metaStr(input, 'exposure.readpatt').includes('IRS2')) return 'ipc for NIRSpec IRS2 readouts is not implemented';
    return undefined;
  },
  async run(input, ctx) {
    const path = await referencePathOrNA(ctx, 'ipc');
    if (path === undefined) {
      ctx.log.warning('No IPC reference file found');
      ctx.log.warning('IPC step will be skipped');
      return skippedOutput(input, 'ipc');
    }
    ctx.log.info(`Using IPC reference file ${path}`);
    const ref = await readRefFile(path);
    const r = rampOf(input, 'ipc');
    const sci = scienceWindow(input.meta, r.ny, r.nx);
    let k = refFloat(ref, 'SCI');
    const perPixel = k.shape.length === 4;
    if (perPixel) k = extractWindow(k, refWindow(ref, k), sci, `IPC ${path}`);
    else if (k.shape.length !== 2) throw new StepError('ref-shape', `IPC kernel must be 2-D or 4-D, got shape [${k.shape.join(', ')}]`, { file: path, extname: 'SCI' });
    const [ky, kx] = k.shape;
    const miri = metaStr(input, 'instrument.name') === 'MIRI' || metaStr(input, 'instrument.detector').startsWith('MIR');
    const nref = refBorders(miri, sci.xstart, sci.xsize, sci.ystart, sci.ysize);
    const out = new Float32Array(r.data.length);
    const npix = r.ny * r.nx;
    for (let i = 0; i < r.nints; i++) {
      ctx.signal.throwIfAborted();
      for (let g = 0; g < r.ngroups; g++) {
        const o = (i * r.ngroups + g) * npix;
        ipcConvolveFrame(r.data.subarray(o, o + npix), out.subarray(o, o + npix), r.ny, r.nx, k.data, ky, kx, nref, perPixel);
      }
      ctx.progress(i + 1, r.nints, 'integrations');
    }
    return rampOutput(input, r, { data: out });
  },
});
