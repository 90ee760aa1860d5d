import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeAsdfFile, readAsdfFile } from '../../asdf/index.node.ts';
import { ndarray } from '../../ndarray/index.ts';
import { getMeta } from '../../datamodels/meta.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import type { Params, StepContext } from '../../stpipe/types.ts';
import { testContext } from '../../../test/detector1/context.ts';
import { readEmiReference, step } from './index.node.ts';
import { parseEmiReference, selectFrequencies } from './reference.ts';
import { emiAmplitude, syntheticRamp } from './synthetic.ts';
import type { Readout } from './timing.ts';

const F390 = 390.625;
const M = 500;
const WAVE = Float64Array.from({ length: M }, (_, j) => Math.sin(2 * Math.PI * (j + 0.5) / M));
let dir = '';
let refFile = '';

/** An EMICORR file in the real layout (jwst docs, "EMICORR Reference File Format"). */
function emiTree(): Record<string, unknown> {
  return {
    meta: { reftype: 'EMICORR', instrument: { name: 'MIRI' }, author: 'test', pedigree: 'GROUND', useafter: '2022-01-01T00:00:00', description: 'synthetic EMICORR' },
    frequencies: {
      Hz390: { frequency: F390, phase_amplitudes: ndarray(Float32Array.from(WAVE), [M]) },
      Hz10: { frequency: 10.039216, phase_amplitudes: ndarray(new Float32Array(250).fill(0.5), [250]) },
      Hz10_slow_MIRIMAGE: { frequency: 10.039216, phase_amplitudes: ndarray(new Float32Array(250), [250]) },
    },
    subarray_cases: {
      SUB64: { rowclocks: 28, frameclocks: 8512, freqs: { FAST: ['Hz390'], SLOW: { MIRIMAGE: ['Hz390', 'Hz10_slow_MIRIMAGE'] } } },
      FULL_FAST: { rowclocks: 271, frameclocks: 277504, freqs: { FAST: ['Hz10'], SLOW: { MIRIMAGE: ['Hz10_slow_MIRIMAGE'] } } },
    },
  };
}

const ctxFor = (refs: Record<string, string>, params: Params, logs: string[]): StepContext => testContext(step.spec, refs, params, logs, dir);

const R: Readout = { nints: 2, ngroups: 10, ny: 64, nx: 64, nsamples: 1, rowclocks: 28, resetclocks: 8512 };

