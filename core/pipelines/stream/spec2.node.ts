/**
 * calwebb_spec2 streamed by integration chunks for a MIRI LRS slitless TSO
 * rateints: every step that runs (assign_wcs, srctype, flat_field, photom,
 * extract_1d) works per integration, so each chunk of integrations is read,
 * run through the same steps via ctx.runStep (same parameters, references
 * and bookkeeping as the whole-cube run), its calints planes appended to the
 * product on disk and its x1dints rows kept; the products equal those of the
 * whole-cube run. Used when the input's planes exceed WEBBDESK_CHUNK_BYTES.
 */
import type { Meta } from '../../datamodels/meta.ts';
import { getMeta } from '../../datamodels/meta.ts';
import type { PipelineContext } from '../../stpipe/index.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { isModel } from '../../stpipe/model.ts';
import { untagMember } from '../../associations/members.ts';
import { isTso } from '../../steps/extract_1d/run.ts';
import { asSlitModel, spec2Applies } from '../modes.ts';
import { checkChunk, chunkBytes, chunkModel, cubesOf, expTypeOf, saveStreamed, SpectraAccumulator, stepParamsOf, templateOf } from './common.node.ts';
import { chunkRanges, intsPerChunk } from './plan.ts';
import { CubeSink } from './sink.node.ts';
import { baseOf, chunkSource, cubeSize, openStreamed } from './source.node.ts';

/** Steps verified to work integration by integration (their output for a chunk equals the chunk of the whole-cube output). */
export const PER_INTEGRATION_SPEC2: ReadonlySet<string> = new Set(['assign_wcs', 'srctype', 'flat_field', 'photom', 'extract_1d']);
const AFTER_CAL = new Set(['adaptive_trace_model', 'pixel_replace']);
const MEMBER_STEPS = new Set(['imprint_subtract', 'bkg_subtract']);

/** Steps of `order` that would run (not forced to skip by the mode rules, missing members or skip=True). */
function runningSteps(ctx: PipelineContext, order: readonly string[], meta: Meta): string[] | undefined {
  const out: string[] = [];
  for (const name of order) {
    const p = stepParamsOf(ctx, name);
    if (!p) return undefined;
    if (p.save_results === true) return undefined; // a sub-step saving its own product would save one file per chunk
    if (MEMBER_STEPS.has(name) || !spec2Applies(name, meta) || p.skip === true) continue;
    out.push(name);
  }
  return out;
}

/**
 * Whether this spec2 product is streamed: a MIRI LRS slitless TSO cube
 * without background/imprint members, saved products, only per-integration
 * steps running, and planes above the chunk budget. Returns integrations per chunk.
 */
export function spec2StreamChunk(ctx: PipelineContext, science: JwstModel, byType: Record<string, JwstModel[]>, order: readonly string[]): number | undefined {
  const budget = chunkBytes();
  if (budget <= 0 || ctx.params.save_results !== true) return undefined;
  if (science.type !== 'CubeModel' || expTypeOf(science) !== 'MIR_LRS-SLITLESS' || !isTso(science.meta)) return undefined;
  if (Object.entries(byType).some(([k, v]) => k !== 'science' && v.length > 0)) return undefined;
  const running = runningSteps(ctx, order, science.meta);
  if (!running || running.some((n) => !PER_INTEGRATION_SPEC2.has(n))) return undefined;
  const { nints, bytesPerInt } = cubeSize(science);
  if (nints < 4 || bytesPerInt <= 0 || nints * bytesPerInt <= budget) return undefined;
  return intsPerChunk(bytesPerInt, budget);
}

/** jwst records the association pool and file ('singleton' for a single file) in the cal product (as spec2.node.ts does). */
function recordAsn(m: JwstModel): JwstModel {
  const asn = (m.meta.asn as Meta | undefined) ?? {};
  const out = untagMember(m);
  return { ...out, meta: { ...out.meta, asn: { ...(out.meta.asn as Meta | undefined), pool_name: asn.pool_name ?? 'singleton', table_name: asn.table_name ?? 'singleton' } } };
}

const model = (x: unknown, step: string): JwstModel => {
  if (!isModel(x)) throw new TypeError(`step ${step} returned a non-model product`);
  return x;
};

/**
 * Run spec2 streamed when spec2StreamChunk says so; returns undefined when
 * the product is not streamed (the caller runs the whole-cube flow), null
 * when assign_wcs was skipped (no product, as the whole-cube flow), else the
 * saved calints as a stream stub.
 */
export async function streamSpec2(ctx: PipelineContext, science: JwstModel, byType: Record<string, JwstModel[]>, order: readonly string[]): Promise<JwstModel | null | undefined> {
  const per = spec2StreamChunk(ctx, science, byType, order);
  if (per === undefined) return undefined;
  const src = await chunkSource(science);
  const base = baseOf(science);
  const ranges = chunkRanges(src.nints, per);
  ctx.log.info(`Streaming ${src.nints} integrations in ${ranges.length} chunks of up to ${per} (WEBBDESK_CHUNK_BYTES ${chunkBytes()})`);
  const sink = CubeSink.create(ctx.outputDir);
  const spectra = new SpectraAccumulator(base.meta);
  const middle = order.filter((n) => n !== 'assign_wcs' && n !== 'extract_1d' && !AFTER_CAL.has(n));
  const after = order.filter((n) => AFTER_CAL.has(n));
  const run = async (name: string, m: JwstModel): Promise<JwstModel> => {
    const skip = MEMBER_STEPS.has(name) || !spec2Applies(name, m.meta);
    return model(await ctx.runStep(name, m, skip ? { skip: true } : undefined), name);
  };
  let template: JwstModel | undefined;
  try {
    for (const r of ranges) {
      ctx.signal.throwIfAborted();
      let m = model(await ctx.runStep('assign_wcs', chunkModel(base, await src.read(r), r)), 'assign_wcs');
      const status = getMeta(m.meta, 'cal_step.assign_wcs');
      if (status !== undefined && status !== 'COMPLETE') {
        ctx.log.warning('Assign_wcs processing was skipped. Aborting remaining processing for this exposure. No output product will be created.');
        return null;
      }
      for (const name of middle) m = await run(name, name === 'srctype' ? asSlitModel(m) : m);
      const cal = recordAsn(m);
      if (!template) template = templateOf(cal, base);
      else checkChunk(template, cal, base, 'calints');
      await sink.append(cubesOf(cal));
      let toExtract = cal;
      for (const name of after) toExtract = await run(name, toExtract);
      spectra.add(model(await ctx.runStep('extract_1d', toExtract), 'extract_1d'));
      ctx.progress(r.stop, src.nints, 'integrations');
    }
    const file = await saveStreamed(ctx, sink, template!, 'calints');
    await ctx.save(spectra.result(), 'x1dints');
    return file ? untagMember(await openStreamed(file)) : template!;
  } finally {
    await sink.abort();
    await src.close();
  }
}
