/**
 * The EMICORR reference (EmiModel, ASDF): `frequencies` maps a name to
 * {frequency (Hz), phase_amplitudes (1-D waveform over one period)};
 * `subarray_cases` maps a subarray name (full frame as FULL_FAST / FULL_SLOW)
 * to {rowclocks, frameclocks, freqs: {FAST: [names], SLOW: {<detector>: [names]}}}.
 * (jwst docs, references_general "EMICORR Reference File Format" and
 * "Frequency Selection".)
 */
import { StepError } from '../../errors/index.ts';
import { AsdfNDArray, resolveArray, untag, markFloat, type AsdfBlock } from '../../asdf/index.ts';

export interface EmiFrequency {
  readonly frequency: number;
  /** The reference waveform over one period (phase 0..1, uniformly sampled), or empty for on-the-fly. */
  readonly phaseAmplitudes: Float64Array;
}

export interface EmiSubarrayCase {
  readonly rowclocks: number;
  readonly frameclocks: number;
  /** FAST -> names; SLOW -> detector -> names. */
  readonly freqs: Record<string, unknown>;
}

export interface EmiReference {
  readonly frequencies: Readonly<Record<string, EmiFrequency>>;
  readonly subarrayCases: Readonly<Record<string, EmiSubarrayCase>>;
}

/** The frequencies and clocks that apply to one exposure configuration. */
export interface EmiSelection {
  readonly caseName: string;
  readonly rowclocks: number;
  readonly frameclocks: number;
  readonly names: readonly string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown, what: string, file?: string): number {
  const x = untag(v);
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  throw new StepError('ref-format', `EMICORR reference: ${what} is not a number`, { file });
}

function waveform(v: unknown, blocks: readonly AsdfBlock[], what: string, file?: string): Float64Array {
  const x = untag(v);
  if (x instanceof AsdfNDArray) {
    const a = resolveArray(x, blocks, file);
    return Float64Array.from(a.data as ArrayLike<number>, Number);
  }
  if (Array.isArray(x)) return Float64Array.from(x, (e) => num(e, what, file));
  throw new StepError('ref-format', `EMICORR reference: ${what} is not an array`, { file });
}

/** Parse an EMICORR ASDF tree (as read by core/asdf) into an EmiReference. */
export function parseEmiReference(tree: Record<string, unknown>, blocks: readonly AsdfBlock[], file?: string): EmiReference {
  const fr = untag(tree['frequencies']);
  const sc = untag(tree['subarray_cases']);
  if (!isObj(fr) || !isObj(sc)) {
    throw new StepError('ref-format', 'EMICORR reference needs `frequencies` and `subarray_cases` mappings', { file });
  }
  const frequencies: Record<string, EmiFrequency> = {};
  for (const [name, v0] of Object.entries(fr)) {
    const v = untag(v0);
    if (!isObj(v)) throw new StepError('ref-format', `EMICORR reference: frequencies.${name} is not a mapping`, { file });
    frequencies[name] = {
      frequency: num(v['frequency'], `frequencies.${name}.frequency`, file),
      phaseAmplitudes: waveform(v['phase_amplitudes'], blocks, `frequencies.${name}.phase_amplitudes`, file),
    };
  }
  const subarrayCases: Record<string, EmiSubarrayCase> = {};
  for (const [name, v0] of Object.entries(sc)) {
    const v = untag(v0);
    if (!isObj(v)) throw new StepError('ref-format', `EMICORR reference: subarray_cases.${name} is not a mapping`, { file });
    const freqs = untag(v['freqs']);
    subarrayCases[name] = {
      rowclocks: num(v['rowclocks'], `subarray_cases.${name}.rowclocks`, file),
      frameclocks: num(v['frameclocks'], `subarray_cases.${name}.frameclocks`, file),
      freqs: isObj(freqs) ? freqs : {},
    };
  }
  return { frequencies, subarrayCases };
}

const names = (v: unknown): string[] | undefined => {
  const x = untag(v);
  return Array.isArray(x) ? x.map((e) => String(untag(e))) : undefined;
};

/**
 * The case for (subarray, readpatt, detector): full frame is looked up as
 * FULL_FAST / FULL_SLOW; FAST lists names directly, SLOW by detector.
 * Undefined when the configuration has no entry (jwst then skips the step).
 */
export function selectFrequencies(ref: EmiReference, subarray: string, readpatt: string, detector: string): EmiSelection | undefined {
  const rp = readpatt.toUpperCase();
  const speed = rp.includes('SLOW') ? 'SLOW' : rp.includes('FAST') ? 'FAST' : undefined;
  if (!speed) return undefined;
  const caseName = subarray.includes('FULL') ? `${subarray}_${speed}` : subarray;
  const c = ref.subarrayCases[caseName];
  if (!c) return undefined;
  const bySpeed = untag(c.freqs[speed]);
  const list = speed === 'FAST' ? names(bySpeed) : isObj(bySpeed) ? names(bySpeed[detector]) : undefined;
  if (!list) return undefined;
  return { caseName, rowclocks: c.rowclocks, frameclocks: c.frameclocks, names: list };
}

/** Python repr() of a float, as jwst names on-the-fly frequencies ('390.625', '10.0'). */
export function floatName(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/**
 * An ASDF tree in the EMICORR format holding on-the-fly phase amplitudes
 * (what save_intermediate_results writes).
 */
export function emiReferenceTree(
  freqs: readonly { name: string; frequency: number; pa: Float64Array }[],
  cfg: { subarray: string; readpatt: string; detector: string; rowclocks: number; frameclocks: number; useafter: string },
): Record<string, unknown> {
  const frequencies: Record<string, unknown> = {};
  for (const f of freqs) {
    const entry = { frequency: f.frequency, phase_amplitudes: f.pa };
    markFloat(entry, 'frequency');
    frequencies[f.name] = entry;
  }
  const list = freqs.map((f) => f.name);
  const byPatt = cfg.readpatt.toUpperCase().includes('FAST') ? { [cfg.readpatt]: list } : { [cfg.readpatt]: { [cfg.detector]: list } };
  return {
    meta: {
      reftype: 'emicorr', author: 'JWST calibration pipeline', description: 'EMI correction file',
      pedigree: 'GROUND', useafter: cfg.useafter,
    },
    frequencies,
    subarray_cases: { [cfg.subarray]: { rowclocks: cfg.rowclocks, frameclocks: cfg.frameclocks, freqs: byPatt } },
  };
}
