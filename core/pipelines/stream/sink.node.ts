/**
 * Writing a cube product (calints, crfints) whose integrations arrive chunk
 * by chunk: each 3-D array is appended to its own scratch file (native byte
 * order) while chunks are processed; `finish` writes the FITS file in the
 * layout writeModel gives (modelToHdus of the template model), streaming the
 * planes back through FitsWriter (atomic: temporary name + rename), so the
 * product never has to be held in memory.
 */
import { randomBytes } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { BugError, StepError } from '../../errors/index.ts';
import { FitsWriter } from '../../fits/index.node.ts';
import { cStrides, DTYPE_BYTES, ndarray, type DType, type NDArray, type TypedArray } from '../../ndarray/index.ts';
import { modelToHdus } from '../../stpipe/model-io.node.ts';
import type { JwstModel } from '../../stpipe/model.ts';

interface Scratch {
  readonly file: string;
  readonly fh: FileHandle;
  readonly dtype: DType;
  readonly plane: readonly [number, number];
  planes: number;
}

const CTOR: Readonly<Record<string, new (b: ArrayBuffer) => TypedArray>> = {
  uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, float32: Float32Array, float64: Float64Array,
} as Record<string, new (b: ArrayBuffer) => TypedArray>;

export class CubeSink {
  private readonly scratch = new Map<string, Scratch>();
  private constructor(private readonly dir: string) {}

  /** Scratch files go in `dir` (the output directory: same file system as the product). */
  static create(dir: string): CubeSink {
    return new CubeSink(dir);
  }

  /** Append the next integrations of each 3-D array (all with the same leading length). */
  async append(arrays: Readonly<Record<string, NDArray>>): Promise<void> {
    for (const [attr, a] of Object.entries(arrays)) {
      if (a.shape.length !== 3) continue;
      let s = this.scratch.get(attr);
      if (!s) {
        const file = path.join(this.dir, `.webbdesk-stream-${process.pid}-${randomBytes(6).toString('hex')}-${attr}.tmp`);
        s = { file, fh: await open(file, 'wx+'), dtype: a.dtype, plane: [a.shape[1]!, a.shape[2]!], planes: 0 };
        this.scratch.set(attr, s);
      }
      if (a.dtype !== s.dtype || a.shape[1] !== s.plane[0] || a.shape[2] !== s.plane[1]) {
        throw new BugError(`streamed ${attr}: chunk is ${a.dtype} [${a.shape.join(', ')}], earlier chunks were ${s.dtype} [*, ${s.plane.join(', ')}]`);
      }
      const d = a.data as TypedArray;
      const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      await s.fh.write(bytes, 0, bytes.length, s.planes * s.plane[0] * s.plane[1] * DTYPE_BYTES[s.dtype]);
      s.planes += a.shape[0]!;
    }
  }

  /** Integrations written so far (of the first array). */
  get planes(): number {
    return [...this.scratch.values()][0]?.planes ?? 0;
  }

  /**
   * Write `file`: `template` (meta, headers, tables, 2-D arrays, extras) with
   * the streamed 3-D arrays, in writeModel's HDU layout.
   */
  async finish(file: string, template: JwstModel): Promise<void> {
    const placeholders = new Map<NDArray, Scratch>();
    const arrays = { ...template.arrays };
    for (const [attr, s] of this.scratch) {
      const shape = [s.planes, s.plane[0], s.plane[1]];
      const a: NDArray = { data: new (CTOR[s.dtype]!)(new ArrayBuffer(0)), dtype: s.dtype, shape, strides: cStrides(shape) } as NDArray;
      arrays[attr] = a;
      placeholders.set(a, s);
    }
    const w = await FitsWriter.create(file);
    try {
      for (const spec of modelToHdus({ ...template, arrays })) {
        const s = spec.image ? placeholders.get(spec.image) : undefined;
        if (!s) { await w.addHdu(spec); continue; }
        await w.beginImage(spec.header, s.dtype, spec.image!.shape);
        await this.replay(s, (p) => w.writePlane(p));
      }
      await w.close();
    } catch (e) {
      await w.abort();
      throw e instanceof StepError || e instanceof BugError ? e : new StepError('io', `cannot write ${file}: ${(e as Error).message}`, { file }, { cause: e });
    } finally {
      await this.abort();
    }
  }

  private async replay(s: Scratch, put: (p: NDArray) => Promise<void>): Promise<void> {
    const n = s.plane[0] * s.plane[1];
    const nbytes = n * DTYPE_BYTES[s.dtype];
    for (let k = 0; k < s.planes; k++) {
      const buf = new ArrayBuffer(nbytes);
      const { bytesRead } = await s.fh.read(new Uint8Array(buf), 0, nbytes, k * nbytes);
      if (bytesRead !== nbytes) throw new BugError(`stream scratch ${s.file}: short read at plane ${k}`);
      await put(ndarray(new (CTOR[s.dtype]!)(buf) as never, [s.plane[0], s.plane[1]]));
    }
  }

  /** Close and delete the scratch files (safe to call more than once). */
  async abort(): Promise<void> {
    const all = [...this.scratch.values()];
    this.scratch.clear();
    for (const s of all) {
      await s.fh.close().catch(() => undefined);
      await unlink(s.file).catch(() => undefined);
    }
  }
}
