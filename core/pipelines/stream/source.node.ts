/**
 * Where the integrations of a streamed TSO cube come from: a file-backed
 * "stream stub" (a CubeModel whose meta, headers, tables, 2-D arrays and
 * carried HDUs are loaded, and whose 3-D planes SCI/ERR/DQ/VAR_* stay on disk
 * and are read chunk by chunk with FitsFile.readPlane), or an in-memory cube
 * (chunks are views, no copy). A stub is marked by a symbol property, which
 * object spreads (tagMember, cloneModel) carry along.
 */
import { readModelHeader, loadModel } from '../../stpipe/model-io.node.ts';
import { FitsFile } from '../../fits/index.node.ts';
import type { FitsTable } from '../../fits/index.ts';
import { MODEL_SPECS } from '../../datamodels/models.ts';
import { ModelError } from '../../errors/index.ts';
import { loadStubWhole, readStub } from './stub.node.ts';
import { DTYPE_BYTES, ndarray, slice, type DType, type NDArray, type TypedArray } from '../../ndarray/index.ts';
import type { JwstModel } from '../../stpipe/model.ts';
import type { IntRange } from './plan.ts';

/** A 3-D image left on disk: its attribute, HDU index, element type and shape (nints, ny, nx). */
export interface LazyPlanes {
  readonly attr: string;
  readonly index: number;
  readonly dtype: DType;
  readonly shape: readonly [number, number, number];
}

export interface StreamInfo {
  readonly path: string;
  readonly planes: readonly LazyPlanes[];
}

const STREAM = Symbol.for('webbdesk.pipelines.stream');
type Stubbed = JwstModel & { [STREAM]?: StreamInfo };

/** The stream description of a stub model, or undefined for an ordinary (loaded) model. */
export function streamInfo(m: JwstModel): StreamInfo | undefined {
  return (m as Stubbed)[STREAM];
}

/**
 * Open a cube of integrations (rateints, calints, crfints: CubeModel or 3-D
 * SlitModel) as a stream stub: everything loadModel would load except the
 * 3-D image HDUs, which stay on disk. Other products are loaded whole (loadModel).
 */
export async function openStreamed(path: string): Promise<JwstModel> {
  const { type, meta } = await readModelHeader(path);
  const spec = MODEL_SPECS[type];
  // Cubes of integrations: rateints/calints (CubeModel; jwst 3.0 writes slitless calints as a 3-D SlitModel).
  if ((type !== 'CubeModel' && type !== 'SlitModel') || !spec || spec.perExtver) return loadModel(path);
  const file = await FitsFile.open(path);
  try {
    const { model, lazy } = await readStub(path, file, type, meta, (shape) => shape.length === 3);
    const planes: LazyPlanes[] = lazy.map((l) => ({ ...l, shape: l.shape as [number, number, number] }));
    if (!planes.some((p) => p.attr === 'data')) return loadModel(path);
    (model as Stubbed)[STREAM] = { path, planes };
    return model;
  } finally {
    await file.close();
  }
}

/** An ordinary model: a stub is loaded whole (its meta, tags and tables kept); others are returned as they are. */
export async function materialize(m: JwstModel): Promise<JwstModel> {
  return loadStubWhole(m, STREAM, streamInfo(m)?.path);
}

/** Reads integration chunks of the 3-D planes of a cube. */
export interface ChunkSource {
  readonly nints: number;
  /** Bytes one integration occupies summed over the 3-D arrays. */
  readonly bytesPerInt: number;
  /** The 3-D arrays for integrations [start, stop) (shape [stop - start, ny, nx]). */
  read(r: IntRange): Promise<Record<string, NDArray>>;
  close(): Promise<void>;
}

const ALLOC: Readonly<Record<DType, new (n: number) => TypedArray>> = {
  uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, float32: Float32Array, float64: Float64Array,
} as Record<DType, new (n: number) => TypedArray>;

