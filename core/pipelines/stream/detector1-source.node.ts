/**
 * Where the row blocks of an uncal ramp come from: a file-backed "ramp stub"
 * (a RampModel whose meta, headers, tables, 2-D arrays and carried HDUs are
 * loaded, and whose N-D arrays with the frame's rows (SCI, GROUPDQ, ZEROFRAME,
 * ...) stay on disk and are read row block by row block with
 * FitsFile.readRows), or an in-memory ramp (rows copied out). A stub is marked
 * by a symbol property, which object spreads carry along.
 */
import { allocData, ndarray, type DType, type NDArray } from '../../ndarray/index.ts';
import { FitsFile } from '../../fits/index.node.ts';
import { loadModel, readModelHeader } from '../../stpipe/model-io.node.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import { axesOf, loadStubWhole, readStub, type LazyArray } from './stub.node.ts';
import { cropRows, isRowArray, type RowRange } from './detector1-plan.ts';

/** An array left on disk: attribute, HDU index, element type and shape (numpy order, last two axes ny, nx). */
export type LazyRows = LazyArray;

export interface RampStreamInfo {
  readonly path: string;
  readonly arrays: readonly LazyRows[];
}

const RAMP_STREAM = Symbol.for('webbdesk.pipelines.stream.ramp');
type Stubbed = JwstModel & { [RAMP_STREAM]?: RampStreamInfo };

/** The stream description of a ramp stub, or undefined for an ordinary model. */
export function rampStreamInfo(m: JwstModel): RampStreamInfo | undefined {
  return (m as Stubbed)[RAMP_STREAM];
}

/**
 * Open an uncal/ramp file (RampModel) as a stub: everything loadModel
 * loads, except the arrays of three or more axes ending in the SCI frame's
 * (ny, nx), which stay on disk. Other products are loaded whole.
 */
export async function openStreamedRamp(path: string): Promise<JwstModel> {
  const { type, meta } = await readModelHeader(path);
  if (type !== 'RampModel') return loadModel(path);
  const file = await FitsFile.open(path);
  try {
    const sci = file.find('SCI');
    if (!sci || axesOf(sci).length !== 4) return loadModel(path);
    const [ny, nx] = axesOf(sci).slice(2) as [number, number];
    const { model, lazy } = await readStub(path, file, type, meta, (shape) => shape.length >= 3 && shape[shape.length - 2] === ny && shape[shape.length - 1] === nx);
    (model as Stubbed)[RAMP_STREAM] = { path, arrays: lazy };
    return model;
  } finally {
    await file.close();
  }
}

/** An ordinary model: a stub is loaded whole (its meta and tags kept); others are returned as they are. */
export async function materializeRamp(m: JwstModel): Promise<JwstModel> {
  return loadStubWhole(m, RAMP_STREAM, rampStreamInfo(m)?.path);
}

/** Shape of SCI (nints, ngroups, ny, nx) and its element type, stub or loaded; undefined without a 4-D SCI. */
export function rampShape(m: JwstModel): { shape: readonly number[]; dtype: DType } | undefined {
  const lazy = rampStreamInfo(m)?.arrays.find((a) => a.attr === 'data');
  if (lazy) return lazy.shape.length === 4 ? { shape: lazy.shape, dtype: lazy.dtype } : undefined;
  const d = m.arrays.data;
  return d && d.shape.length === 4 ? { shape: d.shape, dtype: d.dtype } : undefined;
}

/** Reads the rows of every row array of a ramp. */
export interface RowSource {
  /** Row arrays by attribute, rows [r.start, r.stop) of every plane. */
  read(r: RowRange): Promise<Record<string, NDArray>>;
  close(): Promise<void>;
}

class FileRows implements RowSource {
  constructor(private readonly file: FitsFile, private readonly arrays: readonly LazyRows[]) {}

  async read(r: RowRange): Promise<Record<string, NDArray>> {
    const out: Record<string, NDArray> = {};
    for (const a of this.arrays) {
      const lead = a.shape.slice(0, -2);
      const nx = a.shape[a.shape.length - 1]!;
      const planes = lead.reduce((p, k) => p * k, 1);
      const rows = r.stop - r.start;
      const data = allocData(a.dtype, planes * rows * nx) as unknown as { set(x: ArrayLike<unknown>, o: number): void };
      const idx = lead.map(() => 0);
      for (let p = 0; p < planes; p++) {
        data.set((await this.file.readRows(a.index, idx, r.start, r.stop)).data as ArrayLike<unknown>, p * rows * nx);
        for (let k = idx.length - 1; k >= 0; k--) { if (++idx[k]! < lead[k]!) break; idx[k] = 0; }
      }
      out[a.attr] = ndarray(data as never, [...lead, rows, nx]);
    }
    return out;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

class MemoryRows implements RowSource {
  constructor(private readonly arrays: Readonly<Record<string, NDArray>>) {}
  async read(r: RowRange): Promise<Record<string, NDArray>> {
    return Object.fromEntries(Object.entries(this.arrays).map(([k, a]) => [k, cropRows(a, r.start, r.stop)]));
  }
  async close(): Promise<void> {}
}

/** The arrays of a loaded ramp that are cut by rows (last two axes ny, nx). */
export function rowArraysOf(m: JwstModel, ny: number, nx: number): Record<string, NDArray> {
  return Object.fromEntries(Object.entries(m.arrays).filter(([, a]) => isRowArray(a, ny, nx)));
}

/** A row reader for a stub (from its file, N-D arrays; its 2-D arrays are in memory) or a loaded ramp. */
export async function rowSource(m: JwstModel, ny: number, nx: number): Promise<RowSource> {
  const info = rampStreamInfo(m);
  const mem = new MemoryRows(rowArraysOf(m, ny, nx));
  if (!info) return mem;
  const file = new FileRows(await FitsFile.open(info.path), info.arrays);
  return {
    read: async (r) => ({ ...(await mem.read(r)), ...(await file.read(r)) }),
    close: () => file.close(),
  };
}

/** The ramp without its row arrays and stream mark (what each block adds its rows to). */
export function rampBase(m: JwstModel, ny: number, nx: number): JwstModel {
  const { [RAMP_STREAM]: _drop, ...rest } = m as Stubbed;
  return { ...rest, arrays: Object.fromEntries(Object.entries(m.arrays).filter(([, a]) => !isRowArray(a, ny, nx))) };
}

/**
 * Working bytes of one row while it is processed: every sample of the row
 * arrays of three or more axes (SCI, GROUPDQ, ...) counted as float32, the
 * type the steps compute in (a uint16 uncal takes twice its size once
 * calibrated). Stub or loaded.
 */
export function bytesPerRow(m: JwstModel, ny: number, nx: number): number {
  const lazy = (rampStreamInfo(m)?.arrays ?? []).map((a) => a.shape);
  const loaded = Object.values(rowArraysOf(m, ny, nx)).filter((a) => a.shape.length >= 3).map((a) => a.shape);
  return [...lazy, ...loaded].reduce((n, shape) => n + (shape.reduce((p, k) => p * k, 1) / ny) * 4, 0);
}
