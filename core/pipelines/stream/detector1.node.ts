/**
 * calwebb_detector1 streamed by row blocks for MIRI subarray exposures whose
 * SCI exceeds WEBBDESK_CHUNK_BYTES. jump and ramp_fit work on every group of
 * every integration of a pixel, so the ramp is cut along rows: each block's
 * rows (plus a halo, detector1-plan.ts) of every plane are read, run through
 * the same steps via ctx.runStep (same parameters, references, bookkeeping),
 * the halo is dropped and the core rows of the calibrated ramp and rateints
 * are written into their files in place (detector1-out.node.ts); the rate is
 * assembled in memory. Products equal the whole-exposure run. Core rows per
 * block: WEBBDESK_CHUNK_BYTES over the row's working bytes (float32 samples
 * of every 3+-D row array, detector1-source.node.ts bytesPerRow).
 *
 * Streamed only when every step that runs is row-local: group_scale,
 * dq_init, saturation, ipc, firstframe, lastframe, reset, linearity, rscd,
 * dark_current, refpix (skipped for MIRI subarrays), jump, ramp_fit,
 * gain_scale. Not streamed (whole-exposure flow): NIR, MIRI full frame
 * (refpix would run), emicorr or another tail step enabled, a sub-step with
 * save_results, jump after_jump_flag_dn1/dn2 (median gain of the frame).
 * Frame-wide decisions of jump are checked: the (integration, group) planes
 * where every pixel is DO_NOT_USE must be the same in every block as in the
 * frame (else StepError 'stream-not-exact'); primary_cosmic_rays is
 * recomputed from the blocks' core-row counts. Assumed: IPC kernels up to 5x5.
 * Known difference: with sigma clipping (>= minimum_sigclip_groups
 * integrations) jump unflags a plane whose every pixel is JUMP_DET or
 * DO_NOT_USE; a block whose plane is so while the frame's is not would differ.
 */
import { getMeta, setMeta, type Meta } from '../../datamodels/meta.ts';
import { StepError } from '../../errors/index.ts';
import { DTYPE_BYTES } from '../../ndarray/index.ts';
import type { PipelineContext, PipelineDefinition, StepProduct } from '../../stpipe/index.ts';
import { isModel, type JwstModel } from '../../stpipe/model.ts';
import { asModel, runChain } from '../flow.ts';
import { detector1Applies, instrument } from '../modes.ts';
import { chunkBytes, stepParamsOf } from './common.node.ts';
import { allDnuPlanes, cropRows, detector1Halo, isRowArray, restoreRowsMeta, rowBlocks, rowsMeta, rowsPerBlock, type RowRange } from './detector1-plan.ts';
import { RateAccumulator, StreamedProduct } from './detector1-out.node.ts';
import { bytesPerRow, rampBase, rampShape, rampStreamInfo, rowSource } from './detector1-source.node.ts';

/** Steps verified row-local (their output rows equal the whole-frame output's, given a halo). */
export const ROW_LOCAL_DETECTOR1: ReadonlySet<string> = new Set([
  'group_scale', 'dq_init', 'saturation', 'ipc', 'firstframe', 'lastframe', 'reset', 'linearity', 'rscd', 'dark_current', 'refpix', 'jump', 'ramp_fit', 'gain_scale',
]);

export interface Detector1StreamPlan {
  readonly shape: readonly [number, number, number, number];
  readonly per: number;
  readonly halo: number;
  readonly jump: boolean;
}

const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** Why the exposure is not streamed (undefined: streamed), given the sub-steps' parameters. */
function notStreamable(ctx: PipelineContext, science: JwstModel, order: readonly string[], ny: number, nx: number): string | undefined {
  if (instrument(science.meta) !== 'MIRI') return 'only MIRI is streamed';
  const xsize = num(getMeta(science.meta, 'subarray.xsize'), nx), ysize = num(getMeta(science.meta, 'subarray.ysize'), ny);
  if (xsize >= 1032 && ysize >= 1024) return 'MIRI full frame (refpix uses whole columns)';
  const lazy = rampStreamInfo(science)?.arrays ?? [];
  const odd = Object.entries(science.arrays).find(([, a]) => !isRowArray(a, ny, nx)) ?? lazy.find((a) => a.shape.length < 2);
  if (odd) return `array ${Array.isArray(odd) ? odd[0] : odd.attr} is not cut by rows`;
  for (const name of order) {
    const p = stepParamsOf(ctx, name);
    if (!p) return 'the sub-step parameters are not known';
    if (p.save_results === true) return `${name} saves its own product`;
    if (!ROW_LOCAL_DETECTOR1.has(name) && detector1Applies(name, science.meta) && p.skip !== true) return `${name} is not row-local`;
  }
  const jump = stepParamsOf(ctx, 'jump')!;
  if (num(jump.after_jump_flag_dn1, 0) !== 0 || num(jump.after_jump_flag_dn2, 0) !== 0) return 'jump after_jump_flag_dn1/dn2 use the median gain of the frame';
  return undefined;
}

