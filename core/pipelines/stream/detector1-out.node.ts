/**
 * Products of the row-block detector1 flow: the calibrated ramp and the
 * rateints go to disk block by block (FitsRandomWriter: layout first, then
 * each block's rows of every plane at their positions), the small rate
 * image is assembled in memory. Each product is saved under the pipeline's
 * name (ctx.save of a template without the row arrays, recording the output),
 * then the streamed file replaces it (rename).
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BugError } from '../../errors/index.ts';
import { FitsRandomWriter, type RandomHdu } from '../../fits/index.node.ts';
import { allocData, cStrides, ndarray, type NDArray } from '../../ndarray/index.ts';
import type { PipelineContext } from '../../stpipe/index.ts';
import { metaSnapshot, modelToHdus } from '../../stpipe/model-io.node.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import type { Meta } from '../../datamodels/meta.ts';
import type { RowRange } from './detector1-plan.ts';

/** Meta compared between blocks: everything but the keyword jump derives from its block's count (recomputed at the end). */
export function blockMetaKey(meta: Meta): string {
  const m = structuredClone(meta);
  const exp = m.exposure as Meta | undefined;
  if (exp) delete exp.primary_cosmic_rays;
  return metaSnapshot(m);
}

/** A full-shape stand-in for an array (no data): modelToHdus only needs dtype and shape. */
function placeholder(a: NDArray, ny: number): NDArray {
  const shape = [...a.shape.slice(0, -2), ny, a.shape[a.shape.length - 1]!];
  return { data: allocData(a.dtype, 0), dtype: a.dtype, shape, strides: cStrides(shape) } as NDArray;
}

/** One product written block by block to disk. */
export class StreamedProduct {
  private constructor(
    private readonly ctx: PipelineContext, readonly file: string, private readonly scratch: string,
    private readonly writer: FitsRandomWriter, private readonly hduOf: ReadonlyMap<string, number>,
    private template: JwstModel, private readonly key: string, private readonly ny: number,
  ) {}

  /**
   * Save the template under the pipeline's name for `suffix` and lay the
   * streamed file out (all HDUs but the ASDF extension, made at the end).
   * `first`: the first block's product (its core rows, exposure meta).
   * Returns undefined when the pipeline does not save.
   */
  static async open(ctx: PipelineContext, first: JwstModel, suffix: string, ny: number): Promise<StreamedProduct | undefined> {
    const rows = Object.keys(first.arrays);
    const template: JwstModel = { ...first, arrays: {} };
    const [file] = await ctx.save(template, suffix);
    if (!file) return undefined;
    const full: JwstModel = { ...first, meta: { ...first.meta, filename: path.basename(file) }, arrays: Object.fromEntries(rows.map((k) => [k, placeholder(first.arrays[k]!, ny)])) };
    const { layout, hduOf } = layoutOf(full);
    const scratch = path.join(path.dirname(file), `.webbdesk-d1-${process.pid}-${randomBytes(6).toString('hex')}-${suffix}.fits`);
    const writer = await FitsRandomWriter.create(scratch, layout.slice(0, -1));
    return new StreamedProduct(ctx, file, scratch, writer, hduOf, full, blockMetaKey(first.meta), ny);
  }

  /** Write a block's core rows (the product cropped to them, exposure meta). */
  async put(block: JwstModel, core: RowRange): Promise<void> {
    if (blockMetaKey(block.meta) !== this.key) throw new BugError(`streamed detector1 ${path.basename(this.file)}: the metadata of rows ${core.start}-${core.stop} differ from the first block's`);
    for (const [attr, a] of Object.entries(block.arrays)) {
      const hdu = this.hduOf.get(attr);
      if (hdu === undefined) throw new BugError(`streamed detector1: array ${attr} of rows ${core.start}-${core.stop} is not in the first block`);
      const lead = a.shape.slice(0, -2);
      const nx = a.shape[a.shape.length - 1]!;
      const planes = lead.reduce((p, k) => p * k, 1);
      const n = (core.stop - core.start) * nx;
      const idx = lead.map(() => 0);
      const d = a.data as unknown as { subarray(s: number, e: number): never };
      for (let p = 0; p < planes; p++) {
        await this.writer.writeRows(hdu, idx, core.start, ndarray(d.subarray(p * n, (p + 1) * n), [core.stop - core.start, nx]));
        for (let k = idx.length - 1; k >= 0; k--) { if (++idx[k]! < lead[k]!) break; idx[k] = 0; }
      }
    }
  }

  /** Close with the final meta (headers rewritten, ASDF appended) and move it over the saved template. */
  async finish(fix: (meta: Meta) => Meta): Promise<void> {
    this.template = { ...this.template, meta: { ...fix(this.template.meta), filename: path.basename(this.file) } };
    const { layout } = layoutOf(this.template);
    await this.writer.close(layout);
    try {
      await rename(this.scratch, this.file);
    } catch (e) {
      await unlink(this.scratch).catch(() => undefined);
      throw e;
    }
    this.ctx.log.debug(`streamed ${this.file} (${this.ny} rows)`);
  }

  async abort(): Promise<void> {
    await this.writer.abort();
    await unlink(this.scratch).catch(() => undefined);
  }
}

function layoutOf(m: JwstModel): { layout: RandomHdu[]; hduOf: Map<string, number> } {
  const byArray = new Map<NDArray, string>(Object.entries(m.arrays).map(([k, a]) => [a, k]));
  const hduOf = new Map<string, number>();
  const layout = modelToHdus(m).map((spec, i): RandomHdu => {
    const attr = spec.image ? byArray.get(spec.image) : undefined;
    if (attr === undefined) return { spec };
    hduOf.set(attr, i);
    return { image: { header: spec.header, dtype: spec.image!.dtype, shape: spec.image!.shape } };
  });
  return { layout, hduOf };
}

/** The rate image assembled in memory from the blocks' core rows. */
export class RateAccumulator {
  private model: JwstModel | undefined;
  private key = '';

  constructor(private readonly ny: number) {}

  add(block: JwstModel, core: RowRange): void {
    if (!this.model) {
      this.key = blockMetaKey(block.meta);
      const arrays = Object.fromEntries(Object.entries(block.arrays).map(([k, a]) => {
        const shape = [...a.shape.slice(0, -2), this.ny, a.shape[a.shape.length - 1]!];
        return [k, ndarray(allocData(a.dtype, shape.reduce((p, x) => p * x, 1)) as never, shape)];
      }));
      this.model = { ...block, arrays };
    } else if (blockMetaKey(block.meta) !== this.key) {
      throw new BugError(`streamed detector1 rate: the metadata of rows ${core.start}-${core.stop} differ from the first block's`);
    }
    for (const [k, a] of Object.entries(block.arrays)) {
      const dst = this.model.arrays[k];
      if (!dst || dst.shape.length !== 2) throw new BugError(`streamed detector1 rate: array ${k} is not a 2-D array of the first block`);
      (dst.data as unknown as { set(x: ArrayLike<unknown>, o: number): void }).set(a.data as ArrayLike<unknown>, core.start * dst.shape[1]!);
    }
  }

  result(fix: (meta: Meta) => Meta): JwstModel {
    if (!this.model) throw new BugError('streamed detector1: no block was processed');
    return { ...this.model, meta: fix(this.model.meta) };
  }
}
