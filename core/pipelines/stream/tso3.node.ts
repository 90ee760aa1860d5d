/**
 * calwebb_tso3 streamed by integration chunks for MIRI LRS slitless TSO
 * members: outlier_detection's rolling median along time (width w =
 * rolling_window_width) only needs the w integrations around each one, so
 * each chunk is processed inside a window with w extra integrations on each
 * side and only the chunk's own integrations are kept (equal to the
 * whole-cube run); their crfints planes go to disk, extract_1d runs on them,
 * the x1dints rows are kept and white_light runs on the combined x1dints.
 *
 * Not streamed (whole-cube flow): w <= 1 or w >= nints (one median of all
 * integrations), imaging/SOSS members, adaptive_trace_model or pixel_replace
 * enabled, a sub-step with save_results. Known difference: outlier_detection
 * uses maskpt only when some pixel of its input is good; a window whose
 * pixels are all flagged would differ from the whole-cube run.
 */
import type { PipelineContext, StepProduct } from '../../stpipe/index.ts';
import { isModel, type JwstModel } from '../../stpipe/model.ts';
import { memberSaveName } from '../../stpipe/naming.ts';
import { membersByType, untagMember } from '../../associations/members.ts';
import { isTso } from '../../steps/extract_1d/run.ts';
import { slice } from '../../ndarray/index.ts';
import { combineSegments } from '../segments.ts';
import { checkChunk, chunkBytes, chunkModel, cubesOf, expTypeOf, saveStreamed, SpectraAccumulator, stepParamsOf, templateOf } from './common.node.ts';
import { chunkMeta, intsPerChunk, restoreMeta, rollingWindows, sliceTable, type IntRange, type WindowedRange } from './plan.ts';
import { CubeSink } from './sink.node.ts';
import { baseOf, chunkSource, cubeSize } from './source.node.ts';

const model = (x: unknown, step: string): JwstModel => {
  if (!isModel(x)) throw new TypeError(`step ${step} returned a non-model product`);
  return x;
};

/** Whether the members are streamed: returns the rolling window width and chunk size, or undefined. */
export function tso3StreamPlan(ctx: PipelineContext, members: readonly JwstModel[]): { w: number; per: number[] } | undefined {
  const budget = chunkBytes();
  if (budget <= 0 || ctx.params.save_results !== true || members.length === 0) return undefined;
  const od = stepParamsOf(ctx, 'outlier_detection');
  if (!od || od.skip === true) return undefined;
  for (const name of ['outlier_detection', 'adaptive_trace_model', 'pixel_replace', 'extract_1d', 'white_light', 'photom', 'tso_photometry']) {
    const p = stepParamsOf(ctx, name);
    if (!p || p.save_results === true) return undefined;
    if ((name === 'adaptive_trace_model' || name === 'pixel_replace') && p.skip !== true) return undefined;
    if (name === 'extract_1d' && p.skip === true) return undefined;
  }
  const w = Number(od.rolling_window_width ?? 25);
  if (!Number.isInteger(w) || w <= 1) return undefined;
  let big = false;
  const per: number[] = [];
  for (const m of members) {
    if ((m.type !== 'CubeModel' && m.type !== 'SlitModel') || expTypeOf(m) !== 'MIR_LRS-SLITLESS' || !isTso(m.meta)) return undefined;
    const { nints, bytesPerInt } = cubeSize(m);
    if (w >= nints || bytesPerInt <= 0) return undefined;
    if (nints * bytesPerInt > budget) big = true;
    per.push(Math.max(w + 1, intsPerChunk(bytesPerInt, budget) - 2 * w));
  }
  return big ? { w, per } : undefined;
}

/** Views of integrations [r.start, r.stop) of a window model starting at integration `from`. */
function core(win: JwstModel, base: JwstModel, from: number, r: IntRange): JwstModel {
  const cubes = Object.fromEntries(Object.entries(cubesOf(win)).map(([k, a]) => [k, slice(a, r.start - from, r.stop - from)]));
  const tables = { ...win.tables };
  if (base.tables.int_times) tables.int_times = sliceTable(base.tables.int_times, r.start, r.stop);
  return { ...win, meta: chunkMeta(restoreMeta(win.meta, base.meta), r.start), arrays: { ...win.arrays, ...cubes }, tables };
}

/** One member: crfints streamed to disk, its x1dints rows returned. */
async function member(ctx: PipelineContext, m: JwstModel, windows: readonly WindowedRange[]): Promise<JwstModel> {
  const src = await chunkSource(m);
  const base = baseOf(m);
  const sink = CubeSink.create(ctx.outputDir);
  const spectra = new SpectraAccumulator(base.meta);
  let template: JwstModel | undefined;
  try {
    for (const { core: r, window } of windows) {
      ctx.signal.throwIfAborted();
      const win = untagMember(model(await ctx.runStep('outlier_detection', chunkModel(base, await src.read(window), window)), 'outlier_detection'));
      const crf = core(win, base, window.start, r);
      if (!template) template = templateOf(crf, base);
      else checkChunk(template, crf, base, 'crfints');
      await sink.append(cubesOf(crf));
      let x = crf;
      for (const name of ['adaptive_trace_model', 'pixel_replace']) x = model(await ctx.runStep(name, x, { skip: true }), name);
      spectra.add(model(await ctx.runStep('extract_1d', x), 'extract_1d'));
      ctx.progress(r.stop, src.nints, 'integrations');
    }
    const n = memberSaveName(m, 'crfints');
    await saveStreamed(ctx, sink, template!, n.suffix, { base: n.base });
    return spectra.result();
  } finally {
    await sink.abort();
    await src.close();
  }
}

/**
 * Run tso3 streamed when tso3StreamPlan says so; returns undefined when not
 * streamed (the caller runs the whole-cube flow), else the combined x1dints.
 */
export async function streamTso3(ctx: PipelineContext, input: JwstModel | readonly JwstModel[]): Promise<StepProduct | undefined> {
  const members = membersByType(input).science ?? [];
  const plan = tso3StreamPlan(ctx, members);
  if (!plan) return undefined;
  const x1ds: JwstModel[] = [];
  for (const [i, m] of members.entries()) {
    const { nints } = cubeSize(m);
    const windows = rollingWindows(nints, plan.per[i]!, plan.w);
    ctx.log.info(`Streaming member ${i + 1}/${members.length}: ${nints} integrations in ${windows.length} chunks of up to ${plan.per[i]} (+${plan.w} each side for the rolling median)`);
    x1ds.push(await member(ctx, m, windows));
  }
  const combined = combineSegments(x1ds);
  await ctx.save(combined, 'x1dints');
  await ctx.save(await ctx.runStep('white_light', combined), 'whtlt');
  return combined;
}
