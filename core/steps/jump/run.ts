/**
 * The jump detection driver (pure): decides the detection mode as stcal
 * documents it, splits the frame into row blocks and runs the detection and
 * post-processing kernels on a pool (or inline).
 */
import { InlinePool } from '../../workers/inline.ts';
import { rowBlocks, shareArray, type KernelTask } from '../../workers/types.ts';
import { NO_GAIN_VALUE, type RampCube, type RunOpts } from '../ramp_fit/cube.ts';
import { nanMedianInPlace } from './median.ts';
import { DNU, JUMP, type JumpArrays, type TwoPointParams } from './twopoint.ts';
import type { AfterJumpParams } from './postprocess.ts';

/** Input arrays, C order: data/groupdq [nints, ngroups, ny, nx]; pixeldq/gain/readnoise [ny, nx]. */
export interface JumpInput extends RampCube {
  /** Seconds per group (TGROUP). */
  groupTime: number;
  nframes: number;
}

/** The JumpStep parameters this implementation uses (jwst names). */
export interface JumpParams {
  rejection_threshold: number;
  three_group_rejection_threshold: number;
  four_group_rejection_threshold: number;
  flag_4_neighbors: boolean;
  max_jump_to_flag_neighbors: number;
  min_jump_to_flag_neighbors: number;
  after_jump_flag_dn1: number;
  after_jump_flag_time1: number;
  after_jump_flag_dn2: number;
  after_jump_flag_time2: number;
  minimum_groups: number;
  minimum_sigclip_groups: number;
  only_use_ints: boolean;
  min_diffs_single_pass: number;
}

export interface JumpResult {
  groupdq: Uint8Array;
  pixeldq: Uint32Array;
  /** Jumps found by the detection itself (before neighbours and after-jump flags). */
  primaryJumps: number;
  /** Set when detection was skipped (too few usable groups). */
  skipped?: string;
  mode: 'single-pass' | 'iterative' | 'sigma-clip' | 'skipped';
}


/** Groups whose every pixel is DO_NOT_USE, max over integrations, and their total. */
function flaggedGroups(inp: JumpInput): { max: number; total: number } {
  const [nints, ngroups, ny, nx] = inp.shape;
  const plane = ny * nx;
  let max = 0;
  let total = 0;
  for (let i = 0; i < nints; i++) {
    let n = 0;
    for (let g = 0; g < ngroups; g++) {
      const base = (i * ngroups + g) * plane;
      let all = true;
      for (let p = 0; p < plane && all; p++) if ((inp.groupdq[base + p] & DNU) === 0) all = false;
      if (all) n++;
    }
    max = Math.max(max, n);
    total += n;
  }
  return { max, total };
}

/**
 * After sigma clipping (stcal): in a group where every pixel is JUMP_DET or
 * DO_NOT_USE, pixels flagged exactly JUMP_DET are reset to 0. Returns the
 * number of flags removed (their neighbours are not flagged either).
 */
function resetAllJumpPlanes(gdq: Uint8Array, nbr: Uint8Array, shape: readonly number[]): number {
  const [nints, ngroups, ny, nx] = shape;
  const plane = ny * nx;
  let removed = 0;
  for (let k = 0; k < nints * ngroups; k++) {
    const base = k * plane;
    let all = true;
    for (let q = base; q < base + plane && all; q++) if ((gdq[q] & (JUMP | DNU)) === 0) all = false;
    if (!all) continue;
    for (let q = base; q < base + plane; q++) if (gdq[q] === JUMP) { gdq[q] = 0; nbr[q] = 0; removed++; }
  }
  return removed;
}

function nanMedianF32(a: Float32Array): number {
  const tmp = new Float64Array(a.length);
  let n = 0;
  for (const v of a) if (!Number.isNaN(v)) tmp[n++] = v;
  return Math.fround(nanMedianInPlace(tmp, n));
}

