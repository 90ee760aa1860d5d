/**
 * A FITS file written out of order: the whole layout (every header and the
 * full, zero-filled data area of each image) is laid down first, then rows
 * of any plane of an image are written at their positions, in any order
 * (e.g. row blocks of every integration of a cube). Written through a
 * temporary file beside the target and renamed into place on close (atomic);
 * removed on abort. DATASUM/CHECKSUM (FITS Standard 4.0, App. J) are kept
 * exact: the 1's complement sum is order independent, so each written
 * segment's sum (aligned to its 4-byte word position) is added as it goes;
 * zero bytes add nothing. Each element must be written at most once.
 */
import { randomBytes } from 'node:crypto';
import { open as fsOpen, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FitsError } from '../errors/index.ts';
import { DTYPE_BYTES, sizeOf, type DType, type NDArray } from '../ndarray/index.ts';
import { addOnes, OnesSum } from './checksum.ts';
import { applyChecksum, prepareImageHdu, serializeHdu, type HduSpec, type SerializeOptions } from './fits.ts';
import { padTo2880 } from './hdu.ts';
import { formatHeader, type Header } from './header.ts';
import { encodeImageData } from './image.ts';
import { nativeSwap } from './file.node.ts';

/** An image HDU whose data come later by rows: its header (user cards), element type and shape (numpy order). */
export interface ImageLayoutSpec {
  readonly header: Header;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** One HDU of the layout: a complete HDU (written at once) or an image filled later. */
export type RandomHdu = { readonly spec: HduSpec } | { readonly image: ImageLayoutSpec };

interface Slot {
  header: Header;
  headerPos: number;
  headerLength: number;
  dataPos: number;
  dtype: DType;
  shape: number[];
  sum: number;
}

/** Where a complete HDU was laid down (to rewrite it in place at close). */
interface Placed {
  pos: number;
  length: number;
}

export class FitsRandomWriter {
  private fh: FileHandle | undefined;

  private constructor(
    readonly path: string, private readonly tmp: string, fh: FileHandle, private readonly slots: ReadonlyMap<number, Slot>,
    private readonly placed: ReadonlyMap<number, Placed>, private end: number, private readonly checksum: boolean,
  ) {
    this.fh = fh;
  }

