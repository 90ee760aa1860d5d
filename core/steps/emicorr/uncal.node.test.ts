/**
 * EMI injected into a real MIRI SLITLESSPRISM FASTR1 uncal (the first 2 of
 * its 4 ints x 15 groups x 416 x 72, from the detector1 golden case): the
 * step must remove the injected 390.625 Hz signal from real ramps (sources,
 * noise, uint16) and leave the uncal itself nearly unchanged.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testContext } from '../../../test/detector1/context.ts';
import { HAVE_SHARED, sharedPath } from '../../../test/shared.ts';
import { loadModel } from '../../stpipe/model-io.node.ts';
import { writeAsdfFile } from '../../asdf/index.node.ts';
import { ndarray } from '../../ndarray/index.ts';
import { cloneModel, type JwstModel } from '../../stpipe/model.ts';
import type { Params, StepContext } from '../../stpipe/types.ts';
import { step } from './index.node.ts';
import { emiAmplitude } from './synthetic.ts';
import { basePhase, periodTicks, phaseSteps, samplePhase, type Readout } from './timing.ts';
import { waveAt } from './stats.ts';

const UNCAL = 'golden/detector1_miri/p01_slitlessprism_tso/jw09002001011_03102_00001_mirimage_uncal.fits';
const F = 390.625;
const M = 500;
const WAVE = Float64Array.from({ length: M }, (_, j) => { const p = (j + 0.5) / M; return Math.sin(2 * Math.PI * p) + 0.25 * Math.cos(6 * Math.PI * p); });
// SLITLESSPRISM timing (rowclocks 28, frameclocks 15904); the uncal has no NSAMPLES: FAST = 1 sample.
const R: Readout = { nints: 2, ngroups: 15, ny: 416, nx: 72, nsamples: 1, rowclocks: 28, resetclocks: 15904 };
let dir = '';
let refFile = '';

const ctxFor = (refs: Record<string, string>, params: Params): StepContext => testContext(step.spec, refs, params, [], dir);

/** The uncal as float32 plus `amp` DN of EMI at phase offset `phi`. */
function inject(m: JwstModel, amp: number, phi: number): { model: JwstModel; orig: Float32Array } {
  const src = m.arrays['data'].data;
  const orig = Float32Array.from((src as Uint16Array).subarray(0, R.nints * R.ngroups * R.ny * R.nx), Number);
  const out = new Float32Array(orig);
  const period = periodTicks(F);
  const p0 = basePhase(R, period);
  const st = phaseSteps(R, period);
  const npix = R.ny * R.nx;
  for (let i = 0; i < R.nints; i++) for (let g = 0; g < R.ngroups; g++) for (let p = 0; p < npix; p++) {
    const ph = samplePhase(p0[Math.floor(p / R.nx) * (R.nx >> 2) + ((p % R.nx) >> 2)], i, g, st);
    out[(i * R.ngroups + g) * npix + p] += amp * waveAt(WAVE, ph + phi);
  }
  const model = cloneModel(m);
  model.arrays['data'] = ndarray(out, [R.nints, R.ngroups, R.ny, R.nx]);
  return { model, orig };
}

describe.skipIf(!HAVE_SHARED)('EmiCorrStep on a real SLITLESSPRISM uncal with injected EMI', () => {
  let uncal: JwstModel;
  beforeAll(async () => {
    uncal = await loadModel(sharedPath(UNCAL));
    dir = await mkdtemp(path.join(tmpdir(), 'emicorr-uncal-'));
    refFile = path.join(dir, 'emicorr.asdf');
    await writeAsdfFile(refFile, {
      frequencies: { Hz390: { frequency: F, phase_amplitudes: ndarray(Float32Array.from(WAVE), [M]) } },
      subarray_cases: { SLITLESSPRISM: { rowclocks: 28, frameclocks: 15904, freqs: { FAST: ['Hz390'], SLOW: { MIRIMAGE: ['Hz390'] } } } },
    });
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('joint (default) removes > 90 % of a 3 DN injected signal', async () => {
    const { model, orig } = inject(uncal, 3, 0.21);
    const out = await step.run(model, ctxFor({ emicorr: refFile }, {}));
    const d = out.arrays['data'].data as Float32Array;
    const before = emiAmplitude((model.arrays['data'].data as Float32Array).map((v, q) => v - orig[q]), R, F);
    const after = emiAmplitude(d.map((v, q) => v - orig[q]), R, F);
    expect(before).toBeCloseTo(3, 1);
    expect(after / before).toBeLessThan(0.1); // measured 0.012
  });

  it('the uncal without injected EMI changes by < 0.1 DN rms (joint)', async () => {
    const { model, orig } = inject(uncal, 0, 0);
    const d = (await step.run(model, ctxFor({ emicorr: refFile }, {}))).arrays['data'].data as Float32Array;
    let s2 = 0;
    for (let q = 0; q < d.length; q++) s2 += (d[q] - orig[q]) ** 2;
    expect(Math.sqrt(s2 / d.length)).toBeLessThan(0.1); // measured 0.034
  });

  it('sequential on-the-fly at 390.625 Hz removes most of it', async () => {
    // The documented crude per-pixel line fit (groups 1..n-2) absorbs part of the EMI when the
    // phase advances only 1/8 cycle per group (SLITLESSPRISM, 15904 ticks per frame), so the
    // measured phased wave is ~9 % low: about 91 % is removed (the joint fit removes ~99 %).
    const { model, orig } = inject(uncal, 3, 0.64);
    const out = await step.run(model, ctxFor({}, { onthefly_corr_freq: [F], use_n_cycles: null }));
    const d = out.arrays['data'].data as Float32Array;
    const after = emiAmplitude(d.map((v, q) => v - orig[q]), R, F);
    expect(after / 3).toBeLessThan(0.15); // measured 0.095
  });
});
