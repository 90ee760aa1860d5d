/**
 * The 'joint' EMI algorithm (jwst docs, emicorr arguments "algorithm":
 * ramps and noise fit simultaneously; needs a reference waveform, works with
 * 3 or more groups). Pixels with modest scatter among their groups and no
 * PIXELDQ flag are used; the phase offset and amplitude of the reference
 * waveform are chosen so that, after subtracting it, those ramps are as
 * straight as possible (least-squares lines, chi squared summed).
 *
 * Own formulation: with P the projection that removes a line a + b*g from a
 * group vector, and z the waveform sampled at a pixel's group phases, the
 * chi squared after subtracting c*z is |P y|^2 - 2c <P y, z> + c^2 |P z|^2.
 * Summed over pixels sharing a phase bin, the best c is S_yz / S_zz with
 * S_yz = sum <P Y_bin, z_bin> and S_zz = sum n_bin |P z_bin|^2, and the chi
 * squared drops by S_yz^2 / S_zz; the phase offset maximising that drop wins.
 */
import { basePhase, periodTicks, phaseSteps, type Readout } from './timing.ts';
import { median, waveAt } from './stats.ts';

export interface JointOptions {
  /** Fit a phase and amplitude per integration instead of one for all. */
  readonly fitIntsSeparately: boolean;
  /** Number of trial phase offsets and of phase bins (jwst samples 500 phases). */
  readonly nTrial?: number;
}

export interface JointResult {
  /** Phase offset of the reference waveform for each integration (0..1). */
  readonly phases: Float64Array;
  /** Amplitude (scale of the reference waveform) for each integration. */
  readonly amplitudes: Float64Array;
  /** Number of (integration, pixel) ramps used in the fit. */
  readonly nUsed: number;
}

/** Sums of a group vector needed for the line projection. */
class LineBasis {
  readonly st: number; readonly stt: number; readonly delta: number;
  constructor(readonly ng: number) {
    let st = 0, stt = 0;
    for (let g = 0; g < ng; g++) { st += g; stt += g * g; }
    this.st = st; this.stt = stt; this.delta = ng * stt - st * st;
  }
  /** v minus its least-squares line (in place). */
  project(v: Float64Array): void {
    let s = 0, sg = 0;
    for (let g = 0; g < this.ng; g++) { s += v[g]; sg += g * v[g]; }
    const b = (this.ng * sg - this.st * s) / this.delta;
    const a = (s - b * this.st) / this.ng;
    for (let g = 0; g < this.ng; g++) v[g] -= a + b * g;
  }
  /** |P v|^2. */
  residualNorm2(v: Float64Array): number {
    let s = 0, sg = 0, ss = 0;
    for (let g = 0; g < this.ng; g++) { s += v[g]; sg += g * v[g]; ss += v[g] * v[g]; }
    return ss - (this.stt * s * s - 2 * this.st * s * sg + this.ng * sg * sg) / this.delta;
  }
}

/** Per integration: which pixels are usable (scatter below twice the median, PIXELDQ 0). */
function usablePixels(data: Float32Array, r: Readout, pixeldq: Uint32Array): Uint8Array {
  const npix = r.ny * r.nx;
  const std = new Float64Array(r.nints * npix);
  for (let i = 0; i < r.nints; i++) {
    for (let p = 0; p < npix; p++) {
      let s = 0, s2 = 0;
      for (let g = 0; g < r.ngroups; g++) { const y = data[(i * r.ngroups + g) * npix + p]; s += y; s2 += y * y; }
      const m = s / r.ngroups;
      std[i * npix + p] = Math.sqrt(Math.max(0, s2 / r.ngroups - m * m));
    }
  }
  const lim = 2 * median(std);
  const ok = new Uint8Array(std.length);
  for (let q = 0; q < std.length; q++) ok[q] = std[q] < lim && pixeldq[q % npix] === 0 ? 1 : 0;
  return ok;
}