  /**
   * Create `file` (through a temporary file) with every HDU of `hdus` in
   * order; image placeholders get their final header and zero data.
   */
  static async create(file: string, hdus: readonly RandomHdu[], opts: SerializeOptions = {}): Promise<FitsRandomWriter> {
    if (hdus.length === 0) throw new FitsError('bad-hdu-spec', 'a FITS file needs at least a primary HDU', { file });
    const checksum = opts.checksum ?? true;
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let fh: FileHandle;
    try {
      fh = await fsOpen(tmp, 'wx');
    } catch (e) {
      throw new FitsError('io', `cannot create a temporary file in ${path.dirname(file)}: ${(e as Error).message}`, { file }, { cause: e });
    }
    const slots = new Map<number, Slot>();
    const placed = new Map<number, Placed>();
    let pos = 0;
    try {
      for (const [index, h] of hdus.entries()) {
        if ('spec' in h) {
          const bytes = serializeHdu(h.spec, index, { checksum });
          await writeAll(fh, bytes, pos);
          placed.set(index, { pos, length: bytes.length });
          pos += bytes.length;
          continue;
        }
        const { dtype, shape } = h.image;
        const header = prepareImageHdu(h.image.header, index, dtype, shape, checksum);
        // A zero data sum: the header is final unless rows are written.
        const bytes = checksum ? applyChecksum(header, 0) : formatHeader(header);
        await writeAll(fh, bytes, pos);
        const dataBytes = shape.length === 0 ? 0 : sizeOf(shape) * DTYPE_BYTES[dtype];
        slots.set(index, { header, headerPos: pos, headerLength: bytes.length, dataPos: pos + bytes.length, dtype, shape: [...shape], sum: 0 });
        pos += bytes.length + padTo2880(dataBytes);
      }
      await fh.truncate(pos);
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return new FitsRandomWriter(file, tmp, fh, slots, placed, pos, checksum);
  }

  private handle(): FileHandle {
    if (!this.fh) throw new FitsError('closed', 'the writer is closed', { file: this.path });
    return this.fh;
  }

  /**
   * Write rows [y0, y0 + rows.shape[0]) of the plane `image[leading...]` of
   * HDU `hdu` (leading fixes every axis but the last two); `rows` has shape
   * [n, nx] (or any shape of n * nx elements) and the image's dtype.
   */
  async writeRows(hdu: number, leading: readonly number[], y0: number, rows: NDArray): Promise<void> {
    const s = this.slots.get(hdu);
    const where = { file: this.path, hdu };
    if (!s) throw new FitsError('writer-state', `HDU ${hdu} is not an image placeholder`, where);
    if (rows.dtype !== s.dtype) throw new FitsError('bad-plane', `rows are ${rows.dtype}, the image is ${s.dtype}`, where);
    const nd = s.shape.length;
    if (leading.length !== nd - 2) throw new FitsError('bad-index', `${leading.length} leading indices for a ${nd}-d image`, where);
    const [ny, nx] = s.shape.slice(nd - 2) as [number, number];
    const n = rows.data.length / nx;
    if (!Number.isInteger(n) || y0 < 0 || y0 + n > ny) throw new FitsError('bad-index', `rows [${y0}, ${y0 + n}) of ${nx}-wide rows do not fit ${ny} rows`, where);
    let plane = 0;
    for (let k = 0; k < leading.length; k++) {
      const i = leading[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= s.shape[k]!) throw new FitsError('bad-index', `index ${i} out of range for axis ${k} of length ${s.shape[k]}`, where);
      plane = plane * s.shape[k]! + i;
    }
    const size = DTYPE_BYTES[s.dtype];
    const off = (plane * ny + y0) * nx * size;
    const bytes = encodeImageData(rows, nativeSwap);
    try {
      await writeAll(this.handle(), bytes, s.dataPos + off);
    } catch (e) {
      await this.abort();
      throw e;
    }
    if (this.checksum) s.sum = addOnes(s.sum, segmentSum(bytes, off));
  }

  /**
   * Finish: final CHECKSUM/DATASUM headers, flush, close, rename into place.
   * `final` (optional) is the layout again with its last values: every laid
   * HDU is rewritten in place (same kind and same byte length required:
   * e.g. a keyword's value known only at the end) and HDUs beyond the laid
   * ones are appended (e.g. an ASDF extension made from the final meta).
   */
  async close(final?: readonly RandomHdu[]): Promise<void> {
    const fh = this.handle();
    try {
      if (final) await this.rewrite(fh, final);
      if (this.checksum) {
        for (const s of this.slots.values()) {
          const bytes = applyChecksum(s.header, s.sum);
          if (bytes.length !== s.headerLength) throw new FitsError('bug', 'header length changed while adding CHECKSUM', { file: this.path });
          await writeAll(fh, bytes, s.headerPos);
        }
      }
      await fh.sync();
      await fh.close();
      this.fh = undefined;
      await rename(this.tmp, this.path);
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  private async rewrite(fh: FileHandle, final: readonly RandomHdu[]): Promise<void> {
    const laid = this.slots.size + this.placed.size;
    if (final.length < laid) throw new FitsError('writer-state', `the final layout has ${final.length} HDUs, ${laid} were laid down`, { file: this.path });
    for (const [index, h] of final.entries()) {
      const where = { file: this.path, hdu: index };
      const slot = this.slots.get(index);
      const at = this.placed.get(index);
      if (slot) {
        if (!('image' in h) || h.image.dtype !== slot.dtype || h.image.shape.join() !== slot.shape.join()) throw new FitsError('writer-state', 'the final HDU is not the image laid down here', where);
        const header = prepareImageHdu(h.image.header, index, slot.dtype, slot.shape, this.checksum);
        if (formatHeader(header).length !== slot.headerLength) throw new FitsError('writer-state', 'the final image header has another length than the one laid down', where);
        slot.header = header;
        if (!this.checksum) await writeAll(fh, formatHeader(header), slot.headerPos);
      } else if (at) {
        if (!('spec' in h)) throw new FitsError('writer-state', 'the final HDU is an image placeholder where a complete HDU was laid down', where);
        const bytes = serializeHdu(h.spec, index, { checksum: this.checksum });
        if (bytes.length !== at.length) throw new FitsError('writer-state', `the final HDU takes ${bytes.length} bytes, ${at.length} were laid down`, where);
        await writeAll(fh, bytes, at.pos);
      } else {
        if (!('spec' in h)) throw new FitsError('writer-state', 'an appended HDU must be complete', where);
        const bytes = serializeHdu(h.spec, index, { checksum: this.checksum });
        await writeAll(fh, bytes, this.end);
        this.end += bytes.length;
      }
    }
  }

  /** Give up: close and delete the temporary file (safe to call more than once). */
  async abort(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, at: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, at + done);
    done += bytesWritten;
  }
}

/** The 1's complement sum of `bytes` placed at byte `off` of the data (word position = off mod 4). */
function segmentSum(bytes: Uint8Array, off: number): number {
  const sum = new OnesSum();
  const lead = off % 4;
  if (lead > 0) sum.update(new Uint8Array(lead));
  return sum.update(bytes).value();
}
