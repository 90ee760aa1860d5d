/**
 * ASDF binary blocks (ASDF Standard 1.5/1.6, "Blocks" and "Block index").
 *
 * A block is: magic `\xd3BLK`, header_size (uint16 BE, >= 48), then the header:
 * flags (uint32; bit 0x1 = STREAMED), compression (4 bytes), allocated_size,
 * used_size, data_size (uint64 each) and checksum (16-byte MD5 of the used bytes,
 * or zeros). The used bytes follow the header, padded to allocated_size.
 */
import { unzlibSync, zlibSync } from 'fflate';
import Bunzip from 'seek-bzip';
import compressjs from 'compressjs';
import { AsdfError } from '../errors/index.ts';
import { md5 } from './md5.ts';

export type Compression = 'none' | 'zlib' | 'bzp2' | 'lz4';

export interface AsdfBlock {
  /** The decompressed block contents. */
  data: Uint8Array;
  compression: Compression;
  /** MD5 of the stored (possibly compressed) bytes, when the file gave one. */
  checksum?: Uint8Array;
  /** Set when a checksum was present: whether it matched. */
  checksumValid?: boolean;
  /** The block was written with the STREAMED flag (last block, runs to end of file). */
  streamed?: boolean;
}

export const BLOCK_MAGIC = Uint8Array.of(0xd3, 0x42, 0x4c, 0x4b);
const HEADER_SIZE = 48;
const FLAG_STREAMED = 0x1;
const INDEX_HEADER = '#ASDF BLOCK INDEX';
/** Refuse to allocate more than this for one decompressed block (corrupt size fields). */
const MAX_BLOCK_BYTES = 2 ** 32;

export function isMagicAt(bytes: Uint8Array, pos: number): boolean {
  return pos + 4 <= bytes.length && bytes[pos] === 0xd3 && bytes[pos + 1] === 0x42
    && bytes[pos + 2] === 0x4c && bytes[pos + 3] === 0x4b;
}