/** The row-block plan, or undefined when the exposure is processed whole. `order`: every step run, ramp_fit and gain_scale included. */
export function detector1StreamPlan(ctx: PipelineContext, science: JwstModel, order: readonly string[]): Detector1StreamPlan | undefined {
  const budget = chunkBytes();
  const rs = rampShape(science);
  if (budget <= 0 || !rs) return undefined;
  const shape = rs.shape as [number, number, number, number];
  const [, , ny, nx] = shape;
  if (shape.reduce((p, k) => p * k, 1) * DTYPE_BYTES[rs.dtype] <= budget) return undefined;
  const why = notStreamable(ctx, science, order, ny, nx);
  if (why) {
    ctx.log.info(`SCI exceeds WEBBDESK_CHUNK_BYTES (${budget}) but is processed whole: ${why}`);
    return undefined;
  }
  const per = rowsPerBlock(bytesPerRow(science, ny, nx), budget);
  if (per >= ny) return undefined;
  const halo = detector1Halo(num(stepParamsOf(ctx, 'saturation')!.n_pix_grow_sat, 1));
  const jumpRuns = stepParamsOf(ctx, 'jump')!.skip !== true;
  return { shape, per, halo, jump: jumpRuns };
}

/** Rows `r` of a model that holds rows `holds` of the exposure (row arrays cropped), with `meta`. */
function subRows(m: JwstModel, holds: RowRange, r: RowRange, meta: Meta): JwstModel {
  const rows = holds.stop - holds.start;
  const nx = m.arrays.data!.shape[m.arrays.data!.shape.length - 1]!;
  const arrays = Object.fromEntries(Object.entries(m.arrays).map(([k, a]) => [k, isRowArray(a, rows, nx) ? cropRows(a, r.start - holds.start, r.stop - holds.start) : a]));
  return { ...m, meta, arrays };
}

/** Primary jumps a jump output reports for `rows` rows (jump: 1000 * n / (group_time * usable * rows * nx)). */
function primaryJumps(out: JwstModel, dnu: Uint8Array, nints: number, ngroups: number, rows: number, nx: number): number {
  const usable = nints * ngroups - dnu.reduce((a, b) => a + b, 0) - nints;
  const v = getMeta(out.meta, 'exposure.primary_cosmic_rays');
  if (usable < 1 || typeof v !== 'number') return 0;
  return Math.round((v * Number(getMeta(out.meta, 'exposure.group_time')) * usable * rows * nx) / 1000);
}

const gdqOf = (m: JwstModel, n: number): Uint8Array => (m.arrays.groupdq?.data as Uint8Array | undefined) ?? new Uint8Array(n);

/** Jump-related state over the blocks: frame DNU planes (AND of core rows), per-window DNU planes, primary jumps of core rows. */
class JumpTally {
  readonly frame: Uint8Array;
  readonly seen: Uint8Array[] = [];
  pj = 0;
  constructor(readonly shape: readonly [number, number, number, number]) {
    this.frame = new Uint8Array(shape[0] * shape[1]).fill(1);
  }

  dnu(m: JwstModel, rows: number, from = 0, to = rows): Uint8Array {
    const [nints, ngroups, , nx] = this.shape;
    return allDnuPlanes(gdqOf(m, nints * ngroups * rows * nx), [nints, ngroups, rows, nx], from, to);
  }

  check(): void {
    if (this.seen.some((s) => s.some((v, k) => v !== this.frame[k]))) {
      throw new StepError('stream-not-exact', 'streamed calwebb_detector1: some rows have groups where every pixel is DO_NOT_USE while the whole frame has not (jump decides on whole frames); run with WEBBDESK_CHUNK_BYTES=0 to process the exposure whole');
    }
  }
}

/**
 * Count the primary jumps of the core rows of a block: the count over the
 * rows jump saw (core and its neighbour rows) minus those of the neighbour
 * rows, each run alone through jump (detection is per pixel).
 */
async function corePrimaryJumps(ctx: PipelineContext, pre: JwstModel, jr: RowRange, core: RowRange, out: JwstModel, tally: JumpTally, original: Meta): Promise<number> {
  const [nints, ngroups, , nx] = tally.shape;
  const rows = jr.stop - jr.start;
  const wdnu = tally.dnu(pre, rows);
  tally.seen.push(wdnu);
  let pj = primaryJumps(out, wdnu, nints, ngroups, rows, nx);
  for (const y of [core.start - 1, core.stop]) {
    if (y < jr.start || y >= jr.stop) continue;
    const r1 = { start: y, stop: y + 1 };
    const ring = subRows(pre, jr, r1, rowsMeta(restoreRowsMeta(pre.meta, original), r1));
    const exp = ring.meta.exposure as Meta | undefined;
    if (exp) delete exp.primary_cosmic_rays;
    const rdnu = tally.dnu(ring, 1);
    tally.seen.push(rdnu);
    pj -= primaryJumps(asModel(await ctx.runStep('jump', ring), 'jump'), rdnu, nints, ngroups, 1, nx);
  }
  return pj;
}

