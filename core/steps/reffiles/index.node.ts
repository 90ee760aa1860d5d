/**
 * Reading reference files in their real formats (FITS: primary header with
 * REFTYPE/SUBARRAY/SUBSTRT*, image extensions SCI/DQ/COEFFS/..., DQ_DEF and
 * other tables) for the calwebb_detector1 steps.
 */
import { FitsFile } from '../../fits/index.node.ts';
import type { FitsTable, Header } from '../../fits/index.ts';
import type { NDArray } from '../../ndarray/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { StepError } from '../../errors/index.ts';
import type { ReferenceChoice, StepContext } from '../../stpipe/types.ts';
import type { Window } from './subarray.ts';
import type { DqDefRow } from './dqdef.ts';

export * from './subarray.ts';
export * from './dqdef.ts';

/** A reference file read into memory: primary header, images by EXTNAME, tables by EXTNAME. */
export interface RefFile {
  readonly path: string;
  readonly primary: Header;
  readonly images: Record<string, NDArray>;
  readonly headers: Record<string, Header>;
  readonly tables: Record<string, FitsTable>;
}

/** Read every image and table HDU of a FITS reference file (they are small). */
export async function readRefFile(path: string): Promise<RefFile> {
  const ff = await FitsFile.open(path);
  try {
    const images: Record<string, NDArray> = {};
    const tables: Record<string, FitsTable> = {};
    const headers: Record<string, Header> = {};
    for (const h of ff.hdus) {
      if (h.index === 0) continue;
      const name = (h.extname ?? `HDU${h.index}`).toUpperCase();
      headers[name] = h.header;
      if (h.type === 'IMAGE') images[name] = await ff.readImage(h.index);
      else if (h.type === 'BINTABLE') tables[name] = await ff.readTable(h.index);
    }
    return { path, primary: ff.hdus[0].header, images, headers, tables };
  } finally {
    await ff.close();
  }
}

/** An image extension as float32 (converting integer types), or throw naming file and EXTNAME. */
export function refFloat(ref: RefFile, extname: string): NDArray<'float32'> {
  const a = ref.images[extname];
  if (!a) throw new StepError('ref-missing-ext', `reference file has no ${extname} image extension`, { file: ref.path, extname });
  if (a.dtype === 'float32') return a as NDArray<'float32'>;
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  return ndarray(out, a.shape);
}

/** An image extension as uint32 (DQ), or undefined when absent. */
export function refDq(ref: RefFile, extname = 'DQ'): NDArray<'uint32'> | undefined {
  const a = ref.images[extname];
  if (!a) return undefined;
  if (a.dtype === 'uint32') return a as NDArray<'uint32'>;
  const out = new Uint32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]) >>> 0;
  return ndarray(out, a.shape);
}

/** The DQ_DEF rows (VALUE, NAME), or undefined when the file has no DQ_DEF table. */
export function refDqDef(ref: RefFile): DqDefRow[] | undefined {
  const t = ref.tables['DQ_DEF'];
  if (!t) return undefined;
  const col = (n: string) => t.columns.find((c) => c.name.toUpperCase() === n);
  const v = col('VALUE');
  const nm = col('NAME');
  if (!v || !nm) throw new StepError('ref-dqdef', 'DQ_DEF table lacks VALUE or NAME', { file: ref.path, extname: 'DQ_DEF' });
  const rows: DqDefRow[] = [];
  for (let i = 0; i < t.nrows; i++) {
    rows.push({ value: Number((v.data as ArrayLike<number | bigint>)[i]) >>> 0, name: String((nm.data as ArrayLike<unknown>)[i]) });
  }
  return rows;
}

/** The window a reference array covers, from its primary header (full frame (1,1) when SUBSTRT* are absent). */
export function refWindow(ref: RefFile, arr: NDArray): Window {
  const nd = arr.shape.length;
  const h = ref.primary;
  return {
    xstart: h.getInt('SUBSTRT1') ?? 1,
    ystart: h.getInt('SUBSTRT2') ?? 1,
    xsize: h.getInt('SUBSIZE1') ?? arr.shape[nd - 1],
    ysize: h.getInt('SUBSIZE2') ?? arr.shape[nd - 2],
  };
}

/** The reference file path for `reftype`, or undefined when it is not applicable (N/A). */
export async function referencePathOrNA(ctx: StepContext, reftype: string): Promise<string | undefined> {
  const r: ReferenceChoice = await ctx.reference(reftype);
  if (r.kind === 'not-applicable') return undefined;
  return r.path;
}
