/**
 * jump + ramp_fit on a simulated MIRI SLITLESSPRISM exposure, 20 ints x 50
 * groups x 416 x 72 (29.95 M samples; uint16-quantized reads held as float32,
 * first/last group DO_NOT_USE, ~400 injected jumps), as in
 * ../shared/golden/ramp_fit_jump/bench_stcal.json. Prints samples/s, the
 * ratio to one pass that reads every sample once, the speed-up from 1 worker
 * to all cores, and the total against stcal (JumpStep 2.2 s + RampFitStep 2.1 s
 * on one core). Timed twice: the kernels alone (runJump + runRampFit on typed
 * arrays) and the whole steps (JumpStep.run + RampFitStep.run on an in-memory
 * RampModel: GAIN/READNOISE FITS reading, model copies, rate/rateints product
 * creation, as stcal's timing includes; no file saving). Wall and CPU time
 * (process.cpuUsage, main thread + workers) are printed: a loaded machine
 * inflates wall time. Env: BENCH_NINTS to shrink, WEBBDESK_WORKERS for the pool size.
 * Run: npx tsx bench/ramp-fit-jump.bench.ts
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Header } from '../core/fits/header.ts';
import { writeFits } from '../core/fits/index.node.ts';
import { ndarray } from '../core/ndarray/index.ts';
import type { JwstModel } from '../core/stpipe/index.ts';
import { step as jumpStep } from '../core/steps/jump/index.node.ts';
import { step as rampStep } from '../core/steps/ramp_fit/index.node.ts';
import { fakeContext } from '../test/ramp/context.ts';
import { gaussian, mulberry32 } from '../core/random/index.ts';
import { runJump, type JumpParams } from '../core/steps/jump/run.ts';
import { runRampFit } from '../core/steps/ramp_fit/run.ts';
import { createPool, defaultPoolSize } from '../core/workers/pool.node.ts';
import { shareArray, type KernelPool } from '../core/workers/types.ts';
import { sharedPath, HAVE_SHARED } from '../test/shared.ts';

const NINTS = Number(process.env.BENCH_NINTS ?? 20);
const NG = 50, NY = 416, NX = 72, TG = 0.15904, GAIN = 5.5, RN = 8;
const PLANE = NY * NX;
const N = NINTS * NG * PLANE;

function simulate(): { data: Float32Array; groupdq: Uint8Array; pixeldq: Uint32Array; gain: Float32Array; readnoise: Float32Array } {
  const g = gaussian(7);
  const u = mulberry32(8);
  const data = new Float32Array(N);
  const groupdq = new Uint8Array(N);
  const rate = new Float32Array(PLANE);
  for (let p = 0; p < PLANE; p++) rate[p] = 20 + 200 * u();
  const perRead = RN / Math.SQRT2;
  for (let i = 0; i < NINTS; i++) {
    for (let p = 0; p < PLANE; p++) {
      let acc = 12000;
      const step = rate[p] * TG;
      const sd = Math.sqrt(step / GAIN);
      for (let k = 0; k < NG; k++) {
        acc += step + sd * g();
        data[(i * NG + k) * PLANE + p] = Math.round(acc + perRead * g()); // uint16 quantization
      }
    }
    for (let p = 0; p < PLANE; p++) { groupdq[(i * NG) * PLANE + p] = 1; groupdq[(i * NG + NG - 1) * PLANE + p] = 1; }
  }
  for (let j = 0; j < 20 * NINTS; j++) {
    const i = Math.floor(u() * NINTS), k = 1 + Math.floor(u() * (NG - 2)), p = Math.floor(u() * PLANE), amp = 200 + 2000 * u();
    for (let kk = k; kk < NG; kk++) data[(i * NG + kk) * PLANE + p] += amp;
  }
  return { data, groupdq, pixeldq: new Uint32Array(PLANE), gain: new Float32Array(PLANE).fill(GAIN), readnoise: new Float32Array(PLANE).fill(RN) };
}

const JP: JumpParams = {
  rejection_threshold: 4, three_group_rejection_threshold: 6, four_group_rejection_threshold: 5, flag_4_neighbors: true,
  max_jump_to_flag_neighbors: 1000, min_jump_to_flag_neighbors: 10, after_jump_flag_dn1: 0, after_jump_flag_time1: 0,
  after_jump_flag_dn2: 0, after_jump_flag_time2: 0, minimum_groups: 3, minimum_sigclip_groups: 100, only_use_ints: true, min_diffs_single_pass: 10,
};

async function once(sim: ReturnType<typeof simulate>, pool?: KernelPool): Promise<{ jump: number; ramp: number; flags: number; medRate: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const j = await runJump({ shape: [NINTS, NG, NY, NX], ...sim, groupTime: TG, nframes: 1 }, JP, { pool });
  const t1 = performance.now();
  const r = await runRampFit({ shape: [NINTS, NG, NY, NX], ...sim, groupdq: j.groupdq }, { groupTime: TG, frameTime: TG, nframes: 1, suppressOneGroup: true }, { pool });
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  let flags = 0;
  for (let k = 0; k < j.groupdq.length; k++) if (j.groupdq[k] & 4) flags++;
  const s = Float64Array.from(r.rate.sci).sort();
  return { jump: (t1 - t0) / 1e3, ramp: (t2 - t1) / 1e3, flags, medRate: s[s.length >> 1], cpu: (c.user + c.system) / 1e6 };
}

function defaults(spec: Record<string, { default: unknown }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, v.default]));
}

async function writeRefs(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [type, ext, v] of [['gain', 'SCI', GAIN], ['readnoise', 'SCI', RN]] as const) {
    const file = path.join(dir, `${type}.fits`);
    await writeFits(file, [{ header: new Header().set('REFTYPE', type.toUpperCase()) },
      { header: new Header().set('EXTNAME', ext), image: ndarray(new Float32Array(PLANE).fill(v), [NY, NX]) }]);
    out[type] = file;
  }
  return out;
}

/** JumpStep.run then RampFitStep.run, as strun runs them (without saving files). */
async function stepsOnce(sim: ReturnType<typeof simulate>, refs: Record<string, string>, pool?: KernelPool): Promise<{ wall: number; cpu: number; hash: string }> {
  const model: JwstModel = {
    type: 'RampModel', tables: {}, extras: [],
    meta: { exposure: { group_time: TG, frame_time: TG, nframes: 1, ngroups: NG, nints: NINTS }, subarray: { xstart: 1, ystart: 1, xsize: NX, ysize: NY } },
    arrays: { data: ndarray(sim.data, [NINTS, NG, NY, NX]), groupdq: ndarray(sim.groupdq, [NINTS, NG, NY, NX]), pixeldq: ndarray(sim.pixeldq, [NY, NX]) },
  } as unknown as JwstModel;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const j = await jumpStep.run(model, fakeContext(defaults(jumpStep.spec), refs, pool));
  const [rate, rateints] = await rampStep.run(j, fakeContext(defaults(rampStep.spec), refs, pool));
  const c = process.cpuUsage(c0);
  const arrays = [j.arrays.groupdq, j.arrays.pixeldq, ...[rate, rateints].flatMap((m) => ['data', 'dq', 'var_poisson', 'var_rnoise', 'err'].map((k) => m.arrays[k]))];
  return { wall: (performance.now() - t0) / 1e3, cpu: (c.user + c.system) / 1e6, hash: hashArrays(arrays.map((a) => a.data as ArrayBufferView)) };
}

