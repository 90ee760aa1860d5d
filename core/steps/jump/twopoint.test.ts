import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../random/index.ts';
import { JUMP_TEST_EXPOSURE, JUMP_TEST_PARAMS, simulateRamps } from '../../../test/ramp/simulate.ts';
import { runJump, type JumpParams } from './run.ts';

const { TG, GAIN, RN, RATE } = JUMP_TEST_EXPOSURE;
const P: JumpParams = { ...JUMP_TEST_PARAMS };

/** Inject jumps of 5..30 sigma (sigma of a first difference, DN) and measure recovery and false positives. */
async function recovery(ngroups: number, njumps: number, seed: number) {
  const ny = 60, nx = 60, nints = 2;
  const sigma = Math.sqrt(RN * RN + (RATE * TG) / GAIN);
  const u = mulberry32(seed);
  const jumps: Array<{ i: number; g: number; pix: number; amp: number }> = [];
  const used = new Set<number>();
  while (jumps.length < njumps) {
    const pix = Math.floor(u() * ny * nx);
    if (used.has(pix)) continue;
    used.add(pix);
    jumps.push({ i: Math.floor(u() * nints), g: 1 + Math.floor(u() * (ngroups - 1)), pix, amp: sigma * (5 + 25 * u()) });
  }
  const sim = simulateRamps({ nints, ngroups, ny, nx, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, jumps, seed });
  const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, P);
  const plane = ny * nx;
  const injected = new Set(jumps.map((j) => (j.i * ngroups + j.g) * plane + j.pix));
  let hit = 0, fp = 0;
  for (let k = 0; k < res.groupdq.length; k++) {
    if ((res.groupdq[k] & 4) === 0) continue;
    if (injected.has(k)) hit++;
    else fp++;
  }
  return { found: hit / njumps, fpRate: fp / res.groupdq.length, mode: res.mode, input: sim };
}

describe('jump two-point difference (synthetic)', () => {
  it('single pass (20 groups): finds >= 95% of injected jumps above 5 sigma, < 1% false positives', async () => {
    const r = await recovery(20, 300, 21);
    expect(r.mode).toBe('single-pass');
    expect(r.found).toBeGreaterThanOrEqual(0.95);
    expect(r.fpRate).toBeLessThan(0.01);
  });

  it('iterative (8 groups): finds >= 95% of injected jumps above 5 sigma, < 1% false positives', async () => {
    const r = await recovery(8, 300, 22);
    expect(r.mode).toBe('iterative');
    expect(r.found).toBeGreaterThanOrEqual(0.95);
    expect(r.fpRate).toBeLessThan(0.01);
  });

  it('never flags saturated or DO_NOT_USE groups and leaves the input untouched', async () => {
    const sim = simulateRamps({ nints: 1, ngroups: 12, ny: 20, nx: 20, groupTime: TG, gain: GAIN, readnoise: RN, rate: (p) => (p < 200 ? 5 : 3000), satLevel: 30000, seed: 3 });
    for (let p = 0; p < 400; p++) sim.groupdq[p] |= 1; // first group DO_NOT_USE
    const before = Uint8Array.from(sim.groupdq);
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, { ...P, flag_4_neighbors: true, after_jump_flag_dn1: 0, after_jump_flag_time1: 10 });
    let sat = 0;
    for (let k = 0; k < res.groupdq.length; k++) {
      if (before[k] & 3) {
        sat++;
        expect(res.groupdq[k] & 4).toBe(0);
      }
    }
    expect(sat).toBeGreaterThan(400);
    expect(sim.groupdq).toEqual(before);
  });

  it('flags the 4 neighbours of a large jump and the groups after it (after_jump_flag)', async () => {
    const sim = simulateRamps({ nints: 1, ngroups: 20, ny: 9, nx: 9, groupTime: TG, gain: GAIN, readnoise: RN, rate: () => RATE, seed: 4,
      jumps: [{ i: 0, g: 7, pix: 4 * 9 + 4, amp: 3000 }] });
    // 3000 DN is ~100 sigma: within the 10..1000 sigma neighbour limits; above after_jump_flag_dn1 = 1000 DN.
    const res = await runJump({ ...sim, groupTime: TG, nframes: 1 }, { ...P, flag_4_neighbors: true, after_jump_flag_dn1: 1000, after_jump_flag_time1: 3 * TG + 0.1 });
    const at = (g: number, y: number, x: number): number => res.groupdq[g * 81 + y * 9 + x] & 4;
    expect(at(7, 4, 4)).toBe(4);
    for (const [y, x] of [[3, 4], [5, 4], [4, 3], [4, 5]]) expect(at(7, y, x)).toBe(4);
    expect(at(7, 3, 3)).toBe(0);
    for (let g = 8; g <= 10; g++) expect(at(g, 4, 4)).toBe(4);
    expect(at(11, 4, 4)).toBe(0);
  });
});