/** Detect jumps; returns new GROUPDQ and PIXELDQ arrays (inputs untouched). */
export async function runJump(inp: JumpInput, prm: JumpParams, opts: RunOpts = {}): Promise<JumpResult> {
  const [nints, ngroups, ny, nx] = inp.shape;
  const pool = opts.pool ?? new InlinePool();
  const pixeldq = inp.pixeldq.slice();
  for (let p = 0; p < pixeldq.length; p++) if (!(inp.gain[p] > 0)) pixeldq[p] |= NO_GAIN_VALUE | DNU;
  const { max, total } = flaggedGroups(inp);
  const minUsableGroups = ngroups - max;
  const totalGroups = nints * ngroups - total;
  // stcal docs, "Jump detection" flow control: A (only_use_ints) counts integrations, B usable groups.
  const sigclip = prm.only_use_ints ? nints >= prm.minimum_sigclip_groups : totalGroups >= prm.minimum_sigclip_groups;
  if (!sigclip && minUsableGroups < prm.minimum_groups) {
    return { groupdq: inp.groupdq.slice(), pixeldq, primaryJumps: 0, mode: 'skipped', skipped: `fewer than minimum_groups=${prm.minimum_groups} usable groups` };
  }
  const shared = pool.size > 1;
  const sh = <T extends Float32Array | Uint8Array>(a: T): T => (shared ? shareArray(a) : a);
  // One copy of GROUPDQ (straight into shared memory on the pool).
  const gdqOut = shared ? new Uint8Array(new SharedArrayBuffer(inp.groupdq.length)) : new Uint8Array(inp.groupdq.length);
  gdqOut.set(inp.groupdq);
  const arrays: JumpArrays = {
    shape: inp.shape, data: sh(inp.data), gdqIn: sh(inp.groupdq), gdqOut,
    nbr: shared ? new Uint8Array(new SharedArrayBuffer(gdqOut.length)) : new Uint8Array(gdqOut.length),
    median: shared ? new Float32Array(new SharedArrayBuffer(ny * nx * 4)) : new Float32Array(ny * nx),
    gain: sh(inp.gain), readnoise: sh(inp.readnoise),
  };
  const detect: TwoPointParams = {
    rejectionThreshold: prm.rejection_threshold, threeGroupThreshold: prm.three_group_rejection_threshold,
    fourGroupThreshold: prm.four_group_rejection_threshold, nframes: inp.nframes,
    singlePass: minUsableGroups - 1 >= prm.min_diffs_single_pass, flag4Neighbors: prm.flag_4_neighbors,
    minJumpToFlagNeighbors: prm.min_jump_to_flag_neighbors, maxJumpToFlagNeighbors: prm.max_jump_to_flag_neighbors,
    sigclip: sigclip ? (prm.only_use_ints ? 'ints' : 'all') : undefined,
  };
  const gmed = nanMedianF32(inp.gain);
  const post: AfterJumpParams = {
    e1: Math.fround(prm.after_jump_flag_dn1 * gmed), n1: Math.floor(prm.after_jump_flag_time1 / inp.groupTime),
    e2: Math.fround(prm.after_jump_flag_dn2 * gmed), n2: Math.floor(prm.after_jump_flag_time2 / inp.groupTime),
    flag4Neighbors: prm.flag_4_neighbors,
  };
  const blocks = rowBlocks(ny, pool.size);
  const total2 = blocks.length * 2;
  const tasks = (kernel: string, params: unknown): KernelTask[] =>
    blocks.map(([row0, row1]) => ({ kernel, args: { arrays, params, row0, row1 } }));
  const counts = await pool.runAll<number>(tasks('jump.detect', detect), {
    signal: opts.signal, onTaskDone: (d) => opts.progress?.(d, total2),
  });
  const reset = sigclip ? resetAllJumpPlanes(gdqOut, arrays.nbr, inp.shape) : 0;
  await pool.runAll(tasks('jump.post', post), {
    signal: opts.signal, onTaskDone: (d) => opts.progress?.(blocks.length + d, total2),
  });
  void nx;
  return {
    groupdq: shared ? gdqOut.slice() : gdqOut, pixeldq,
    primaryJumps: Math.max(0, counts.reduce((a, b) => a + b, 0) - reset),
    mode: sigclip ? 'sigma-clip' : detect.singlePass ? 'single-pass' : 'iterative',
  };
}