class FileSource implements ChunkSource {
  readonly nints: number;
  readonly bytesPerInt: number;
  private constructor(private readonly file: FitsFile, private readonly planes: readonly LazyPlanes[]) {
    this.nints = planes[0]!.shape[0];
    this.bytesPerInt = planes.reduce((n, p) => n + p.shape[1] * p.shape[2] * DTYPE_BYTES[p.dtype], 0);
  }

  static async open(info: StreamInfo): Promise<FileSource> {
    if (info.planes.length === 0) throw new ModelError('no-data', 'the streamed product has no 3-D arrays', { file: info.path });
    return new FileSource(await FitsFile.open(info.path), info.planes);
  }

  async read(r: IntRange): Promise<Record<string, NDArray>> {
    const out: Record<string, NDArray> = {};
    for (const p of this.planes) {
      const n = p.shape[1] * p.shape[2];
      const data = new ALLOC[p.dtype]((r.stop - r.start) * n);
      for (let k = r.start; k < r.stop; k++) data.set((await this.file.readPlane(p.index, [k])).data as never, (k - r.start) * n);
      out[p.attr] = ndarray(data as never, [r.stop - r.start, p.shape[1], p.shape[2]]);
    }
    return out;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

class MemorySource implements ChunkSource {
  readonly nints: number;
  readonly bytesPerInt: number;
  constructor(private readonly cubes: Record<string, NDArray>, nints: number) {
    this.nints = nints;
    this.bytesPerInt = Object.values(cubes).reduce((n, a) => n + a.shape[1]! * a.shape[2]! * DTYPE_BYTES[a.dtype], 0);
  }

  async read(r: IntRange): Promise<Record<string, NDArray>> {
    return Object.fromEntries(Object.entries(this.cubes).map(([k, a]) => [k, slice(a, r.start, r.stop)]));
  }

  async close(): Promise<void> {}
}

/** The 3-D arrays of an in-memory cube whose leading axis is the integrations. */
function memoryCubes(m: JwstModel): Record<string, NDArray> {
  const nints = m.arrays.data?.shape.length === 3 ? m.arrays.data.shape[0]! : 0;
  return Object.fromEntries(Object.entries(m.arrays).filter(([, a]) => a.shape.length === 3 && a.shape[0] === nints));
}

/** Number of integrations and bytes per integration of a model (stub or loaded), without reading data. */
export function cubeSize(m: JwstModel): { nints: number; bytesPerInt: number } {
  const info = streamInfo(m);
  if (info) {
    const nints = info.planes[0]?.shape[0] ?? 0;
    return { nints, bytesPerInt: info.planes.reduce((n, p) => n + p.shape[1] * p.shape[2] * DTYPE_BYTES[p.dtype], 0) };
  }
  const cubes = Object.values(memoryCubes(m));
  return { nints: cubes[0]?.shape[0] ?? 0, bytesPerInt: cubes.reduce((n, a) => n + a.shape[1]! * a.shape[2]! * DTYPE_BYTES[a.dtype], 0) };
}

/** A chunk reader for a stub (from its file) or a loaded cube (views). */
export async function chunkSource(m: JwstModel): Promise<ChunkSource> {
  const info = streamInfo(m);
  if (info) return FileSource.open(info);
  const cubes = memoryCubes(m);
  return new MemorySource(cubes, Object.values(cubes)[0]?.shape[0] ?? 0);
}

/** The model a chunk is processed as: same meta/headers/tables/extras, no 3-D arrays, no stream mark. */
export function baseOf(m: JwstModel): JwstModel {
  const { [STREAM]: _drop, ...rest } = m as Stubbed;
  const cubes = new Set(Object.keys(memoryCubes(m)));
  return { ...rest, arrays: Object.fromEntries(Object.entries(m.arrays).filter(([k]) => !cubes.has(k))) };
}

export type { FitsTable };
