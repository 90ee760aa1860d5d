/**
 * MIRI EMI correction kernel (pure): pick the frequencies and readout clocks
 * for the exposure (EMICORR reference or on-the-fly frequencies), then remove
 * each frequency in turn (highest-amplitude first is up to the list order)
 * with the 'joint' or 'sequential' algorithm (jwst docs, emicorr description
 * and arguments).
 */
import { StepError } from '../../errors/index.ts';
import { floatName, selectFrequencies, type EmiReference } from './reference.ts';
import { jointCorrect } from './joint.ts';
import { sequentialCorrect } from './sequential.ts';
import { SUBARRAY_CLOCKS, type Readout } from './timing.ts';

export interface EmiParams {
  readonly algorithm: 'sequential' | 'joint';
  readonly nintsToPhase: number | null;
  readonly nbins: number | null;
  readonly scaleReference: boolean;
  readonly ontheflyCorrFreq: readonly number[] | null;
  readonly useNCycles: number | null;
  readonly fitIntsSeparately: boolean;
}

/** Exposure configuration (from meta). */
export interface EmiExposure {
  readonly subarray: string;
  readonly readpatt: string;
  readonly detector: string;
  /** meta.exposure.nsamples (1 FAST, 9 SLOW). */
  readonly nsamples: number;
  /** SUBSTRT1 / SUBSIZE1 (for the full-frame right reference pixel timing). */
  readonly xstart: number;
  readonly xsize: number;
}

export interface EmiPlanFreq { readonly name: string; readonly frequency: number; readonly wave?: Float64Array }

export interface EmiPlan {
  readonly algorithm: 'sequential' | 'joint';
  readonly caseName: string;
  readonly rowclocks: number;
  readonly frameclocks: number;
  readonly freqs: readonly EmiPlanFreq[];
  /** Warnings to log (algorithm switched, few groups). */
  readonly notes: readonly string[];
}

/** A plan, or the reason jwst skips the step (logged as a warning, cal_step SKIPPED). */
export type PlanResult = { readonly plan: EmiPlan } | { readonly skip: string };

/** Decide what to correct; `ref` is ignored when on-the-fly frequencies are given. */
export function planCorrection(ref: EmiReference | undefined, exp: EmiExposure, ngroups: number, p: EmiParams): PlanResult {
  if (ngroups < 3) return { skip: `EMI correction cannot be performed for ngroups=${ngroups}` };
  const notes: string[] = [];
  let algorithm = p.algorithm;
  const useRef = p.ontheflyCorrFreq == null ? ref : undefined;
  if (algorithm === 'sequential' && ngroups < 10) notes.push(`The 'sequential' algorithm is selected and ngroups=${ngroups}; the 'joint' algorithm is recommended for ngroups < 10.`);
  if (algorithm === 'joint' && !useRef) {
    notes.push("The 'joint' algorithm cannot be used without an EMICORR reference file. Setting the algorithm to 'sequential'.");
    algorithm = 'sequential';
  }
  if (useRef) {
    const sel = selectFrequencies(useRef, exp.subarray, exp.readpatt, exp.detector);
    if (!sel || sel.names.length === 0) return { skip: 'No correction match for this configuration' };
    const freqs = sel.names.map((name) => {
      const f = useRef.frequencies[name];
      if (!f) return undefined;
      return { name, frequency: f.frequency, wave: f.phaseAmplitudes };
    });
    const missing = sel.names.filter((_, i) => !freqs[i]);
    if (missing.length) return { skip: `EMICORR reference lists frequencies not defined under 'frequencies': ${missing.join(', ')}` };
    return { plan: { algorithm, caseName: sel.caseName, rowclocks: sel.rowclocks, frameclocks: sel.frameclocks, freqs: freqs as EmiPlanFreq[], notes } };
  }
  const list = p.ontheflyCorrFreq ?? [];
  let caseName = exp.subarray;
  if (caseName === 'FULL') caseName += exp.readpatt.includes('FAST') ? '_FAST' : exp.readpatt.includes('SLOW') ? '_SLOW' : '';
  const clocks = SUBARRAY_CLOCKS[caseName];
  if (!clocks || list.length === 0) return { skip: 'No correction match for this configuration' };
  const freqs = list.map((f) => ({ name: floatName(f), frequency: f }));
  return { plan: { algorithm, caseName, ...clocks, freqs, notes } };
}

/** The readout timing of the exposure for a plan. */
export function readoutFor(plan: EmiPlan, exp: EmiExposure, shape: readonly number[]): Readout {
  const [nints, ngroups, ny, nx] = shape;
  const rp = exp.readpatt.toUpperCase();
  const r1 = rp === 'FASTR1' || rp === 'SLOWR1';
  // Right reference pixel of full-frame rows is read 3 samples later (jwst emicorr, sequential phase calculation).
  const colstop = Math.trunc(exp.xsize / 4 + exp.xstart - 1);
  const lastColumnDelay = plan.algorithm === 'sequential' && colstop === 258 ? 3 : 0;
  return { nints, ngroups, ny, nx, nsamples: exp.nsamples, rowclocks: plan.rowclocks, resetclocks: r1 ? plan.frameclocks : 0, lastColumnDelay };
}

/** What one frequency's fit produced (for logs and the on-the-fly reference). */
export interface EmiFreqReport {
  readonly name: string;
  readonly frequency: number;
  /** Sequential: the measured phased amplitude wave. */
  readonly pa?: Float64Array;
  /** Joint: fitted amplitude and phase per integration. */
  readonly amplitudes?: Float64Array;
  readonly phases?: Float64Array;
}

/**
 * Apply the plan to `data` (nints, ngroups, ny, nx), which is modified in
 * place (pass a copy). `onFreq` is called after each frequency (progress,
 * cancellation).
 */
export function applyEmiCorrection(data: Float32Array, pixeldq: Uint32Array, r: Readout, plan: EmiPlan, p: EmiParams, onFreq?: (done: number, total: number) => void): EmiFreqReport[] {
  const out: EmiFreqReport[] = [];
  plan.freqs.forEach((f, idx) => {
    if (plan.algorithm === 'joint') {
      if (!f.wave || f.wave.length < 4) throw new StepError('ref-format', `emicorr: the 'joint' fit needs a reference waveform (phase_amplitudes with >= 4 samples) for frequency ${f.name}`, { parameter: 'algorithm' });
      const res = jointCorrect(data, r, pixeldq, f.frequency, f.wave, { fitIntsSeparately: p.fitIntsSeparately });
      out.push({ name: f.name, frequency: f.frequency, amplitudes: res.amplitudes, phases: res.phases });
    } else {
      const res = sequentialCorrect(data, r, f.frequency, f.wave, {
        nintsToPhase: p.nintsToPhase, nbins: p.nbins, scaleReference: p.scaleReference, useNCycles: p.useNCycles, frameclocks: plan.frameclocks,
      });
      out.push({ name: f.name, frequency: f.frequency, pa: res.pa });
    }
    onFreq?.(idx + 1, plan.freqs.length);
  });
  return out;
}