function u64(view: DataView, pos: number): number {
  const v = view.getBigUint64(pos, false);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function compressionName(code: Uint8Array): Compression | undefined {
  const s = String.fromCharCode(...code);
  if (s === '\0\0\0\0') return 'none';
  if (s === 'zlib') return 'zlib';
  if (s === 'bzp2') return 'bzp2';
  if (s === 'lz4\0') return 'lz4';
  return undefined;
}

export interface ReadBlocksOptions {
  file?: string;
  /** Throw on a checksum mismatch (default) or only record it in `checksumValid`. */
  verifyChecksums?: boolean;
}

/**
 * Read the blocks that start at `start` (the first magic) until the block index,
 * trailing whitespace, or end of file.
 */
export function readBlocks(bytes: Uint8Array, start: number, opts: ReadBlocksOptions = {}): AsdfBlock[] {
  const { file } = opts;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: AsdfBlock[] = [];
  let pos = start;
  while (pos < bytes.length) {
    if (!isMagicAt(bytes, pos)) {
      if (isTrailer(bytes, pos)) break;
      throw new AsdfError('asdf-block', `expected block magic or block index at byte ${pos} after block ${blocks.length - 1}`, { file });
    }
    const where = `block ${blocks.length} at byte ${pos}`;
    if (pos + 6 > bytes.length) throw new AsdfError('asdf-block', `${where}: truncated block header`, { file });
    const headerSize = view.getUint16(pos + 4, false);
    if (headerSize < HEADER_SIZE) throw new AsdfError('asdf-block', `${where}: header_size ${headerSize} is less than ${HEADER_SIZE}`, { file });
    const h = pos + 6;
    if (h + headerSize > bytes.length) throw new AsdfError('asdf-block', `${where}: truncated block header`, { file });
    const flags = view.getUint32(h, false);
    const compression = compressionName(bytes.subarray(h + 4, h + 8));
    if (compression === undefined) {
      const code = JSON.stringify(String.fromCharCode(...bytes.subarray(h + 4, h + 8)));
      throw new AsdfError('asdf-block', `${where}: unknown compression ${code}`, { file });
    }
    let allocated = u64(view, h + 8);
    let used = u64(view, h + 16);
    let dataSize = u64(view, h + 24);
    const checksum = bytes.slice(h + 32, h + 48);
    const dataStart = h + headerSize;
    const streamed = (flags & FLAG_STREAMED) !== 0;
    if (streamed) {
      // A streamed block runs to the end of the file and is never compressed.
      if (compression !== 'none') throw new AsdfError('asdf-block', `${where}: a streamed block cannot be compressed`, { file });
      allocated = used = dataSize = bytes.length - dataStart;
    }
    if (used > allocated) throw new AsdfError('asdf-block', `${where}: used_size ${used} exceeds allocated_size ${allocated}`, { file });
    if (dataStart + allocated > bytes.length) {
      throw new AsdfError('asdf-block', `${where}: block needs ${allocated} bytes but the file has ${bytes.length - dataStart} left (truncated file?)`, { file });
    }
    const stored = bytes.subarray(dataStart, dataStart + used);
    const data = decompress(stored, compression, dataSize, where, file);
    const block: AsdfBlock = { data, compression };
    if (streamed) block.streamed = true;
    if (checksum.some((b) => b !== 0)) {
      // The reference writer hashes the uncompressed bytes; the Standard says "used data":
      // accept either for compressed blocks.
      block.checksum = checksum;
      block.checksumValid = sameBytes(md5(data), checksum) || (compression !== 'none' && sameBytes(md5(stored), checksum));
      if (!block.checksumValid && opts.verifyChecksums !== false) {
        throw new AsdfError('asdf-checksum', `${where}: MD5 checksum mismatch (data corrupted)`, { file });
      }
    }
    blocks.push(block);
    pos = dataStart + allocated;
    if (streamed) break;
  }
  return blocks;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** After the last block: the optional block index, or only whitespace. */
function isTrailer(bytes: Uint8Array, pos: number): boolean {
  let p = pos;
  while (p < bytes.length && (bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x20 || bytes[p] === 0)) p++;
  if (p === bytes.length) return true;
  const head = new TextDecoder('latin1').decode(bytes.subarray(p, p + INDEX_HEADER.length));
  return head === INDEX_HEADER;
}

function decompress(stored: Uint8Array, compression: Compression, dataSize: number, where: string, file?: string): Uint8Array {
  if (compression === 'none') {
    if (dataSize !== stored.length) {
      throw new AsdfError('asdf-block', `${where}: data_size ${dataSize} differs from used_size ${stored.length} in an uncompressed block`, { file });
    }
    return stored.slice();
  }
  if (compression === 'lz4') {
    throw new AsdfError('asdf-compression', `${where}: lz4 compression not supported`, { file });
  }
  if (dataSize > MAX_BLOCK_BYTES) throw new AsdfError('asdf-block', `${where}: data_size ${dataSize} is implausibly large`, { file });
  let out: Uint8Array;
  try {
    out = compression === 'zlib' ? unzlibSync(stored) : Uint8Array.from(Bunzip.decode(stored));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new AsdfError('asdf-compression', `${where}: cannot decompress ${compression} data: ${msg}`, { file }, { cause: e });
  }
  if (out.length !== dataSize) {
    throw new AsdfError('asdf-compression', `${where}: decompressed to ${out.length} bytes but data_size says ${dataSize}`, { file });
  }
  return out;
}

/** Compress block contents for writing. */
export function compress(data: Uint8Array, compression: Compression): Uint8Array {
  switch (compression) {
    case 'none': return data;
    case 'zlib': return zlibSync(data, { level: 6 });
    case 'bzp2': return Uint8Array.from(compressjs.Bzip2.compressFile(data, undefined, 9));
    default:
      throw new AsdfError('asdf-compression', `${compression} compression not supported for writing`);
  }
}

/** One block as bytes: magic, header, stored data (no padding: allocated = used). */
export function encodeBlock(data: Uint8Array, compression: Compression): Uint8Array {
  const stored = compress(data, compression);
  const out = new Uint8Array(6 + HEADER_SIZE + stored.length);
  const view = new DataView(out.buffer);
  out.set(BLOCK_MAGIC, 0);
  view.setUint16(4, HEADER_SIZE, false);
  view.setUint32(6, 0, false);
  const code = compression === 'none' ? '\0\0\0\0' : compression;
  for (let i = 0; i < 4; i++) out[10 + i] = code.charCodeAt(i);
  view.setBigUint64(14, BigInt(stored.length), false);
  view.setBigUint64(22, BigInt(stored.length), false);
  view.setBigUint64(30, BigInt(data.length), false);
  out.set(md5(data), 38); // of the uncompressed bytes, as the reference writer does
  out.set(stored, 6 + HEADER_SIZE);
  return out;
}

/** The block index: a YAML document listing each block's byte offset ("Block index"). */
export function encodeBlockIndex(offsets: readonly number[]): string {
  return `${INDEX_HEADER}\n%YAML 1.1\n---\n${offsets.map((o) => `- ${o}\n`).join('')}...\n`;
}
