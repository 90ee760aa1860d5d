/**
 * Synthetic MIRI ramps with injected EMI, for tests: linear ramps per pixel
 * plus Gaussian read noise plus `amp * wave(phase + phi)` where the phase of
 * every sample comes from the real readout timing (timing.ts).
 */
import { gaussian, mulberry32 } from '../../random/index.ts';
import { basePhase, periodTicks, phaseSteps, samplePhase, type Readout } from './timing.ts';
import { waveAt } from './stats.ts';

export interface SyntheticOptions {
  readonly seed: number;
  /** Read noise sigma per sample (DN). */
  readonly noise: number;
  /** EMI frequency (Hz), amplitude (DN, scales `wave`), phase offset (0..1); amp 0 = no EMI. */
  readonly freqHz: number;
  readonly amp: number;
  readonly phi: number;
  readonly wave: Float64Array;
}

/** Clean ramps (with noise) and the same with EMI added, (nints, ngroups, ny, nx). */
export function syntheticRamp(r: Readout, o: SyntheticOptions): { clean: Float32Array; withEmi: Float32Array } {
  const npix = r.ny * r.nx;
  const nx4 = r.nx >> 2;
  const u = mulberry32(o.seed);
  const gauss = gaussian(o.seed + 1);
  const bias = new Float64Array(npix), slope = new Float64Array(npix);
  for (let p = 0; p < npix; p++) { bias[p] = 10000 + 2000 * u(); slope[p] = 50 * u() * u(); }
  const clean = new Float32Array(r.nints * r.ngroups * npix);
  const withEmi = new Float32Array(clean.length);
  const period = periodTicks(o.freqHz);
  const p0 = basePhase(r, period);
  const steps = phaseSteps(r, period);
  for (let i = 0; i < r.nints; i++) {
    for (let g = 0; g < r.ngroups; g++) {
      for (let p = 0; p < npix; p++) {
        const q = (i * r.ngroups + g) * npix + p;
        clean[q] = bias[p] + slope[p] * g + o.noise * gauss();
        const ph = samplePhase(p0[Math.floor(p / r.nx) * nx4 + ((p % r.nx) >> 2)], i, g, steps);
        withEmi[q] = clean[q] + (o.amp ? o.amp * waveAt(o.wave, ph + o.phi) : 0);
      }
    }
  }
  return { clean, withEmi };
}

/**
 * Amplitude of the component at `freqHz` in `resid` (lock-in: least-squares
 * sine + cosine at each sample's phase), in DN.
 */
export function emiAmplitude(resid: Float32Array | Float64Array, r: Readout, freqHz: number): number {
  const npix = r.ny * r.nx;
  const nx4 = r.nx >> 2;
  const period = periodTicks(freqHz);
  const p0 = basePhase(r, period);
  const steps = phaseSteps(r, period);
  let sc = 0, ss = 0, cc = 0, s2 = 0, cs = 0, m = 0;
  for (let q = 0; q < resid.length; q++) m += resid[q];
  m /= resid.length;
  for (let i = 0; i < r.nints; i++) {
    for (let g = 0; g < r.ngroups; g++) {
      for (let p = 0; p < npix; p++) {
        const y = resid[(i * r.ngroups + g) * npix + p] - m;
        const ph = 2 * Math.PI * samplePhase(p0[Math.floor(p / r.nx) * nx4 + ((p % r.nx) >> 2)], i, g, steps);
        const c = Math.cos(ph), s = Math.sin(ph);
        sc += y * c; ss += y * s; cc += c * c; s2 += s * s; cs += c * s;
      }
    }
  }
  const det = cc * s2 - cs * cs;
  const a = (sc * s2 - ss * cs) / det;
  const b = (ss * cc - sc * cs) / det;
  return Math.hypot(a, b);
}
