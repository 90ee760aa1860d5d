/**
 * Whole FITS files in memory: a sequence of HDUs, each a header of 2880-byte blocks and
 * data padded to 2880 bytes (FITS Standard 4.0, sect. 3.1-3.3). The writer puts the
 * mandatory keywords first in the order of sect. 4.4.1 / 7.2.1 / 7.3.1.
 */
import { FitsError } from '../errors/index.ts';
import type { DType, NDArray } from '../ndarray/index.ts';
import { decodeAsciiTable } from './ascii-table.ts';
import { decodeTable, type FitsTable, type TableColumnSpec } from './bintable.ts';
import { encodeTable } from './bintable-encode.ts';
import type { Card } from './card.ts';
import { computeChecksum, computeDatasum, verifyChecksum, type ChecksumStatus } from './checksum.ts';
import { checkFitsSignature, describeHdu, padTo2880, type HduInfo } from './hdu.ts';
import { formatHeader, Header, parseHeader } from './header.ts';
import { decodeImage, decodeImagePlane, encodeImageData, imageCards, imageLayout, planeRange } from './image.ts';

export interface FitsHdu extends HduInfo {
  /** Decode the image (PRIMARY or IMAGE). */
  readImage(): NDArray;
  /** Decode `a[leading...]` of the image, e.g. [k] for one integration. */
  readPlane(leading: readonly number[]): NDArray;
  /** Decode the table (BINTABLE or TABLE). */
  readTable(): FitsTable;
  /** Data bytes, unpadded (a view on the file bytes: do not modify). */
  rawData(): Uint8Array;
  /** Header bytes, whole 2880-byte blocks (a view). */
  rawHeader(): Uint8Array;
  verifyChecksum(): ChecksumStatus;
}

export interface HduSpec {
  header: Header;
  image?: NDArray;
  table?: { columns: TableColumnSpec[]; nrows: number };
  /** Data bytes written as they are; the header's structural keywords must describe them. */
  rawData?: Uint8Array;
}

export interface SerializeOptions {
  /** Write CHECKSUM and DATASUM (App. J). Default true. */
  checksum?: boolean;
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Decode image or table data of a described HDU, given its data bytes. */
export function decodeHduData(info: HduInfo, data: Uint8Array): NDArray | FitsTable {
  if (info.type === 'BINTABLE') return decodeTable(info.header, data);
  if (info.type === 'TABLE') return decodeAsciiTable(info.header, data);
  return decodeImage(info.header, data);
}

function requireType(info: HduInfo, want: 'image' | 'table'): void {
  const isImage = info.type === 'PRIMARY' || info.type === 'IMAGE';
  if ((want === 'image') !== isImage) {
    throw new FitsError('wrong-hdu-type', `HDU is a ${info.type}, not ${want === 'image' ? 'an image' : 'a table'}`, info.header.where);
  }
}

/** Every HDU of a FITS file held in memory. Data are decoded on demand. */
export function parseFits(bytes: Uint8Array, file?: string): FitsHdu[] {
  if (bytes.length === 0) throw new FitsError('empty', 'the file is empty', { file });
  checkFitsSignature(bytes, file);
  const hdus: FitsHdu[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (hdus.length > 0 && allZero(bytes, off)) break; // trailing zero fill after the last HDU
    const index = hdus.length;
    const { header, end } = parseHeader(bytes, off, { file, hdu: index });
    const info = describeHdu(header, index, off, end, file);
    if (end + info.dataBytes > bytes.length) {
      throw new FitsError('truncated', `data of ${info.dataBytes} bytes declared at byte ${end}, but the file ends at byte ${bytes.length}`, header.where);
    }
    if (end + info.paddedBytes > bytes.length) {
      throw new FitsError('truncated', `the file ends at byte ${bytes.length}, inside the padding of this HDU's data (which ends at ${end + info.paddedBytes}); the file was probably cut short (FITS 4.0 sect. 3.1: files are whole 2880-byte blocks)`, header.where);
    }
    hdus.push(inMemoryHdu(info, bytes));
    off = end + info.paddedBytes;
  }
  return hdus;
}

function inMemoryHdu(info: HduInfo, bytes: Uint8Array): FitsHdu {
  const data = (): Uint8Array => bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  return {
    ...info,
    readImage: () => { requireType(info, 'image'); return decodeImage(info.header, data()); },
    readPlane: (leading) => {
      requireType(info, 'image');
      const r = planeRange(imageLayout(info.header), leading, info.header.where);
      return decodeImagePlane(info.header, data().subarray(r.byteOffset, r.byteOffset + r.byteLength), leading);
    },
    readTable: () => {
      requireType(info, 'table');
      return info.type === 'TABLE' ? decodeAsciiTable(info.header, data()) : decodeTable(info.header, data());
    },
    rawData: data,
    rawHeader: () => bytes.subarray(info.headerOffset, info.dataOffset),
    verifyChecksum: () => {
      const end = Math.min(bytes.length, info.dataOffset + info.paddedBytes);
      return verifyChecksum(bytes.subarray(info.headerOffset, info.dataOffset), bytes.subarray(info.dataOffset, end));
    },
  };
}

const STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|TTYPE\d+|TFORM\d+|TUNIT\d+|TDIM\d+|TNULL\d+|TSCAL\d+|TZERO\d+|TBCOL\d+|CHECKSUM|DATASUM|END)$/;
const IMAGE_SCALING = /^(BZERO|BSCALE)$/;