/** Phase-binned, line-projected group sums: per integration, per bin (nbins x ngroups), and pixel counts. */
function binRamps(data: Float32Array, r: Readout, ok: Uint8Array, p0: Float64Array, nbins: number, basis: LineBasis): { y: Float64Array[]; n: Float64Array[]; used: number } {
  const nx4 = r.nx >> 2;
  const npix = r.ny * r.nx;
  const ys: Float64Array[] = [], ns: Float64Array[] = [];
  let used = 0;
  for (let i = 0; i < r.nints; i++) {
    const y = new Float64Array(nbins * r.ngroups);
    const n = new Float64Array(nbins);
    for (let j = 0; j < r.ny; j++) {
      for (let k = 0; k < nx4; k++) {
        if (k === 1 || k === 2) continue; // reference-pixel column groups
        const b = Math.min(nbins - 1, Math.floor(p0[j * nx4 + k] * nbins));
        for (let l = 0; l < 4; l++) {
          const p = j * r.nx + 4 * k + l;
          if (!ok[i * npix + p]) continue;
          n[b]++; used++;
          for (let g = 0; g < r.ngroups; g++) y[b * r.ngroups + g] += data[(i * r.ngroups + g) * npix + p];
        }
      }
    }
    for (let b = 0; b < nbins; b++) basis.project(y.subarray(b * r.ngroups, (b + 1) * r.ngroups));
    ys.push(y); ns.push(n);
  }
  return { y: ys, n: ns, used };
}

/** S_yz and S_zz of one integration's bins for the waveform placed at phase offset `phi`. */
function sums(y: Float64Array, n: Float64Array, wave: (ph: number) => number, phi: number, dGroup: number, basis: LineBasis): { syz: number; szz: number } {
  const nb = n.length, ng = basis.ng;
  const z = new Float64Array(ng);
  let syz = 0, szz = 0;
  for (let b = 0; b < nb; b++) {
    if (n[b] === 0) continue;
    const c = (b + 0.5) / nb + phi;
    for (let g = 0; g < ng; g++) { z[g] = wave(c + g * dGroup); syz += y[b * ng + g] * z[g]; }
    szz += n[b] * basis.residualNorm2(z);
  }
  return { syz, szz };
}

/** Vertex of the parabola through the best trial and its neighbours (periodic), as a phase 0..1. */
function refinePeak(score: Float64Array): number {
  const k = score.length;
  let ib = 0;
  for (let q = 1; q < k; q++) if (score[q] > score[ib]) ib = q;
  const a = score[(ib - 1 + k) % k], b = score[ib], c = score[(ib + 1) % k];
  const den = a - 2 * b + c;
  const off = den < 0 ? (0.5 * (a - c)) / den : 0;
  const x = (ib + Math.max(-1, Math.min(1, off))) / k;
  return x - Math.floor(x);
}

/**
 * Chi-squared drop S_yz^2/S_zz at the trial offsets t/K, t = 0..K-1, for
 * integrations `ints` whose own phase offsets are `offs` (0..1). The trial
 * grid equals the bin grid, so shifting integration i by round(off_i*K) bins
 * puts all integrations on one common grid and the trials become a circular
 * correlation with the waveform template of the first trial.
 */
function trialScores(ints: readonly number[], offs: readonly number[], y: Float64Array[], n: Float64Array[], zt: Float64Array, zn: Float64Array, ng: number): Float64Array {
  const k = zn.length;
  const ys = new Float64Array(k * ng);
  const ns = new Float64Array(k);
  ints.forEach((i, idx) => {
    const d = Math.round(offs[idx] * k) % k;
    for (let b = 0; b < k; b++) {
      const bb = (b + d) % k;
      ns[bb] += n[i][b];
      for (let g = 0; g < ng; g++) ys[bb * ng + g] += y[i][b * ng + g];
    }
  });
  const score = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    let syz = 0, szz = 0;
    for (let b = 0; b < k; b++) {
      if (ns[b] === 0) continue;
      const zb = ((b + t) % k) * ng;
      for (let g = 0; g < ng; g++) syz += ys[b * ng + g] * zt[zb + g];
      szz += ns[b] * zn[(b + t) % k];
    }
    score[t] = szz > 0 ? (syz * syz) / szz : 0;
  }
  return score;
}

