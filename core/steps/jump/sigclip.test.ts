import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from '../../random/index.ts';
import { JUMP_TEST_EXPOSURE, JUMP_TEST_PARAMS, simulateRamps } from '../../../test/ramp/simulate.ts';
import { runJump, type JumpParams } from './run.ts';
import { sigmaClip } from './sigclip.ts';

const { TG, GAIN, RN, RATE } = JUMP_TEST_EXPOSURE;
const P: JumpParams = { ...JUMP_TEST_PARAMS };
const NINTS = 150, NG = 5, NY = 12, NX = 12;
const PLANE = NY * NX;
/** Noise of one first difference in DN: CDS read noise and Poisson. */
const SIGMA = Math.sqrt(RN * RN + (RATE * TG) / GAIN);

function injected(njumps: number, seed: number): Array<{ i: number; g: number; pix: number; amp: number }> {
  const u = mulberry32(seed);
  const out: Array<{ i: number; g: number; pix: number; amp: number }> = [];
  const used = new Set<string>();
  while (out.length < njumps) {
    const i = Math.floor(u() * NINTS), pix = Math.floor(u() * PLANE);
    if (used.has(`${i}/${pix}`)) continue; // one jump per ramp
    used.add(`${i}/${pix}`);
    out.push({ i, g: 1 + Math.floor(u() * (NG - 1)), pix, amp: SIGMA * (5 + 45 * u()) });
  }
  return out;
}

function score(gdq: Uint8Array, jumps: Array<{ i: number; g: number; pix: number }>): { found: number; fp: number } {
  const want = new Set(jumps.map((j) => (j.i * NG + j.g) * PLANE + j.pix));
  let hit = 0, fp = 0;
  for (let k = 0; k < gdq.length; k++) {
    if ((gdq[k] & 4) === 0) continue;
    if (want.has(k)) hit++;
    else fp++;
  }
  return { found: jumps.length ? hit / jumps.length : 1, fp: fp / gdq.length };
}

describe('sigma clipping (astropy sigma_clip defaults)', () => {
  it('clips an outlier iteratively and leaves Gaussian noise alone', () => {
    const g = gaussian(5);
    const v = Float64Array.from({ length: 400 }, () => g());
    v[10] = 12; v[20] = 7; v[30] = NaN;
    const clipped = new Uint8Array(400);
    sigmaClip(v, 400, 4, clipped, new Float64Array(400));
    expect(clipped[10]).toBe(1);
    expect(clipped[20]).toBe(1); // 7 sigma: clipped once the 12-sigma value no longer inflates the spread
    expect(clipped[30]).toBe(0);
    expect(clipped.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
  });
});

describe('jump: sigma clipping across integrations (150 ints x 5 groups)', () => {
  it('only_use_ints: finds >= 95% of injected 5-50 sigma jumps with < 1% false positives', async () => {
    const jumps = injected(400, 31);
    const sim = simulateRamps({ nints: NINTS, ngroups: NG, ny: NY, nx: NX, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, jumps, seed: 31 });
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, P);
    expect(res.mode).toBe('sigma-clip');
    const s = score(res.groupdq, jumps);
    expect(s.found).toBeGreaterThanOrEqual(0.95);
    expect(s.fp).toBeLessThan(0.01);
    expect(res.primaryJumps).toBeGreaterThanOrEqual(jumps.length * 0.95);
  });

  it('all groups together (only_use_ints=False): same recovery', async () => {
    const jumps = injected(400, 32);
    const sim = simulateRamps({ nints: NINTS, ngroups: NG, ny: NY, nx: NX, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, jumps, seed: 32 });
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, { ...P, only_use_ints: false });
    expect(res.mode).toBe('sigma-clip');
    const s = score(res.groupdq, jumps);
    expect(s.found).toBeGreaterThanOrEqual(0.95);
    expect(s.fp).toBeLessThan(0.01);
  });

  it('a clean exposure gets no more flags than the Gaussian 4-sigma rate, even with neighbour flagging on', async () => {
    const sim = simulateRamps({ nints: NINTS, ngroups: NG, ny: NY, nx: NX, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, seed: 33 });
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, { ...P, flag_4_neighbors: true });
    expect(res.mode).toBe('sigma-clip');
    const flags = res.groupdq.reduce((a, q) => a + ((q & 4) !== 0 ? 1 : 0), 0);
    const diffs = NINTS * (NG - 1) * PLANE;
    // Two-sided 4-sigma tail 6.3e-5 per difference; allow 5x for the clipped spread estimate.
    expect(flags / diffs).toBeLessThan(5 * 6.3e-5);
  });

  it('below minimum_sigclip_groups the two-point search is used', async () => {
    const sim = simulateRamps({ nints: NINTS, ngroups: NG, ny: 4, nx: 4, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, seed: 34 });
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, { ...P, minimum_sigclip_groups: 151 });
    expect(res.mode).toBe('iterative');
  });
});