/** Cards and data an HDU spec will write, before CHECKSUM. */
export interface PreparedHdu {
  header: Header;
  data: Uint8Array;
}

const PCOUNT_GCOUNT: Card[] = [
  { keyword: 'PCOUNT', value: 0, kind: 'integer', comment: 'number of parameters' },
  { keyword: 'GCOUNT', value: 1, kind: 'integer', comment: 'number of groups' },
];

/** Header of an image HDU of this dtype and shape (for streaming writers: data come later). */
export function prepareImageHdu(user: Header, index: number, dtype: DType, shape: readonly number[], checksum: boolean): Header {
  const body = imageCards(dtype, shape);
  if (index > 0) body.splice(2 + shape.length, 0, ...PCOUNT_GCOUNT);
  return finish(user, index, 'IMAGE', body, new Uint8Array(0), checksum, false, true, dtype.startsWith('float')).header;
}

/** Structural cards first, then the user's other cards in their order (4.4.1). */
export function prepareHdu(spec: HduSpec, index: number, checksum: boolean): PreparedHdu {
  const where = { hdu: index };
  const user = spec.header;
  const kinds = [spec.image, spec.table, spec.rawData].filter((x) => x !== undefined).length;
  if (kinds > 1) throw new FitsError('bad-hdu-spec', 'give at most one of image, table, rawData', where);
  let body: Card[];
  let data: Uint8Array;
  let xtension: string;
  if (spec.table) {
    if (index === 0) throw new FitsError('bad-hdu-spec', 'the primary HDU cannot hold a table (FITS 4.0 sect. 4.4.1.1)', where);
    const t = encodeTable(spec.table.columns, spec.table.nrows);
    body = t.cards;
    data = t.data;
    xtension = 'BINTABLE';
  } else if (spec.rawData) {
    const info = describeHdu(normalizedFirst(user, index), index, 0, 0);
    if (info.dataBytes !== spec.rawData.length) {
      throw new FitsError('bad-hdu-spec', `rawData has ${spec.rawData.length} bytes but the header declares ${info.dataBytes}`, where);
    }
    body = user.cards.filter((c) => /^(BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS)$/.test(c.keyword));
    body = reorderStructural(body);
    data = spec.rawData;
    xtension = info.type === 'PRIMARY' ? 'IMAGE' : info.type;
    return finish(user, index, xtension, body, data, checksum, true);
  } else {
    const img = spec.image;
    if (img) {
      const prepared = prepareImageHdu(user, index, img.dtype, img.shape, checksum);
      return { header: prepared, data: encodeImageData(img) };
    }
    body = [{ keyword: 'BITPIX', value: 8, kind: 'integer', comment: 'array data type' }, { keyword: 'NAXIS', value: 0, kind: 'integer', comment: 'number of array dimensions' }];
    if (index > 0) body.push(...PCOUNT_GCOUNT);
    data = new Uint8Array(0);
    xtension = 'IMAGE';
  }
  return finish(user, index, xtension, body, data, checksum, false);
}

function normalizedFirst(user: Header, index: number): Header {
  const h = user.clone();
  if (index === 0 && h.cards[0]?.keyword !== 'SIMPLE') h.cards.unshift({ keyword: 'SIMPLE', value: true, kind: 'logical' });
  if (index > 0 && h.cards[0]?.keyword !== 'XTENSION') {
    h.cards = h.cards.filter((c) => c.keyword !== 'SIMPLE' && c.keyword !== 'EXTEND');
    const x = h.get('XTENSION');
    h.remove('XTENSION');
    h.cards.unshift({ keyword: 'XTENSION', value: typeof x === 'string' ? x : 'IMAGE', kind: 'string' });
  }
  return h;
}

