import { describe, expect, it } from 'vitest';
import { simulateRamps } from '../../../test/ramp/simulate.ts';
import { runRampFit } from './run.ts';

const TG = 2.775;
const prm = { groupTime: TG, frameTime: TG, nframes: 1, suppressOneGroup: true };

function stats(v: number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, std };
}

describe('ramp_fit OLS (synthetic ramps)', () => {
  it('recovers known slopes with residual/ERR spread near 1 and ERR = sqrt(VAR_POISSON + VAR_RNOISE)', async () => {
    // 6400 pixels x 2 integrations, rates 0.5 .. 50 DN/s, gain 4 e/DN, CDS read noise 30 DN.
    const rate = (p: number): number => 0.5 + (p % 100) * 0.5;
    const sim = simulateRamps({ nints: 2, ngroups: 10, ny: 80, nx: 80, groupTime: TG, gain: 4, readnoise: 30, rate, seed: 11 });
    const { rate: r, rateints } = await runRampFit(sim, prm);
    const z: number[] = [];
    let maxErrDev = 0;
    for (let p = 0; p < 6400; p++) {
      z.push((r.sci[p] - rate(p)) / r.err[p]);
      maxErrDev = Math.max(maxErrDev, Math.abs(r.err[p] - Math.sqrt(r.varPoisson[p] + r.varRnoise[p])) / r.err[p]);
    }
    const s = stats(z);
    expect(Math.abs(s.mean)).toBeLessThan(0.05);
    expect(s.std).toBeGreaterThan(0.9);
    expect(s.std).toBeLessThan(1.1);
    expect(maxErrDev).toBeLessThan(1e-6);
    // Per integration too.
    const zi: number[] = [];
    for (let q = 0; q < 12800; q++) zi.push((rateints.sci[q] - rate(q % 6400)) / rateints.err[q]);
    const si = stats(zi);
    expect(si.std).toBeGreaterThan(0.9);
    expect(si.std).toBeLessThan(1.1);
    // Read-noise variance of a clean 10-group ramp: 12 (R/sqrt2)^2 / ((n^3-n) tg^2), in DN/s.
    expect(rateints.varRnoise[0]).toBeCloseTo((12 * (30 * 30) / 2) / ((1000 - 10) * TG * TG), 5);
  });

  it('combines the segments of a ramp split by a jump by inverse variance (ERR) and drops saturated groups', async () => {
    const sim = simulateRamps({ nints: 1, ngroups: 12, ny: 1, nx: 2, groupTime: TG, gain: 4, readnoise: 30, rate: () => 20, seed: 5 });
    // Pixel 0: a jump at group 6 (flag it as jump would); pixel 1: saturated from group 10 on.
    for (let g = 6; g < 12; g++) sim.data[g * 2] += 500;
    sim.groupdq[6 * 2] = 4;
    for (let g = 10; g < 12; g++) { sim.data[g * 2 + 1] = 60000; sim.groupdq[g * 2 + 1] = 2; }
    const { rateints } = await runRampFit(sim, prm);
    // Segments [0,6) and [6,12): each 6 groups.
    const n = 6;
    const rn = 30 / Math.SQRT2;
    const varR = (12 * rn * rn) / ((n ** 3 - n) * TG * TG);
    const medRate = rateints.varPoisson[0] * 2 * (TG * 4 * (n - 1)); // 2 equal segments: var_p_int = var_p_seg / 2
    const varP = medRate / (TG * 4 * (n - 1));
    expect(rateints.varRnoise[0]).toBeCloseTo(varR / 2, 6);
    expect(rateints.err[0]).toBeCloseTo(Math.sqrt(1 / (2 / (varR + varP))), 6);
    expect(Math.abs(rateints.sci[0] - 20)).toBeLessThan(5 * rateints.err[0]);
    // The jump itself is not in the slope: a fit through it would be ~ +45 DN/s.
    expect(rateints.sci[0]).toBeLessThan(35);
    // Saturated pixel: 10 good groups; read-noise variance is that of a 10-group segment.
    const n1 = 10;
    expect(rateints.varRnoise[1]).toBeCloseTo((12 * rn * rn) / ((n1 ** 3 - n1) * TG * TG), 6);
    expect(rateints.dq[1] & 2).toBe(2);
    expect(Math.abs(rateints.sci[1] - 20)).toBeLessThan(5 * rateints.err[1]);
  });
});