/** sha256 (first 16 hex digits) of the bytes of the arrays, in order: the bit-identity check of optimisations. */
function hashArrays(arrays: ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 16);
}

function readOnce(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

async function main(): Promise<void> {
  console.log(`simulating ${NINTS} x ${NG} x ${NY} x ${NX} = ${(N / 1e6).toFixed(2)} M samples ...`);
  const sim = simulate();
  let base = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    readOnce(sim.data);
    base = Math.min(base, (performance.now() - t) / 1e3);
  }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const best = (xs: Array<{ jump: number; ramp: number }>): { jump: number; ramp: number } =>
    xs.reduce((a, b) => (a.jump + a.ramp <= b.jump + b.ramp ? a : b));
  const stcal = HAVE_SHARED ? JSON.parse(readFileSync(sharedPath('golden', 'ramp_fit_jump', 'bench_stcal.json'), 'utf8')).best_of_3 : { 1: { JumpStep_s: 2.231, RampFitStep_s: 2.14 } };
  const st = stcal['1'].JumpStep_s + stcal['1'].RampFitStep_s;
  const fmt = (s: number): string => `${s.toFixed(3)} s`;
  const size = defaultPoolSize();
  const probe = shareArray(new Float64Array(8));
  // BENCH_STEPS_ONLY=1: only the whole-step timing (faster when profiling).
  if (process.env.BENCH_STEPS_ONLY !== '1') {
    const inline: Array<Awaited<ReturnType<typeof once>>> = [];
    for (let r = 0; r < rounds; r++) inline.push(await once(sim));
    const pool = createPool({ size });
    const tStart = performance.now();
    await pool.runAll(Array.from({ length: size }, () => ({ kernel: 'test.sum', args: { a: probe, from: 0, to: 8 } }))); // start workers
    const startup = (performance.now() - tStart) / 1e3;
    const pooled: Array<Awaited<ReturnType<typeof once>>> = [];
    for (let r = 0; r < rounds; r++) pooled.push(await once(sim, pool));
    await pool.close();
    const b1 = best(inline), bp = best(pooled);
    const t1 = b1.jump + b1.ramp, tp = bp.jump + bp.ramp;
    console.log(`one read pass (sum of every sample): ${fmt(base)} = ${(N / base / 1e6).toFixed(0)} M samples/s`);
    console.log(`1 worker (inline): jump ${fmt(b1.jump)} + ramp_fit ${fmt(b1.ramp)} = ${fmt(t1)}; ${(N / t1 / 1e6).toFixed(1)} M samples/s; ${(t1 / base).toFixed(1)}x the read pass`);
    console.log(`${size} workers: jump ${fmt(bp.jump)} + ramp_fit ${fmt(bp.ramp)} = ${fmt(tp)}; ${(N / tp / 1e6).toFixed(1)} M samples/s; speed-up ${(t1 / tp).toFixed(2)}x (pool start-up ${fmt(startup)}, not included)`);
    console.log(`stcal (1 core, best of 3): ${fmt(st)}; WebbDesk best ${fmt(Math.min(t1, tp))}: ${(st / Math.min(t1, tp)).toFixed(2)}x faster (goal >= 1.5x)`);
    const cpu1 = Math.min(...inline.map((x) => x.cpu));
    const cpuP = Math.min(...pooled.map((x) => x.cpu));
    console.log(`CPU time (process.cpuUsage; a busy machine inflates wall times): inline ${fmt(cpu1)}, ${size} workers ${fmt(cpuP)}; stcal 1-core wall / WebbDesk inline CPU: ${(st / cpu1).toFixed(2)}x`);
    console.log(`jump flags ${inline[0].flags} (stcal bench: 3753 on its own simulation); median rate ${inline[0].medRate.toFixed(2)} DN/s`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'webbdesk-bench-'));
  try {
    const refs = await writeRefs(dir);
    const steps: Array<{ wall: number; cpu: number; hash: string }> = [];
    for (let r = 0; r < rounds; r++) steps.push(await stepsOnce(sim, refs));
    const sw = Math.min(...steps.map((x) => x.wall)), sc = Math.min(...steps.map((x) => x.cpu));
    console.log(`whole steps inline (JumpStep.run + RampFitStep.run, refs read, products built): wall ${fmt(sw)}, CPU ${fmt(sc)}; stcal ${fmt(st)} / WebbDesk: ${(st / sw).toFixed(2)}x by wall, ${(st / sc).toFixed(2)}x by CPU (goal >= 1.5x)`);
    const stepsP: Array<{ wall: number; cpu: number; hash: string }> = [];
    if (size > 1) {
      const pool2 = createPool({ size });
      await pool2.runAll(Array.from({ length: size }, () => ({ kernel: 'test.sum', args: { a: probe, from: 0, to: 8 } })));
      try {
        for (let r = 0; r < rounds; r++) stepsP.push(await stepsOnce(sim, refs, pool2));
      } finally {
        await pool2.close();
      }
      const pw = Math.min(...stepsP.map((x) => x.wall)), pc = Math.min(...stepsP.map((x) => x.cpu));
      console.log(`whole steps on ${size} workers: wall ${fmt(pw)}, CPU ${fmt(pc)} (all threads); stcal ${fmt(st)} / WebbDesk: ${(st / pw).toFixed(2)}x by wall, ${(st / pc).toFixed(2)}x by CPU`);
    }
    const hashes = new Set([...steps, ...stepsP].map((x) => x.hash));
    console.log(`output hash (GROUPDQ, PIXELDQ, rate and rateints SCI/DQ/VAR_POISSON/VAR_RNOISE/ERR): ${[...hashes].join(' ')}${hashes.size > 1 ? ' MISMATCH between runs' : ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

await main();
