/**
 * Shared pieces of the streamed spec2/tso3 flows: the chunk budget
 * (WEBBDESK_CHUNK_BYTES), chunk models, consistency checks between chunks,
 * and writing a streamed cube product under the pipeline's output name.
 */
import path from 'node:path';
import { getMeta, type Meta } from '../../datamodels/meta.ts';
import { BugError, StepError } from '../../errors/index.ts';
import type { FitsTable } from '../../fits/index.ts';
import type { NDArray } from '../../ndarray/index.ts';
import type { PipelineContext } from '../../stpipe/index.ts';
import { metaSnapshot } from '../../stpipe/model-io.node.ts';
import type { JwstModel, ModelPart } from '../../stpipe/model.ts';
import { concatTables } from '../segments.ts';
import { chunkMeta, restoreMeta, sliceTable, type IntRange } from './plan.ts';
import type { CubeSink } from './sink.node.ts';

/** Default chunk budget: 128 MiB of input planes per chunk. */
export const DEFAULT_CHUNK_BYTES = 128 * 2 ** 20;

/** The chunk budget in bytes from WEBBDESK_CHUNK_BYTES (0 turns streaming off). */
export function chunkBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.WEBBDESK_CHUNK_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_CHUNK_BYTES;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new StepError('bad-parameter', `WEBBDESK_CHUNK_BYTES must be a number of bytes >= 0 (0 = no streaming), got '${raw}'`, { parameter: 'WEBBDESK_CHUNK_BYTES' });
  return v;
}

/** Parameters of a sub-step, or undefined when the context cannot tell (then nothing is streamed). */
export function stepParamsOf(ctx: PipelineContext, name: string): Readonly<Record<string, unknown>> | undefined {
  return ctx.stepParams?.(name);
}

/** The model integrations [r.start, r.stop) are processed as: base + chunk arrays, INT_TIMES rows and integration_start of the chunk. */
export function chunkModel(base: JwstModel, cubes: Readonly<Record<string, NDArray>>, r: IntRange): JwstModel {
  const tables = { ...base.tables };
  if (tables.int_times) tables.int_times = sliceTable(tables.int_times, r.start, r.stop);
  return { ...base, meta: chunkMeta(base.meta, r.start), arrays: { ...base.arrays, ...cubes }, tables };
}

/** The 3-D arrays of a model (leading axis = integrations). */
export function cubesOf(m: JwstModel): Record<string, NDArray> {
  const n = m.arrays.data?.shape.length === 3 ? m.arrays.data.shape[0] : -1;
  return Object.fromEntries(Object.entries(m.arrays).filter(([, a]) => a.shape.length === 3 && a.shape[0] === n));
}

/** The model without its 3-D arrays, meta as for the whole exposure and INT_TIMES of the whole exposure. */
export function templateOf(m: JwstModel, original: JwstModel): JwstModel {
  const cubes = cubesOf(m);
  const arrays = Object.fromEntries(Object.entries(m.arrays).filter(([k]) => !(k in cubes)));
  const tables = { ...m.tables };
  if (original.tables.int_times && tables.int_times) tables.int_times = original.tables.int_times;
  return { ...m, meta: restoreMeta(m.meta, original.meta), arrays, tables };
}

const sameArray = (a: NDArray, b: NDArray): boolean => {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join() || a.data.length !== b.data.length) return false;
  const x = a.data as ArrayLike<number>, y = b.data as ArrayLike<number>;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return false;
  return true;
};

/**
 * Check that a later chunk's product agrees with the template outside the
 * integrations (meta, 2-D arrays): a step whose output depended on which
 * integrations it saw would make the streamed product wrong.
 */
export function checkChunk(template: JwstModel, chunk: JwstModel, original: JwstModel, what: string): void {
  const t = templateOf(chunk, original);
  if (metaSnapshot(t.meta) !== metaSnapshot(template.meta)) throw new BugError(`streamed ${what}: the metadata of a later chunk differs from the first chunk's`);
  for (const [k, a] of Object.entries(template.arrays)) {
    const b = t.arrays[k];
    if (!b || !sameArray(a, b)) throw new BugError(`streamed ${what}: array ${k} of a later chunk differs from the first chunk's`);
  }
}

/** Accumulates per-chunk x1dints products into one (rows concatenated in integration order). */
export class SpectraAccumulator {
  private first: JwstModel | undefined;
  private readonly parts: FitsTable[][] = [];
  private readonly times: FitsTable[] = [];

  /** `original`: the meta of the whole exposure (chunk meta differs in integration_start only). */
  constructor(private readonly original: Meta) {}

  add(chunk: JwstModel): void {
    const x1d = { ...chunk, meta: restoreMeta(chunk.meta, this.original) };
    const parts = x1d.parts ?? [];
    if (!this.first) this.first = x1d;
    else if (parts.length !== this.parts.length || metaSnapshot(x1d.meta) !== metaSnapshot(this.first.meta)
      || parts.some((p, i) => metaSnapshot(p.meta) !== metaSnapshot(this.first!.parts![i]!.meta))) {
      throw new BugError('streamed extract_1d: a later chunk gave spectra with other metadata than the first chunk');
    }
    parts.forEach((p, i) => {
      if (!p.table) throw new BugError('streamed extract_1d: a spectrum without a table');
      (this.parts[i] ??= []).push(p.table);
    });
    if (x1d.tables.int_times) this.times.push(x1d.tables.int_times);
  }

  /** The whole product, meta as for the whole exposure. */
  result(): JwstModel {
    const f = this.first;
    if (!f) throw new BugError('streamed extract_1d: no chunk was extracted');
    const parts: ModelPart[] = (f.parts ?? []).map((p, i) => ({ ...p, table: concatTables(this.parts[i]!, `spectrum ${i + 1}`) }));
    const tables = { ...f.tables };
    if (this.times.length === this.parts[0]?.length && tables.int_times) tables.int_times = concatTables(this.times, 'INT_TIMES');
    return { ...f, parts, tables };
  }
}

/**
 * Save a streamed cube product under the pipeline's name for `suffix`: the
 * pipeline's save writes the template (no 3-D arrays) to learn the name and
 * record the output, then the sink writes the real file over it. Returns the
 * path, or undefined when the pipeline does not save (the sink is discarded).
 */
export async function saveStreamed(ctx: PipelineContext, sink: CubeSink, template: JwstModel, suffix: string, opts?: { readonly base?: string }): Promise<string | undefined> {
  const [file] = await ctx.save(template, suffix, opts);
  if (!file) { await sink.abort(); return undefined; }
  await sink.finish(file, { ...template, meta: { ...template.meta, filename: path.basename(file) } });
  return file;
}

/** meta.exposure.type as a string. */
export const expTypeOf = (m: JwstModel): string => String(getMeta(m.meta, 'exposure.type') ?? '');
