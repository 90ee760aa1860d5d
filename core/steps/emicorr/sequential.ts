/**
 * The 'sequential' EMI algorithm (jwst docs, emicorr description steps 1-8):
 * per integration, remove a crude per-pixel linear ramp and a self-superbias,
 * average the four output channels, fold the cleaned samples at the EMI
 * period into a binned phased-amplitude (pa) wave, optionally align and scale
 * the reference waveform to it, and subtract the wave's value at each
 * sample's phase from all four channels.
 */
import { basePhase, periodTicks, phaseSteps, type Readout } from './timing.ts';
import { congrid, lineFit, median, pearson, sigmaClippedMean } from './stats.ts';

export interface SequentialOptions {
  /** Integrations used to build the pa wave (null: from use_n_cycles, or all). */
  readonly nintsToPhase: number | null;
  /** Bins in one phased wave (null: period/2, at most 500). */
  readonly nbins: number | null;
  readonly scaleReference: boolean;
  /** Cycles of the wave needed to pick nints_to_phase (null: all integrations). */
  readonly useNCycles: number | null;
  /** Reset-frame clocks of the subarray case (used to count cycles per integration). */
  readonly frameclocks: number;
}

export interface SequentialResult {
  /** The binned phased amplitude wave measured on the data (median removed). */
  readonly pa: Float64Array;
  /** The look-up table subtracted (one value per pixel tick of one period). */
  readonly lut: Float64Array;
  readonly nintsToPhase: number;
  /** Reference alignment: roll applied and fitted scale (when a reference wave was given). */
  readonly shift?: number;
  readonly scale?: number;
}

/** Integrations used for phasing (jwst rules for nints_to_phase / use_n_cycles). */
export function nintsForPhasing(r: Readout, period: number, o: SequentialOptions): number {
  let n: number;
  if (o.nintsToPhase == null) {
    n = o.useNCycles == null ? r.nints : Math.ceil((o.useNCycles * period) / (o.frameclocks * r.ngroups));
  } else n = o.nintsToPhase;
  return Math.max(1, Math.min(r.nints, n));
}

/**
 * Cleaned, channel-averaged samples of integration `i`: (ngroups, ny, nx/4).
 * Slope from groups 1..ngroups-2 (least squares on group index), bias = median
 * over the same groups after slope removal; the column groups 1 and 2
 * (reference-pixel columns) are replaced by the mean of column groups 0 and 3;
 * each frame's median is removed.
 */
export function cleanIntegration(data: Float32Array, r: Readout, i: number): Float64Array {
  const { ngroups, ny, nx } = r;
  const nx4 = nx >> 2;
  const npix = ny * nx;
  const base = i * ngroups * npix;
  const inner = Math.max(0, ngroups - 2);
  const slope = new Float64Array(npix);
  const bias = new Float64Array(npix);
  const col = new Float64Array(inner);
  let st = 0, stt = 0;
  for (let t = 0; t < inner; t++) { st += t; stt += t * t; }
  const delta = inner * stt - st * st;
  for (let p = 0; p < npix; p++) {
    let sy = 0, sty = 0;
    for (let g = 1; g <= inner; g++) { const y = data[base + g * npix + p]; sy += y; sty += (g - 1) * y; }
    slope[p] = delta > 0 ? (inner * sty - st * sy) / delta : 0;
    for (let g = 1; g <= inner; g++) col[g - 1] = data[base + g * npix + p] - slope[p] * g;
    bias[p] = inner <= 2 ? Math.min(...col) : median(col);
  }
  const dd = new Float64Array(ngroups * ny * nx4);
  for (let g = 0; g < ngroups; g++) {
    const f = dd.subarray(g * ny * nx4, (g + 1) * ny * nx4);
    for (let j = 0; j < ny; j++) {
      for (let k = 0; k < nx4; k++) {
        let s = 0;
        for (let l = 0; l < 4; l++) {
          const p = j * nx + 4 * k + l;
          s += data[base + g * npix + p] - slope[p] * g - bias[p];
        }
        f[j * nx4 + k] = s / 4;
      }
      if (nx4 >= 4) f[j * nx4 + 1] = f[j * nx4 + 2] = 0.5 * (f[j * nx4] + f[j * nx4 + 3]);
    }
    const m = median(f);
    for (let q = 0; q < f.length; q++) f[q] -= m;
  }
  return dd;
}

/** Fold cleaned samples into `nbins` phase bins: sigma-clipped mean per bin, empty bins interpolated, median removed. */
export function phasedAmplitude(values: Float64Array, phases: Float64Array, nbins: number): Float64Array {
  const count = new Int32Array(nbins + 1);
  const bin = (p: number): number => Math.min(nbins - 1, Math.floor(p * nbins));
  for (let q = 0; q < phases.length; q++) count[bin(phases[q]) + 1]++;
  for (let b = 0; b < nbins; b++) count[b + 1] += count[b];
  const sorted = new Float64Array(values.length);
  const fill = count.slice(0, nbins);
  for (let q = 0; q < phases.length; q++) sorted[fill[bin(phases[q])]++] = values[q];
  const pa = new Float64Array(nbins);
  for (let b = 0; b < nbins; b++) pa[b] = sigmaClippedMean(sorted.subarray(count[b], count[b + 1]));
  fillEmptyPeriodic(pa);
  const m = median(pa);
  for (let b = 0; b < nbins; b++) pa[b] -= m;
  return pa;
}

