/**
 * Small MIRI-like ramp simulator for the jump and ramp_fit tests. Reads:
 * pedestal + accumulated Poisson electrons / gain + per-read noise N(0, R/sqrt(2))
 * where R is the CDS READNOISE value (the jwst/stcal convention).
 * Injected jumps add `amp` DN from their group on; reads above `satLevel`
 * are flagged SATURATED from there to the end of the integration.
 */
import { gaussian, mulberry32 } from '../../core/random/index.ts';

export interface SimOptions {
  nints: number;
  ngroups: number;
  ny: number;
  nx: number;
  groupTime: number;
  gain: number;
  readnoise: number;
  /** Rate per pixel (DN/s). */
  rate: (pix: number) => number;
  pedestal?: number;
  satLevel?: number;
  jumps?: Array<{ i: number; g: number; pix: number; amp: number }>;
  seed: number;
}

export interface Sim {
  shape: [number, number, number, number];
  data: Float32Array;
  groupdq: Uint8Array;
  pixeldq: Uint32Array;
  gain: Float32Array;
  readnoise: Float32Array;
}

function poisson(mean: number, u: () => number, g: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * g()));
  let k = 0;
  let p = 1;
  const L = Math.exp(-mean);
  do { k++; p *= u(); } while (p > L);
  return k - 1;
}

export function simulateRamps(o: SimOptions): Sim {
  const { nints, ngroups, ny, nx } = o;
  const plane = ny * nx;
  const data = new Float32Array(nints * ngroups * plane);
  const groupdq = new Uint8Array(data.length);
  const g = gaussian(o.seed);
  const u = mulberry32(o.seed + 1);
  const perRead = o.readnoise / Math.SQRT2;
  const jumpAt = new Map<number, number>();
  for (const j of o.jumps ?? []) jumpAt.set((j.i * ngroups + j.g) * plane + j.pix, j.amp);
  for (let i = 0; i < nints; i++) {
    for (let p = 0; p < plane; p++) {
      let electrons = 0;
      let extra = 0;
      let sat = false;
      const ePerGroup = o.rate(p) * o.groupTime * o.gain;
      for (let k = 0; k < ngroups; k++) {
        const idx = (i * ngroups + k) * plane + p;
        electrons += poisson(ePerGroup, u, g);
        extra += jumpAt.get(idx) ?? 0;
        const v = (o.pedestal ?? 10000) + electrons / o.gain + extra + perRead * g();
        if (o.satLevel !== undefined && (sat || v >= o.satLevel)) sat = true;
        data[idx] = sat ? (o.satLevel as number) : v;
        if (sat) groupdq[idx] = 2;
      }
    }
  }
  return {
    shape: [nints, ngroups, ny, nx], data, groupdq, pixeldq: new Uint32Array(plane),
    gain: new Float32Array(plane).fill(o.gain), readnoise: new Float32Array(plane).fill(o.readnoise),
  };
}

/** The synthetic exposure the jump tests share: group time (s), gain (e/DN), CDS read noise (DN), rate (DN/s). */
export const JUMP_TEST_EXPOSURE = { TG: 2.775, GAIN: 4, RN: 30, RATE: 5 } as const;

/** jwst 3.0 JumpStep defaults for the kernel, neighbour flagging off (tests switch it on where they need it). */
export const JUMP_TEST_PARAMS = {
  rejection_threshold: 4, three_group_rejection_threshold: 6, four_group_rejection_threshold: 5, flag_4_neighbors: false,
  max_jump_to_flag_neighbors: 1000, min_jump_to_flag_neighbors: 10, after_jump_flag_dn1: 0, after_jump_flag_time1: 0,
  after_jump_flag_dn2: 0, after_jump_flag_time2: 0, minimum_groups: 3, minimum_sigclip_groups: 100, only_use_ints: true, min_diffs_single_pass: 10,
} as const;