function model(instrument = 'MIRI'): { m: JwstModel; clean: Float32Array } {
  const syn = syntheticRamp(R, { seed: 3, noise: 1.5, freqHz: F390, amp: 4, phi: 0.8, wave: WAVE });
  const m: JwstModel = {
    type: 'RampModel',
    meta: {
      filename: 'jw01_mirimage_uncal.fits',
      instrument: { name: instrument, detector: 'MIRIMAGE' },
      exposure: { readpatt: 'FASTR1', nsamples: 1 },
      subarray: { name: 'SUB64', xstart: 1, ystart: 1, xsize: 64, ysize: 64 },
    },
    arrays: { data: ndarray(syn.withEmi, [R.nints, R.ngroups, R.ny, R.nx]), pixeldq: ndarray(new Uint32Array(64 * 64), [64, 64]) },
    tables: {}, extras: [],
  };
  return { m, clean: syn.clean };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emicorr-'));
  refFile = path.join(dir, 'jwst_miri_emicorr_test.asdf');
  await writeAsdfFile(refFile, emiTree());
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('EMICORR reference (ASDF)', () => {
  it('reads frequencies, waveforms and subarray cases; selects by subarray, speed and detector', async () => {
    const ref = await readEmiReference(refFile);
    expect(ref.frequencies['Hz390'].frequency).toBe(F390);
    expect(ref.frequencies['Hz390'].phaseAmplitudes.length).toBe(M);
    expect(ref.frequencies['Hz390'].phaseAmplitudes[125]).toBeCloseTo(Math.sin(2 * Math.PI * 125.5 / M), 6);
    expect(ref.frequencies['Hz10'].frequency).toBeCloseTo(10.039216, 9);
    expect(selectFrequencies(ref, 'SUB64', 'FASTR1', 'MIRIMAGE')).toEqual({ caseName: 'SUB64', rowclocks: 28, frameclocks: 8512, names: ['Hz390'] });
    expect(selectFrequencies(ref, 'SUB64', 'SLOW', 'MIRIMAGE')?.names).toEqual(['Hz390', 'Hz10_slow_MIRIMAGE']);
    expect(selectFrequencies(ref, 'FULL', 'FAST', 'MIRIMAGE')?.caseName).toBe('FULL_FAST');
    expect(selectFrequencies(ref, 'SUB64', 'SLOW', 'MIRIFULONG')).toBeUndefined();
    expect(selectFrequencies(ref, 'SUB128', 'FAST', 'MIRIMAGE')).toBeUndefined();
  });
  it('rejects a tree without the EmiModel mappings', () => {
    expect(() => parseEmiReference({ frequencies: {} }, [], 'x.asdf')).toThrow(/subarray_cases/);
  });
});

describe('EmiCorrStep', () => {
  it('removes > 90 % of a 4 DN EMI signal with the reference (joint, default) and leaves the input intact', async () => {
    const { m, clean } = model();
    const before = Float32Array.from(m.arrays['data'].data as Float32Array);
    const logs: string[] = [];
    const out = await step.run(m, ctxFor({ emicorr: refFile }, {}, logs));
    const d = out.arrays['data'].data as Float32Array;
    const a0 = emiAmplitude(before.map((v, q) => v - clean[q]), R, F390);
    const a1 = emiAmplitude(d.map((v, q) => v - clean[q]), R, F390);
    expect(a0).toBeCloseTo(4, 1);
    expect(a1 / a0).toBeLessThan(0.02);
    expect(m.arrays['data'].data).toEqual(before);
    expect(d).not.toBe(m.arrays['data'].data);
    expect(logs.join('\n')).toMatch(/algorithm = 'joint'/);
    expect(getMeta(out.meta, 'cal_step.emicorr')).toBeUndefined();
  });
  it('on-the-fly frequencies: sequential self-correction, and save_intermediate_results writes an EMICORR-format ASDF', async () => {
    const { m, clean } = model();
    const logs: string[] = [];
    const out = await step.run(m, ctxFor({}, { onthefly_corr_freq: [F390], use_n_cycles: null, save_intermediate_results: true }, logs));
    const d = out.arrays['data'].data as Float32Array;
    const a1 = emiAmplitude(d.map((v, q) => v - clean[q]), R, F390);
    expect(a1 / 4).toBeLessThan(0.05);
    expect(logs.join('\n')).toMatch(/Setting the algorithm to 'sequential'/);
    const files = await readdir(dir);
    expect(files).toContain('jw01_mirimage_emi_ref_waves.asdf');
    const f = await readAsdfFile(path.join(dir, 'jw01_mirimage_emi_ref_waves.asdf'));
    const ref = parseEmiReference(f.tree, f.blocks);
    expect(ref.frequencies['390.625'].phaseAmplitudes.length).toBe(128);
    expect(ref.subarrayCases['SUB64'].rowclocks).toBe(28);
  });
  it('skips non-MIRI, N/A reference and unmatched configurations (cal_step SKIPPED)', async () => {
    const nir = await step.run(model('NIRCAM').m, ctxFor({ emicorr: refFile }, {}, []));
    expect(getMeta(nir.meta, 'cal_step.emicorr')).toBe('SKIPPED');
    const na = await step.run(model().m, ctxFor({}, {}, []));
    expect(getMeta(na.meta, 'cal_step.emicorr')).toBe('SKIPPED');
    const { m } = model();
    (m.meta as { subarray: { name: string } }).subarray.name = 'SUB128';
    const logs: string[] = [];
    const un = await step.run(m, ctxFor({ emicorr: refFile }, {}, logs));
    expect(getMeta(un.meta, 'cal_step.emicorr')).toBe('SKIPPED');
    expect(logs).toContain('WARNING No correction match for this configuration');
  });
});