/** Replace NaN entries by linear interpolation between the nearest finite neighbours (periodic); all-NaN becomes zeros. */
function fillEmptyPeriodic(a: Float64Array): void {
  const n = a.length;
  const good: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(a[i])) good.push(i);
  if (good.length === 0) { a.fill(0); return; }
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(a[i])) continue;
    let lo = good[good.length - 1] - n;
    let hi = good[0] + n;
    for (const g of good) { if (g < i) lo = g; else { hi = g; break; } }
    const vlo = a[(lo + n) % n], vhi = a[hi % n];
    a[i] = vlo + ((vhi - vlo) * (i - lo)) / (hi - lo);
  }
}

/**
 * Align the reference waveform to the measured pa wave: the circular shift
 * with the highest Pearson correlation, resampled to one period in pixel
 * ticks, optionally scaled by a line fit against the pa look-up table.
 */
export function alignReference(pa: Float64Array, ref: Float64Array, period: number, lutPa: Float64Array, scale: boolean): { lut: Float64Array; shift: number; scale: number } {
  const m = ref.length;
  const paOnRef = congrid(pa, m);
  const rolled = new Float64Array(m);
  let best = -Infinity, shift = 0;
  for (let s = 0; s < m; s++) {
    for (let j = 0; j < m; j++) rolled[(j + s) % m] = ref[j];
    const c = pearson(rolled, paOnRef);
    if (c > best) { best = c; shift = s; }
  }
  for (let j = 0; j < m; j++) rolled[(j + shift) % m] = ref[j];
  const lut = congrid(rolled, lutPa.length, period);
  const fit = lineFit(lut, lutPa);
  if (scale) for (let j = 0; j < lut.length; j++) lut[j] *= fit.m;
  return { lut, shift, scale: fit.m };
}

/**
 * Correct `data` (nints, ngroups, ny, nx), in place, for one EMI frequency.
 * `ref` is the reference waveform (phase_amplitudes) or undefined for the
 * on-the-fly self-correction with the measured pa wave.
 */
export function sequentialCorrect(data: Float32Array, r: Readout, freqHz: number, ref: Float64Array | undefined, o: SequentialOptions): SequentialResult {
  const period = periodTicks(freqHz);
  const nx4 = r.nx >> 2;
  const plane = r.ny * nx4;
  const p0 = basePhase(r, period);
  const steps = phaseSteps(r, period);
  const nph = nintsForPhasing(r, period, o);
  const values = new Float64Array(nph * r.ngroups * plane);
  const phases = new Float64Array(values.length);
  for (let i = 0; i < nph; i++) {
    values.set(cleanIntegration(data, r, i), i * r.ngroups * plane);
    for (let g = 0; g < r.ngroups; g++) {
      const off = (i * r.ngroups + g) * plane;
      const d = g * steps.group + i * steps.int;
      for (let q = 0; q < plane; q++) { const x = p0[q] + d; phases[off + q] = x - Math.floor(x); }
    }
  }
  let nbins = o.nbins ?? Math.floor(period / 2);
  if (nbins > 501) nbins = 500;
  const pa = phasedAmplitude(values, phases, nbins);
  let lut = congrid(pa, Math.ceil(period), period);
  let shift: number | undefined, scale: number | undefined;
  if (ref && ref.length > 0) ({ lut, shift, scale } = alignReference(pa, ref, period, lut, o.scaleReference));
  subtractLut(data, r, p0, steps, lut, period);
  return { pa, lut, nintsToPhase: nph, shift, scale };
}

function subtractLut(data: Float32Array, r: Readout, p0: Float64Array, steps: { group: number; int: number }, lut: Float64Array, period: number): void {
  const nx4 = r.nx >> 2;
  const npix = r.ny * r.nx;
  for (let i = 0; i < r.nints; i++) {
    for (let g = 0; g < r.ngroups; g++) {
      const d = g * steps.group + i * steps.int;
      const off = (i * r.ngroups + g) * npix;
      for (let j = 0; j < r.ny; j++) {
        for (let k = 0; k < nx4; k++) {
          const x = p0[j * nx4 + k] + d;
          const v = lut[Math.min(lut.length - 1, Math.floor((x - Math.floor(x)) * period))];
          if (!Number.isFinite(v)) continue;
          const p = off + j * r.nx + 4 * k;
          data[p] -= v; data[p + 1] -= v; data[p + 2] -= v; data[p + 3] -= v;
        }
      }
    }
  }
}