/** Best phase offset and amplitude for integrations sharing one phase (each with its own offset `off(i)`). */
function fitSet(ints: readonly number[], off: (i: number) => number, y: Float64Array[], n: Float64Array[], wave: (ph: number) => number, zt: Float64Array, zn: Float64Array, dGroup: number, basis: LineBasis): { phi: number; amp: number } {
  const offs = ints.map(off);
  const phi = refinePeak(trialScores(ints, offs, y, n, zt, zn, basis.ng));
  let syz = 0, szz = 0;
  ints.forEach((i, idx) => { const s = sums(y[i], n[i], wave, phi + offs[idx], dGroup, basis); syz += s.syz; szz += s.szz; });
  return { phi, amp: szz > 0 && Number.isFinite(syz) ? syz / szz : 0 };
}

/** Tabulated waveform (Catmull-Rom on `ref`, 8192 points, linear between them). */
function waveTable(ref: Float64Array): (ph: number) => number {
  const T = 8192;
  const tab = new Float64Array(T + 1);
  for (let q = 0; q <= T; q++) tab[q] = waveAt(ref, q / T);
  return (ph: number) => {
    const x = (ph - Math.floor(ph)) * T;
    const q = Math.min(T - 1, x | 0);
    return tab[q] + (x - q) * (tab[q + 1] - tab[q]);
  };
}

/**
 * Fit the reference waveform `ref` (one period, uniformly sampled) at
 * `freqHz` and subtract it from `data` (nints, ngroups, ny, nx), in place.
 */
export function jointCorrect(data: Float32Array, r: Readout, pixeldq: Uint32Array, freqHz: number, ref: Float64Array, o: JointOptions): JointResult {
  const period = periodTicks(freqHz);
  const steps = phaseSteps(r, period);
  const p0 = basePhase(r, period);
  const basis = new LineBasis(r.ngroups);
  const ok = usablePixels(data, r, pixeldq);
  const k = o.nTrial ?? 500;
  const { y, n, used } = binRamps(data, r, ok, p0, k, basis);
  const wave = waveTable(ref);
  // Template for trial 0: the waveform at every bin centre and group.
  const zt = new Float64Array(k * r.ngroups);
  const zn = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    const z = zt.subarray(b * r.ngroups, (b + 1) * r.ngroups);
    for (let g = 0; g < r.ngroups; g++) z[g] = wave((b + 0.5) / k + g * steps.group);
    zn[b] = basis.residualNorm2(z);
  }
  const phases = new Float64Array(r.nints);
  const amplitudes = new Float64Array(r.nints);
  const all = Array.from({ length: r.nints }, (_, i) => i);
  if (o.fitIntsSeparately) {
    for (const i of all) {
      const f = fitSet([i], () => 0, y, n, wave, zt, zn, steps.group, basis);
      phases[i] = f.phi; amplitudes[i] = f.amp;
    }
  } else {
    const intOff = (i: number): number => { const x = i * steps.int; return x - Math.floor(x); };
    const f = fitSet(all, intOff, y, n, wave, zt, zn, steps.group, basis);
    for (const i of all) { const x = f.phi + intOff(i); phases[i] = x - Math.floor(x); amplitudes[i] = f.amp; }
  }
  subtractWave(data, r, p0, steps.group, wave, phases, amplitudes);
  return { phases, amplitudes, nUsed: used };
}

function subtractWave(data: Float32Array, r: Readout, p0: Float64Array, dGroup: number, wave: (ph: number) => number, phases: Float64Array, amps: Float64Array): void {
  const nx4 = r.nx >> 2;
  const npix = r.ny * r.nx;
  for (let i = 0; i < r.nints; i++) {
    if (amps[i] === 0) continue;
    for (let g = 0; g < r.ngroups; g++) {
      const off = (i * r.ngroups + g) * npix;
      const d = phases[i] + g * dGroup;
      for (let q = 0; q < r.ny * nx4; q++) {
        const v = amps[i] * wave(p0[q] + d);
        const p = off + (q / nx4 | 0) * r.nx + 4 * (q % nx4);
        data[p] -= v; data[p + 1] -= v; data[p + 2] -= v; data[p + 3] -= v;
      }
    }
  }
}
