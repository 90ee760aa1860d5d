/**
 * Writing FITS files atomically: data go to a temporary file in the same directory,
 * renamed into place on close and removed on abort or error, so a partial output never
 * exists under the final name. CHECKSUM/DATASUM (FITS Standard 4.0, App. J) are computed
 * as data stream through; an image header is rewritten in place once its data sum is known.
 */
import { randomBytes } from 'node:crypto';
import { open as fsOpen, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FitsError } from '../errors/index.ts';
import { sizeOf, type DType, type NDArray } from '../ndarray/index.ts';
import { OnesSum } from './checksum.ts';
import { applyChecksum, prepareImageHdu, serializeHdu, type HduSpec, type SerializeOptions } from './fits.ts';
import { padTo2880 } from './hdu.ts';
import { formatHeader, type Header } from './header.ts';
import { encodeImageData } from './image.ts';
import { nativeSwap } from './file.node.ts';

interface OpenImage {
  header: Header;
  headerPos: number;
  headerLength: number;
  dtype: DType;
  shape: number[];
  planes: number;
  dataBytes: number;
  sum: OnesSum;
}

export class FitsWriter {
  readonly path: string;
  private readonly tmp: string;
  private fh: FileHandle | undefined;
  private pos = 0;
  private index = 0;
  private image: OpenImage | undefined;
  private readonly checksum: boolean;

  private constructor(file: string, tmp: string, fh: FileHandle, opts: SerializeOptions) {
    this.path = file;
    this.tmp = tmp;
    this.fh = fh;
    this.checksum = opts.checksum ?? true;
  }

  /** Start writing `file` (through a temporary file beside it). */
  static async create(file: string, opts: SerializeOptions = {}): Promise<FitsWriter> {
    const dir = path.dirname(file);
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fh = await fsOpen(tmp, 'wx');
      return new FitsWriter(file, tmp, fh, opts);
    } catch (e) {
      throw new FitsError('io', `cannot create a temporary file in ${dir}: ${(e as Error).message}`, { file }, { cause: e });
    }
  }

  private handle(): FileHandle {
    if (!this.fh) throw new FitsError('closed', 'the writer is closed', { file: this.path });
    return this.fh;
  }

  private async write(bytes: Uint8Array, at = this.pos): Promise<void> {
    const fh = this.handle();
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, at + done);
      done += bytesWritten;
    }
    if (at === this.pos) this.pos += bytes.length;
  }

  /** Write a whole HDU; the first one written is the primary. */
  async addHdu(spec: HduSpec): Promise<void> {
    this.assertNoImage('addHdu');
    await this.guard(async () => {
      await this.write(serializeHdu(spec, this.index, { checksum: this.checksum }));
      this.index++;
    });
  }

  /** Start an image HDU whose data will come plane by plane along the leading axis. */
  async beginImage(header: Header, dtype: DType, shape: readonly number[]): Promise<void> {
    this.assertNoImage('beginImage');
    await this.guard(async () => {
      const h = prepareImageHdu(header, this.index, dtype, shape, this.checksum);
      const bytes = formatHeader(h);
      const img: OpenImage = { header: h, headerPos: this.pos, headerLength: bytes.length, dtype, shape: [...shape], planes: 0, dataBytes: 0, sum: new OnesSum() };
      await this.write(bytes);
      this.image = img;
      if (shape.length === 0 || shape[0] === 0) await this.finishImage();
    });
  }

  /** Append the next plane `a[k]` (shape = image shape without the leading axis). */
  async writePlane(plane: NDArray): Promise<void> {
    const img = this.image;
    if (!img) throw new FitsError('writer-state', 'writePlane called without beginImage', { file: this.path });
    const want = img.shape.slice(1);
    if (plane.dtype !== img.dtype || plane.shape.length !== want.length || plane.shape.some((s, i) => s !== want[i])) {
      throw new FitsError('bad-plane', `plane is ${plane.dtype} [${plane.shape.join(', ')}], expected ${img.dtype} [${want.join(', ')}]`, { file: this.path, hdu: this.index });
    }
    await this.guard(async () => {
      const bytes = encodeImageData(plane, nativeSwap);
      if (this.checksum) img.sum.update(bytes);
      await this.write(bytes);
      img.dataBytes += bytes.length;
      img.planes++;
      if (img.planes === img.shape[0]) await this.finishImage();
    });
  }

  private async finishImage(): Promise<void> {
    const img = this.image as OpenImage;
    const pad = padTo2880(img.dataBytes) - img.dataBytes;
    if (pad > 0) await this.write(new Uint8Array(pad));
    if (this.checksum) {
      const bytes = applyChecksum(img.header, img.sum.value());
      if (bytes.length !== img.headerLength) throw new FitsError('bug', 'header length changed while adding CHECKSUM');
      await this.write(bytes, img.headerPos);
    }
    this.image = undefined;
    this.index++;
  }

  private assertNoImage(what: string): void {
    const img = this.image;
    if (img) throw new FitsError('writer-state', `${what}: image HDU ${this.index} still needs ${img.shape[0] - img.planes} of ${img.shape[0]} planes`, { file: this.path });
  }

  /** Run a write step; on failure remove the temporary file and rethrow. */
  private async guard(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  /** Finish: flush, close and rename the temporary file into place. */
  async close(): Promise<void> {
    await this.guard(async () => {
      this.assertNoImage('close');
      if (this.index === 0) throw new FitsError('writer-state', 'no HDU was written', { file: this.path });
      const fh = this.handle();
      await fh.sync();
      await fh.close();
      this.fh = undefined;
      await rename(this.tmp, this.path);
    });
  }

  /** Alias of close(). */
  end(): Promise<void> {
    return this.close();
  }

  /** Give up: close and delete the temporary file. Safe to call more than once. */
  async abort(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.image = undefined;
    if (fh) await fh.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}

/** Write a whole FITS file atomically (temporary file + rename). */
export async function writeFits(file: string, hdus: HduSpec[], opts: SerializeOptions = {}): Promise<void> {
  if (hdus.length === 0) throw new FitsError('bad-hdu-spec', 'a FITS file needs at least a primary HDU', { file });
  const w = await FitsWriter.create(file, opts);
  for (const h of hdus) await w.addHdu(h);
  await w.close();
}

/** Bytes a plane of this shape occupies (helper for callers sizing buffers). */
export function planeBytes(dtype: DType, shape: readonly number[]): number {
  return sizeOf(shape.slice(1)) * ({ uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 } as const)[dtype];
}