function reorderStructural(cards: Card[]): Card[] {
  const order = (k: string): number => {
    if (k === 'BITPIX') return 0;
    if (k === 'NAXIS') return 1;
    if (/^NAXIS\d+$/.test(k)) return 2 + Number(k.slice(5)) / 1000;
    return { PCOUNT: 3, GCOUNT: 4, TFIELDS: 5 }[k] ?? 6;
  };
  return [...cards].sort((a, b) => order(a.keyword) - order(b.keyword));
}

const RAW_STRUCTURAL = /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|TFIELDS|CHECKSUM|DATASUM|END)$/;

function finish(user: Header, index: number, xtension: string, body: Card[], data: Uint8Array, checksum: boolean, raw: boolean, dropScaling = false, float = false): PreparedHdu {
  const first: Card = index === 0
    ? { keyword: 'SIMPLE', value: true, kind: 'logical', comment: 'conforms to FITS standard' }
    : { keyword: 'XTENSION', value: xtension, kind: 'string', comment: xtension === 'IMAGE' ? 'Image extension' : 'binary table extension' };
  const withUserComment = (c: Card): Card => {
    const u = user.card(c.keyword);
    return u?.comment !== undefined ? { ...c, comment: u.comment } : c;
  };
  let cards: Card[] = [first, ...body.map(withUserComment)];
  if (index === 0) {
    // The primary has no PCOUNT/GCOUNT; EXTEND follows the last NAXISn (4.4.2.1).
    cards = cards.filter((c) => c.keyword !== 'PCOUNT' && c.keyword !== 'GCOUNT');
    const lastAxis = cards.reduce((acc, c, i) => (/^NAXIS\d*$/.test(c.keyword) ? i : acc), 0);
    cards.splice(lastAxis + 1, 0, withUserComment({ keyword: 'EXTEND', value: true, kind: 'logical' }));
  }
  const written = new Set(cards.map((c) => c.keyword));
  const skip = raw ? RAW_STRUCTURAL : STRUCTURAL;
  for (const c of user.cards) {
    if (skip.test(c.keyword) || (written.has(c.keyword) && c.kind !== 'commentary')) continue;
    if (dropScaling && IMAGE_SCALING.test(c.keyword)) continue;
    if (float && c.keyword === 'BLANK') continue;
    cards.push({ ...c });
  }
  const header = new Header(cards, { hdu: index });
  if (checksum) {
    header.cards.push({ keyword: 'CHECKSUM', value: '0000000000000000', kind: 'string', comment: 'HDU checksum' });
    header.cards.push({ keyword: 'DATASUM', value: '0', kind: 'string', comment: 'data unit checksum' });
  }
  return { header, data };
}

/** Fill CHECKSUM and DATASUM of a prepared header, given the data sum (App. J). */
export function applyChecksum(header: Header, datasum: number): Uint8Array {
  header.set('DATASUM', String(datasum));
  header.set('CHECKSUM', '0000000000000000');
  const zeroed = formatHeader(header);
  header.set('CHECKSUM', computeChecksum(zeroed, datasum));
  return formatHeader(header);
}

/** Header + padded data bytes of one HDU. */
export function serializeHdu(spec: HduSpec, index: number, opts: SerializeOptions = {}): Uint8Array {
  const checksum = opts.checksum ?? true;
  const { header, data } = prepareHdu(spec, index, checksum);
  const padded = padTo2880(data.length);
  const dataOut = new Uint8Array(padded);
  dataOut.set(data);
  // Binary table padding is zero; ASCII tables pad with spaces (3.3.2, 7.2).
  const headerBytes = checksum ? applyChecksum(header, computeDatasum(dataOut)) : formatHeader(header);
  const out = new Uint8Array(headerBytes.length + padded);
  out.set(headerBytes);
  out.set(dataOut, headerBytes.length);
  return out;
}

/** A whole FITS file. The first HDU is the primary (EXTEND = T). */
export function serializeFits(hdus: HduSpec[], opts: SerializeOptions = {}): Uint8Array {
  if (hdus.length === 0) throw new FitsError('bad-hdu-spec', 'a FITS file needs at least a primary HDU');
  const parts = hdus.map((h, i) => serializeHdu(h, i, opts));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}


