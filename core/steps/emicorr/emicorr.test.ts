import { describe, it, expect } from 'vitest';
import { applyEmiCorrection, planCorrection, readoutFor, type EmiParams, type EmiExposure } from './emicorr.ts';
import { emiAmplitude, syntheticRamp } from './synthetic.ts';
import { frameTicks, periodTicks, phaseSteps, SUBARRAY_CLOCKS, type Readout } from './timing.ts';
import { waveAt } from './stats.ts';
import type { EmiReference } from './reference.ts';

const F390 = 390.625; // Hz: 256 pixel-clock ticks
const M = 500;
/** Reference waveform: fundamental (unit amplitude) plus a second harmonic. */
const WAVE = Float64Array.from({ length: M }, (_, j) => {
  const ph = (j + 0.5) / M;
  return Math.sin(2 * Math.PI * ph) + 0.3 * Math.sin(4 * Math.PI * ph + 1);
});

// SUB64 FASTR1: 64x64, rowclocks 28, frameclocks 8512 (jwst subarray table)
const EXP: EmiExposure = { subarray: 'SUB64', readpatt: 'FASTR1', detector: 'MIRIMAGE', nsamples: 1, xstart: 1, xsize: 64 };
const REF: EmiReference = {
  frequencies: { Hz390: { frequency: F390, phaseAmplitudes: WAVE } },
  subarrayCases: { SUB64: { rowclocks: 28, frameclocks: 8512, freqs: { FAST: ['Hz390'], SLOW: { MIRIMAGE: ['Hz390'] } } } },
};
const PARAMS: EmiParams = { algorithm: 'joint', nintsToPhase: null, nbins: null, scaleReference: true, ontheflyCorrFreq: null, useNCycles: 3, fitIntsSeparately: false };
const SHAPE = [3, 12, 64, 64];

function run(params: EmiParams, amp: number, ref: EmiReference | undefined = REF) {
  const res = planCorrection(ref, EXP, SHAPE[1], params);
  if (!('plan' in res)) throw new Error(res.skip);
  const r = readoutFor(res.plan, EXP, SHAPE);
  const syn = syntheticRamp(r, { seed: 7, noise: 2, freqHz: F390, amp, phi: 0.37, wave: WAVE });
  const data = new Float32Array(syn.withEmi);
  const before = new Float32Array(syn.withEmi);
  const reports = applyEmiCorrection(data, new Uint32Array(64 * 64), r, res.plan, params);
  const resid = (a: Float32Array) => a.map((v, q) => v - syn.clean[q]);
  return { r, before, data, syn, reports, ampBefore: emiAmplitude(resid(before), r, F390), ampAfter: emiAmplitude(resid(data), r, F390) };
}

describe('readout timing', () => {
  it('SUB64 frame time equals the documented frameclocks; phase steps at 390.625 Hz', () => {
    const r: Readout = { nints: 2, ngroups: 5, ny: 64, nx: 64, nsamples: 1, rowclocks: 28, resetclocks: 8512 };
    expect(frameTicks(r)).toBe(SUBARRAY_CLOCKS['SUB64'].frameclocks); // 64*28 + 960*7 = 8512
    expect(periodTicks(F390)).toBeCloseTo(256, 9);
    const s = phaseSteps(r, 256);
    expect(s.group).toBeCloseTo(0.25, 12); // 8512/256 = 33.25
    expect(s.int).toBeCloseTo((5 * 8512 + 8512) / 256 % 1, 12);
  });
  it('Catmull-Rom waveform interpolation reproduces the samples and a smooth sine', () => {
    expect(waveAt(WAVE, 0.5 / M)).toBeCloseTo(WAVE[0], 12);
    const ph = 0.1234;
    expect(waveAt(WAVE, ph)).toBeCloseTo(Math.sin(2 * Math.PI * ph) + 0.3 * Math.sin(4 * Math.PI * ph + 1), 4);
  });
});

describe('EMI removal on a synthetic SUB64 FASTR1 ramp (3 ints x 12 groups, 5 DN EMI at 390.625 Hz, 2 DN noise)', () => {
  it('joint: residual EMI amplitude drops by > 90 %', () => {
    const t = run(PARAMS, 5);
    expect(t.ampBefore).toBeGreaterThan(4.9);
    expect(t.ampBefore).toBeLessThan(5.1);
    expect(t.ampAfter / t.ampBefore).toBeLessThan(0.01); // measured 0.0015
    expect(t.reports[0].amplitudes![0]).toBeCloseTo(5, 1); // measured 5.005
  });
  it('joint, fit_ints_separately: per-integration amplitudes near 5 DN and > 90 % removed', () => {
    const t = run({ ...PARAMS, fitIntsSeparately: true }, 5);
    for (const a of t.reports[0].amplitudes!) expect(Math.abs(a - 5)).toBeLessThan(0.1); // measured 5.021, 4.967, 5.026
    expect(t.ampAfter / t.ampBefore).toBeLessThan(0.01); // measured 0.0015
  });
  it('sequential with the reference waveform (aligned and scaled): > 90 % removed', () => {
    const t = run({ ...PARAMS, algorithm: 'sequential' }, 5);
    expect(t.ampAfter / t.ampBefore).toBeLessThan(0.05); // measured 0.013
  });
  it('sequential on-the-fly (measured phased wave, all integrations): > 90 % removed', () => {
    const t = run({ ...PARAMS, algorithm: 'sequential', ontheflyCorrFreq: [F390], useNCycles: null }, 5, undefined);
    expect(t.reports[0].name).toBe('390.625');
    expect(t.reports[0].pa!.length).toBe(128); // nbins default = period/2
    expect(t.ampAfter / t.ampBefore).toBeLessThan(0.05); // measured 0.0084
  });
  it('a pure linear ramp without EMI is left unchanged within noise (both algorithms)', () => {
    for (const algorithm of ['joint', 'sequential'] as const) {
      const t = run({ ...PARAMS, algorithm }, 0);
      let maxd = 0;
      for (let q = 0; q < t.data.length; q++) maxd = Math.max(maxd, Math.abs(t.data[q] - t.before[q]));
      expect(maxd, algorithm).toBeLessThan(0.1); // noise sigma is 2 DN; measured 0.014 joint, 0.025 sequential
    }
  });
});

describe('planning', () => {
  it('skips fewer than 3 groups, unmatched configurations; joint without a reference becomes sequential', () => {
    expect(planCorrection(REF, EXP, 2, PARAMS)).toEqual({ skip: 'EMI correction cannot be performed for ngroups=2' });
    expect(planCorrection(REF, { ...EXP, subarray: 'SUB128' }, 10, PARAMS)).toEqual({ skip: 'No correction match for this configuration' });
    const otf = planCorrection(REF, EXP, 10, { ...PARAMS, ontheflyCorrFreq: [10] });
    expect('plan' in otf && otf.plan.algorithm).toBe('sequential');
    expect('plan' in otf && otf.plan.freqs[0]).toEqual({ name: '10.0', frequency: 10 });
    expect('plan' in otf && otf.plan.rowclocks).toBe(28);
  });
});
