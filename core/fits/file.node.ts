/**
 * FITS files on disk with lazy access: opening walks the header blocks with positioned
 * reads and skips data by their computed size (FITS Standard 4.0, sect. 3.3, 4.4.1);
 * images, planes and tables are read only when asked for.
 */
import { open as fsOpen, readFile, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { FitsError } from '../errors/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { decodeAsciiTable } from './ascii-table.ts';
import { decodeTable, type FitsTable } from './bintable.ts';
import { BLOCK_LENGTH } from './card.ts';
import { verifyChecksum, type ChecksumStatus } from './checksum.ts';
import { checkFitsSignature, describeHdu, type HduInfo } from './hdu.ts';
import { findHeaderEnd, parseHeader } from './header.ts';
import { decodeImageOwned, elementBytes, imageLayout, planeRange, type Swapper } from './image.ts';

/** Byte source with positioned reads. */
interface Source {
  readonly size: number;
  read(into: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

const MAX_READ = 1 << 30;

class FileSource implements Source {
  constructor(private fh: FileHandle, readonly size: number, private stats: ReadStats) {}

  async read(into: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < into.length) {
      const len = Math.min(into.length - done, MAX_READ);
      const { bytesRead } = await this.fh.read(into, done, len, position + done);
      if (bytesRead === 0) throw new FitsError('truncated', `unexpected end of file at byte ${position + done}`);
      done += bytesRead;
      this.stats.bytesRead += bytesRead;
      this.stats.reads++;
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

class MemorySource implements Source {
  constructor(private bytes: Uint8Array, private stats: ReadStats) {}
  get size(): number { return this.bytes.length; }
  async read(into: Uint8Array, position: number): Promise<void> {
    if (position + into.length > this.bytes.length) throw new FitsError('truncated', `unexpected end of data at byte ${this.bytes.length}`);
    into.set(this.bytes.subarray(position, position + into.length));
    this.stats.bytesRead += into.length;
    this.stats.reads++;
  }
  async close(): Promise<void> { /* nothing to release */ }
}

export interface ReadStats {
  /** Bytes read from the file (or the gunzipped buffer) since open. */
  bytesRead: number;
  reads: number;
}

/** Native byte swap (Buffer#swap16/32/64 run in C++), for our own fresh buffers only. */
export const nativeSwap: Swapper = (u8, size) => {
  const b = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  if (size === 2) b.swap16();
  else if (size === 4) b.swap32();
  else if (size === 8) b.swap64();
};

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export class FitsFile {
  readonly path: string;
  readonly hdus: HduInfo[];
  readonly stats: ReadStats;
  private src: Source;

  private constructor(path: string, src: Source, hdus: HduInfo[], stats: ReadStats) {
    this.path = path;
    this.src = src;
    this.hdus = hdus;
    this.stats = stats;
  }

  /** Open a FITS (or gzip-compressed FITS) file and read every header, but no data. */
  static async open(path: string): Promise<FitsFile> {
    const stats: ReadStats = { bytesRead: 0, reads: 0 };
    let fh: FileHandle;
    try {
      fh = await fsOpen(path, 'r');
    } catch (e) {
      throw new FitsError('io', `cannot open: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    let src: Source;
    try {
      const { size } = await fh.stat();
      if (size === 0) throw new FitsError('empty', 'the file is empty', { file: path });
      src = new FileSource(fh, size, stats);
      const magic = new Uint8Array(Math.min(2, size));
      await src.read(magic, 0);
      if (magic[0] === 0x1f && magic[1] === 0x8b) {
        await fh.close();
        let raw: Uint8Array;
        try {
          raw = gunzipSync(await readFile(path));
        } catch (e) {
          throw new FitsError('bad-gzip', `cannot decompress: ${(e as Error).message}`, { file: path }, { cause: e });
        }
        src = new MemorySource(raw, stats);
      }
      const first = new Uint8Array(Math.min(9, src.size));
      await src.read(first, 0);
      checkFitsSignature(first, path);
      const hdus = await walk(src, path);
      return new FitsFile(path, src, hdus, stats);
    } catch (e) {
      await fh.close().catch(() => undefined);
      if (e instanceof FitsError && e.where.file === undefined) throw new FitsError(e.code, e.message, { file: path }, { cause: e });
      throw e;
    }
  }

  /** The HDU with this EXTNAME (case-insensitive) and EXTVER. */
  find(extname: string, extver = 1): HduInfo | undefined {
    const n = extname.trim().toUpperCase();
    return this.hdus.find((h) => h.extname?.toUpperCase() === n && h.extver === extver);
  }

  private hdu(i: number): HduInfo {
    const h = this.hdus[i];
    if (!h) throw new FitsError('bad-index', `no HDU ${i} (the file has ${this.hdus.length})`, { file: this.path });
    return h;
  }

  private async readAt(pos: number, length: number): Promise<Uint8Array> {
    // Not zero-filled (every byte is overwritten) and on its own 8-byte aligned buffer.
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    await this.src.read(buf, pos);
    return buf;
  }

  async readRawData(i: number): Promise<Uint8Array> {
    const h = this.hdu(i);
    return this.readAt(h.dataOffset, h.dataBytes);
  }

  async readRawHeader(i: number): Promise<Uint8Array> {
    const h = this.hdu(i);
    return this.readAt(h.headerOffset, h.dataOffset - h.headerOffset);
  }

  private imageHdu(i: number): HduInfo {
    const h = this.hdu(i);
    if (h.type !== 'PRIMARY' && h.type !== 'IMAGE') throw new FitsError('wrong-hdu-type', `HDU is a ${h.type}, not an image`, h.header.where);
    return h;
  }

  /** The whole image, converted to native byte order in the read buffer itself. */
  async readImage(i: number): Promise<NDArray> {
    const h = this.imageHdu(i);
    const layout = imageLayout(h.header);
    const r = planeRange(layout, [], h.header.where);
    const buf = await this.readAt(h.dataOffset, r.byteLength);
    return decodeImageOwned(layout, buf, r.shape, nativeSwap);
  }

  /** `a[leading...]`, e.g. [k] for integration k of a 4-D ramp or [k, g] for one group frame. */
  async readPlane(i: number, leading: readonly number[]): Promise<NDArray> {
    const h = this.imageHdu(i);
    const layout = imageLayout(h.header);
    const r = planeRange(layout, leading, h.header.where);
    const buf = await this.readAt(h.dataOffset + r.byteOffset, r.byteLength);
    return decodeImageOwned(layout, buf, r.shape, nativeSwap);
  }

  /**
   * Rows [y0, y1) of the 2-D plane `a[leading...]` (leading fixes every axis
   * but the last two), shape [y1 - y0, nx]: one positioned read of those rows only.
   */
  async readRows(i: number, leading: readonly number[], y0: number, y1: number): Promise<NDArray> {
    const h = this.imageHdu(i);
    const layout = imageLayout(h.header);
    const r = planeRange(layout, leading, h.header.where);
    if (r.shape.length !== 2) throw new FitsError('bad-index', `readRows: ${leading.length} leading indices leave a ${r.shape.length}-d array, need 2-d (shape [${layout.shape.join(', ')}])`, h.header.where);
    const [ny, nx] = r.shape as [number, number];
    if (!Number.isInteger(y0) || !Number.isInteger(y1) || y0 < 0 || y1 > ny || y1 < y0) {
      throw new FitsError('bad-index', `readRows: rows [${y0}, ${y1}) out of range for ${ny} rows`, h.header.where);
    }
    const rowBytes = nx * elementBytes(layout);
    const buf = await this.readAt(h.dataOffset + r.byteOffset + y0 * rowBytes, (y1 - y0) * rowBytes);
    return decodeImageOwned(layout, buf, [y1 - y0, nx], nativeSwap);
  }

  async readTable(i: number): Promise<FitsTable> {
    const h = this.hdu(i);
    if (h.type !== 'BINTABLE' && h.type !== 'TABLE') throw new FitsError('wrong-hdu-type', `HDU is a ${h.type}, not a table`, h.header.where);
    const data = await this.readAt(h.dataOffset, h.dataBytes);
    return h.type === 'TABLE' ? decodeAsciiTable(h.header, data) : decodeTable(h.header, data);
  }

  /** Check CHECKSUM/DATASUM of one HDU (App. J). */
  async verifyChecksum(i: number): Promise<ChecksumStatus> {
    const h = this.hdu(i);
    const header = await this.readRawHeader(i);
    const data = await this.readAt(h.dataOffset, Math.min(h.paddedBytes, this.src.size - h.dataOffset));
    return verifyChecksum(header, data);
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}

/** Walk the HDUs: read header blocks until END, then skip the data. Bounded by the file size. */
async function walk(src: Source, file: string): Promise<HduInfo[]> {
  const hdus: HduInfo[] = [];
  let off = 0;
  if (src.size === 0) throw new FitsError('empty', 'the file is empty', { file });
  while (off < src.size) {
    const index = hdus.length;
    const where = { file, hdu: index };
    if (index > 0 && (await zeroTail(src, off))) break;
    let buf = new Uint8Array(0);
    let end = -1;
    let chunk = BLOCK_LENGTH;
    while (end < 0) {
      const avail = src.size - off - buf.length;
      if (avail < BLOCK_LENGTH) {
        if (buf.length === 0) throw new FitsError('truncated', `header at byte ${off} is truncated: ${avail} bytes left, a header block needs ${BLOCK_LENGTH}`, where);
        throw new FitsError('missing-end', `no END card in the header starting at byte ${off} before the file ends at byte ${src.size}`, where);
      }
      const len = Math.min(chunk, Math.floor(avail / BLOCK_LENGTH) * BLOCK_LENGTH);
      const more = new Uint8Array(buf.length + len);
      more.set(buf);
      await src.read(more.subarray(buf.length), off + buf.length);
      const scanFrom = Math.max(0, buf.length - BLOCK_LENGTH);
      buf = more;
      end = findHeaderEnd(buf, scanFrom);
      chunk = Math.min(chunk * 2, 1 << 20);
    }
    const { header } = parseHeader(buf.subarray(0, end), 0, where);
    const info = describeHdu(header, index, off, off + end, file);
    if (info.dataOffset + info.dataBytes > src.size) {
      throw new FitsError('truncated', `data of ${info.dataBytes} bytes declared at byte ${info.dataOffset} (from ${describeAxes(info)}), but the file ends at byte ${src.size}`, header.where);
    }
    if (info.dataOffset + info.paddedBytes > src.size) throw paddingError(info, src.size);
    hdus.push(info);
    off = info.dataOffset + info.paddedBytes;
  }
  return hdus;
}

/**
 * 3.1: a FITS file is a whole number of 2880-byte blocks. A file ending inside the padding
 * of an HDU has most likely lost what followed, so it is reported, not silently accepted.
 */
export function paddingError(info: HduInfo, size: number): FitsError {
  return new FitsError('truncated', `the file ends at byte ${size}, inside the padding of this HDU's data (which ends at ${info.dataOffset + info.paddedBytes}); the file was probably cut short (FITS 4.0 sect. 3.1: files are whole 2880-byte blocks)`, info.header.where);
}

function describeAxes(info: HduInfo): string {
  const n = info.header.get('NAXIS');
  const axes: string[] = [];
  for (let i = 1; typeof n === 'number' && i <= n && i <= 10; i++) axes.push(`NAXIS${i} = ${String(info.header.get(`NAXIS${i}`))}`);
  return [`BITPIX = ${String(info.header.get('BITPIX'))}`, ...axes, `PCOUNT = ${String(info.header.get('PCOUNT') ?? 0)}`].join(', ');
}

/** True when every byte from `off` to the end is zero (fill after the last HDU). */
async function zeroTail(src: Source, off: number): Promise<boolean> {
  let step = BLOCK_LENGTH;
  for (let p = off; p < src.size; p += step, step = Math.min(step * 2, 1 << 20)) {
    const b = new Uint8Array(Math.min(step, src.size - p));
    await src.read(b, p);
    if (!isZero(b)) return false;
  }
  return true;
}
