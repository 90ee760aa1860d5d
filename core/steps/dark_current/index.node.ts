/** DarkCurrentStep: subtract the DARK reference (MIRI: integration-dependent darks). */
import { defineStep } from '../../stpipe/types.ts';
import { param } from '../../stpipe/param.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { extractWindow, readRefFile, refDq, refDqDef, referencePathOrNA, refFloat, refWindow, scienceWindow, translateDq, type RefFile } from '../reffiles/index.node.ts';
import { intSize, metaNum, rampOf, rampOutput, skippedOutput } from '../reffiles/ramp.ts';
import { darkForScience, darkMismatch, subtractInt, type DarkLayout } from './dark_current.ts';

export const step = defineStep<JwstModel, JwstModel>({
  name: 'dark_current',
  className: 'DarkCurrentStep',
  spec: {
    dark_output: param.string(null, 'Dark model or averaged dark subtracted'),
    average_dark_current: param.float(null, 'The average dark current for this detector in units of e-/sec.'),
  },
  referenceTypes: ['dark'],
  summary: 'Subtract the dark current reference, matched to the science readout pattern',
  async run(input, ctx) {
    const path = await referencePathOrNA(ctx, 'dark');
    if (path === undefined) {
      ctx.log.warning('No DARK reference file found');
      ctx.log.warning('Dark current step will be skipped');
      return skippedOutput(input, 'dark_sub');
    }
    if (ctx.params['dark_output'] != null) {
      throw new StepError('not-implemented', 'dark_current: saving the dark used (dark_output) is not implemented', { parameter: 'dark_output' });
    }
    ctx.log.info(`Using DARK reference file ${path}`);
    const r = rampOf(input, 'dark_current');
    const ref = await readRefFile(path);
    const sci = scienceWindow(input.meta, r.ny, r.nx);
    let dk = refFloat(ref, 'SCI');
    if (dk.shape.length === 3) dk = { ...dk, shape: [1, ...dk.shape] };
    if (dk.shape.length !== 4) throw new StepError('ref-shape', `DARK SCI must be 3-D or 4-D, got [${dk.shape.join(', ')}]`, { file: path, extname: 'SCI' });
    dk = extractWindow(dk, refWindow(ref, dk), sci, `DARK ${path}`);
    const layout: DarkLayout = { nints: dk.shape[0], ngroups: dk.shape[1], nframes: ref.primary.getInt('NFRAMES') ?? 1, groupgap: ref.primary.getInt('GROUPGAP') ?? 0 };
    const nframes = metaNum(input, 'exposure.nframes', 1);
    const gap = metaNum(input, 'exposure.groupgap', 0);
    ctx.log.info(`Science data nints=${r.nints}, ngroups=${r.ngroups}, nframes=${nframes}, groupgap=${gap}`);
    ctx.log.info(`Dark data nints=${layout.nints}, ngroups=${layout.ngroups}, nframes=${layout.nframes}, groupgap=${layout.groupgap}`);
    const bad = darkMismatch(r.ngroups, nframes, gap, layout);
    if (bad) {
      ctx.log.warning(bad);
      ctx.log.warning('Input will be returned without subtracting dark current.');
      return skippedOutput(input, 'dark_sub');
    }
    const npix = r.ny * r.nx;
    const data = new Float32Array(r.data);
    const n = intSize(r);
    const cache = new Map<number, Float32Array>();
    for (let i = 0; i < r.nints; i++) {
      ctx.signal.throwIfAborted();
      const di = Math.min(i, layout.nints - 1);
      let d = cache.get(di);
      if (!d) { d = darkForScience(dk.data, layout, di, npix, r.ngroups, nframes, gap); cache.set(di, d); }
      subtractInt(data.subarray(i * n, (i + 1) * n), d);
      ctx.progress(i + 1, r.nints, 'integrations');
    }
    const out = rampOutput(input, r, { data, pixeldq: orDarkDq(ref, r.pixeldq, sci, path) });
    out.arrays['average_dark_current'] = ndarray(averageDark(ref, ctx.params['average_dark_current'], npix, sci, path), [r.ny, r.nx]);
    return out;
  },
});

/** PIXELDQ OR the dark DQ (MIRI: the OR over the per-integration DQ planes). */
function orDarkDq(ref: RefFile, pixeldq: Uint32Array, sci: ReturnType<typeof scienceWindow>, path: string): Uint32Array {
  const dq0 = refDq(ref);
  const out = new Uint32Array(pixeldq);
  if (!dq0) return out;
  const dq = translateDq(extractWindow(dq0, refWindow(ref, dq0), sci, `DARK ${path} DQ`).data, refDqDef(ref)).dq;
  const npix = out.length;
  for (let k = 0; k < dq.length; k++) out[k % npix] = (out[k % npix] | dq[k]) >>> 0;
  return out;
}

/** average_dark_current (e-/s): the parameter, else a non-zero 2-D AVERAGE_DARK_CURRENT in the dark, else its AVDRKCUR keyword. */
function averageDark(ref: RefFile, userValue: unknown, npix: number, sci: ReturnType<typeof scienceWindow>, path: string): Float32Array {
  if (typeof userValue === 'number') return new Float32Array(npix).fill(userValue);
  const a = ref.images['AVERAGE_DARK_CURRENT'] ?? ref.images['AVDRKCUR'];
  if (a) {
    const w = extractWindow(refFloat(ref, a === ref.images['AVDRKCUR'] ? 'AVDRKCUR' : 'AVERAGE_DARK_CURRENT'), refWindow(ref, a), sci, `DARK ${path} average dark`);
    let s = 0;
    for (let i = 0; i < w.data.length; i++) s += w.data[i];
    if (s !== 0) return new Float32Array(w.data);
  }
  return new Float32Array(npix).fill(ref.primary.getNumber('AVDRKCUR') ?? 0);
}