function splitFit(fit: StepProduct): [JwstModel, JwstModel | null] {
  if (Array.isArray(fit)) return [asModel(fit[0] ?? null, 'ramp_fit'), fit[1] && isModel(fit[1]) ? fit[1] : null];
  return [asModel(fit as StepProduct, 'ramp_fit'), null];
}

/**
 * Run calwebb_detector1 by row blocks when detector1StreamPlan says so;
 * returns undefined when not streamed (the caller runs the whole flow),
 * else the rate model (in memory; ramp and rateints saved from disk).
 */
export async function streamDetector1(ctx: PipelineContext, pipeline: PipelineDefinition, science: JwstModel, rampSteps: readonly string[]): Promise<JwstModel | undefined> {
  const plan = detector1StreamPlan(ctx, science, [...rampSteps, 'ramp_fit', 'gain_scale']);
  if (!plan) return undefined;
  const [nints, ngroups, ny, nx] = plan.shape;
  const blocks = rowBlocks(ny, plan.per, plan.halo);
  ctx.log.info(`Streaming ${ny} rows in ${blocks.length} blocks of up to ${plan.per} rows (+${plan.halo} each side), ${nints} integrations x ${ngroups} groups (WEBBDESK_CHUNK_BYTES ${chunkBytes()})`);
  const at = rampSteps.indexOf('jump');
  const pre = at < 0 ? [...rampSteps] : rampSteps.slice(0, at), post = at < 0 ? [] : rampSteps.slice(at);
  const src = await rowSource(science, ny, nx);
  const base = rampBase(science, ny, nx);
  const original = base.meta;
  const tally = new JumpTally(plan.shape);
  const rate = new RateAccumulator(ny);
  const saveRamp = ctx.params.save_calibrated_ramp === true;
  let ramp: StreamedProduct | undefined, rateints: StreamedProduct | undefined;
  let opened = false;
  try {
    for (const b of blocks) {
      ctx.signal.throwIfAborted();
      const w = b.window;
      const coreOf = (m: JwstModel): JwstModel => ({ ...m, meta: restoreRowsMeta(m.meta, original) });
      let m: JwstModel = { ...base, meta: rowsMeta(original, w), arrays: { ...base.arrays, ...(await src.read(w)) } };
      m = await runChain(ctx, pipeline, pre, m);
      // jump needs the core rows and their 4-neighbours only (all exact given the halo).
      const jr = { start: Math.max(0, b.core.start - 1), stop: Math.min(ny, b.core.stop + 1) };
      const beforeJump = subRows(m, w, jr, rowsMeta(restoreRowsMeta(m.meta, original), jr));
      m = await runChain(ctx, pipeline, post, beforeJump);
      if (plan.jump && at >= 0) {
        const core = tally.dnu(beforeJump, jr.stop - jr.start, b.core.start - jr.start, b.core.stop - jr.start);
        for (let k = 0; k < tally.frame.length; k++) tally.frame[k]! &= core[k]!;
        tally.pj += await corePrimaryJumps(ctx, beforeJump, jr, b.core, m, tally, original);
      }
      m = subRows(m, jr, b.core, rowsMeta(restoreRowsMeta(m.meta, original), b.core));
      const [r, ri] = splitFit(await ctx.runStep('ramp_fit', m));
      const riScaled = ri ? coreOf(asModel(await ctx.runStep('gain_scale', ri), 'gain_scale')) : undefined;
      const rScaled = coreOf(asModel(await ctx.runStep('gain_scale', r), 'gain_scale'));
      if (!opened) {
        opened = true;
        if (saveRamp) ramp = await StreamedProduct.open(ctx, coreOf(m), 'ramp', ny);
        if (riScaled) rateints = await StreamedProduct.open(ctx, riScaled, 'rateints', ny);
      }
      if (ramp) await ramp.put(coreOf(m), b.core);
      if (rateints && riScaled) await rateints.put(riScaled, b.core);
      rate.add(rScaled, b.core);
      ctx.progress(b.core.stop, ny, 'rows');
    }
    if (plan.jump && at >= 0) tally.check();
    const fix = (meta: Meta): Meta => finalMeta(meta, tally, plan);
    if (ramp) await ramp.finish(fix);
    if (rateints) await rateints.finish(fix);
    const out = rate.result(fix);
    await ctx.save(out, 'rate');
    return out;
  } finally {
    await ramp?.abort();
    await rateints?.abort();
    await src.close();
  }
}

/** The exposure's primary_cosmic_rays from the core-row counts, as jump computes it on the whole frame. */
function finalMeta(meta: Meta, tally: JumpTally, plan: Detector1StreamPlan): Meta {
  if (!plan.jump) return meta;
  const [nints, ngroups, ny, nx] = plan.shape;
  const usable = nints * ngroups - tally.frame.reduce((a, b) => a + b, 0) - nints;
  if (usable < 1 || getMeta(meta, 'exposure.primary_cosmic_rays') === undefined) return meta;
  const m = structuredClone(meta);
  const t = Number(getMeta(meta, 'meta.exposure.group_time')) * usable;
  setMeta(m, 'meta.exposure.primary_cosmic_rays', (1000 * tally.pj) / (t * ny * nx));
  return m;
}
