/**
 * Image data: big-endian two's complement integers or IEEE floats (FITS Standard 4.0,
 * sect. 5.2-5.3), scaled by BSCALE/BZERO (5.3, Table 11 for the unsigned offsets), with
 * BLANK marking undefined integers (4.4.2.5). Shapes are numpy order: NAXISn first.
 */
import { FitsError } from '../errors/index.ts';
import { DTYPE_BYTES, cStrides, ndarray, sizeOf, type DType, type NDArray, type TypedArray } from '../ndarray/index.ts';
import type { Card } from './card.ts';
import type { Header, Where } from './header.ts';
import { readAxes, readBitpix } from './hdu.ts';

export interface ImageLayout {
  bitpix: number;
  /** numpy order (NAXISn ... NAXIS1). */
  shape: number[];
  /** Stored element type. */
  rawDtype: DType;
  /** Element type after scaling. */
  dtype: DType;
  bzero: number;
  bscale: number;
  blank?: number | bigint;
  /** How stored values become `dtype` values. */
  mode: 'none' | 'offset' | 'scale';
}

const RAW_DTYPE: Record<number, DType> = { 8: 'uint8', 16: 'int16', 32: 'int32', 64: 'int64', [-32]: 'float32', [-64]: 'float64' };
const BITPIX_OF: Record<DType, number> = {
  uint8: 8, int8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64, float32: -32, float64: -64,
};
/** Table 11: the BZERO that maps a signed stored type to an unsigned one (or uint8 to int8). */
const OFFSET_DTYPE: Record<number, [number, DType]> = { 8: [-128, 'int8'], 16: [32768, 'uint16'], 32: [2 ** 31, 'uint32'], 64: [2 ** 63, 'uint64'] };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function numberKeyword(header: Header, key: string, dflt: number): number {
  const v = header.get(key);
  if (v === undefined) return dflt;
  const n = header.getNumber(key) as number;
  if (!Number.isFinite(n)) throw new FitsError('bad-value', `${key} = ${String(v)} is not a finite number`, { ...header.where, keyword: key });
  return n;
}

/** Element layout of an image HDU (primary or IMAGE extension). */
export function imageLayout(header: Header, where: Where = header.where): ImageLayout {
  const bitpix = readBitpix(header, where);
  const axes = readAxes(header, where);
  const shape = axes.slice().reverse();
  const rawDtype = RAW_DTYPE[bitpix];
  const bzero = numberKeyword(header, 'BZERO', 0);
  const bscale = numberKeyword(header, 'BSCALE', 1);
  if (bscale === 0) throw new FitsError('bad-value', 'BSCALE = 0 would make every value equal to BZERO', { ...where, keyword: 'BSCALE' });
  let blank: number | bigint | undefined;
  if (bitpix > 0 && header.has('BLANK')) {
    const b = header.getInteger('BLANK');
    if (b !== undefined) blank = b;
  }
  let dtype = rawDtype;
  let mode: ImageLayout['mode'] = 'none';
  if (bscale !== 1 || bzero !== 0) {
    const off = OFFSET_DTYPE[bitpix];
    if (off && bscale === 1 && bzero === off[0]) {
      dtype = off[1];
      mode = 'offset';
    } else {
      // Like astropy: 8/16-bit and float32 scale to float32, 32/64-bit and float64 to float64.
      dtype = bitpix === 8 || bitpix === 16 || bitpix === -32 ? 'float32' : 'float64';
      mode = 'scale';
    }
  }
  const layout: ImageLayout = { bitpix, shape, rawDtype, dtype, bzero, bscale, mode };
  if (blank !== undefined) layout.blank = blank;
  return layout;
}

/** Bytes per stored element. */
export function elementBytes(layout: ImageLayout): number {
  return Math.abs(layout.bitpix) / 8;
}

/** Reverse byte order of each `size`-byte element in place (the buffer must be our own). */
export function swapInPlace(u8: Uint8Array, size: number): void {
  if (!LITTLE_ENDIAN || size === 1) return;
  const n = Math.floor(u8.length / size);
  if (size === 2 && u8.byteOffset % 2 === 0) {
    const a = new Uint16Array(u8.buffer, u8.byteOffset, n);
    for (let i = 0; i < n; i++) { const x = a[i]; a[i] = ((x & 0xff) << 8) | (x >>> 8); }
    return;
  }
  if ((size === 4 || size === 8) && u8.byteOffset % 4 === 0) {
    const a = new Uint32Array(u8.buffer, u8.byteOffset, (n * size) / 4);
    if (size === 4) {
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        a[i] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
    } else {
      for (let i = 0; i < a.length; i += 2) {
        const x = a[i];
        const y = a[i + 1];
        a[i] = (y << 24) | ((y & 0xff00) << 8) | ((y >>> 8) & 0xff00) | (y >>> 24);
        a[i + 1] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
    }
    return;
  }
  for (let i = 0; i < n * size; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) { const t = u8[a]; u8[a] = u8[b]; u8[b] = t; }
  }
}

/** A byte-order swapper; the Node layer can pass a native one (Buffer#swap32). */
export type Swapper = (u8: Uint8Array, size: number) => void;

function viewOf(dtype: DType, u8: Uint8Array, n: number): TypedArray {
  const b = u8.buffer;
  const o = u8.byteOffset;
  switch (dtype) {
    case 'uint8': return new Uint8Array(b, o, n);
    case 'int8': return new Int8Array(b, o, n);
    case 'int16': return new Int16Array(b, o, n);
    case 'uint16': return new Uint16Array(b, o, n);
    case 'int32': return new Int32Array(b, o, n);
    case 'uint32': return new Uint32Array(b, o, n);
    case 'int64': return new BigInt64Array(b, o, n);
    case 'uint64': return new BigUint64Array(b, o, n);
    case 'float32': return new Float32Array(b, o, n);
    case 'float64': return new Float64Array(b, o, n);
  }
}

/** Flip the sign bit of every element: signed <-> unsigned with the Table 11 offset. */
function flipSignBits(u8: Uint8Array, size: number, n: number): void {
  if (size === 1) { for (let i = 0; i < n; i++) u8[i] ^= 0x80; return; }
  if (size === 2) { const a = new Uint16Array(u8.buffer, u8.byteOffset, n); for (let i = 0; i < n; i++) a[i] ^= 0x8000; return; }
  const a = new Uint32Array(u8.buffer, u8.byteOffset, (n * size) / 4);
  // Native order: the most significant 32-bit word of an int64 is the second on little-endian.
  const step = size / 4;
  const first = size === 8 && LITTLE_ENDIAN ? 1 : 0;
  for (let i = first; i < a.length; i += step) a[i] ^= 0x80000000;
}

/**
 * Decode stored bytes that the caller hands over (`owned` must not be shared with anyone:
 * it is byte-swapped in place and may become the result's buffer). `owned.byteOffset`
 * must be a multiple of 8.
 */
export function decodeImageOwned(layout: ImageLayout, owned: Uint8Array, shape: readonly number[], swap: Swapper = swapInPlace): NDArray {
  const size = elementBytes(layout);
  const n = sizeOf(shape);
  if (owned.length < n * size) throw new FitsError('truncated', `image data has ${owned.length} bytes, shape [${shape.join(', ')}] needs ${n * size}`);
  const bytes = owned.length === n * size ? owned : owned.subarray(0, n * size);
  swap(bytes, size);
  if (layout.mode === 'offset') {
    flipSignBits(bytes, size, n);
    return ndarray(viewOf(layout.dtype, bytes, n), shape);
  }
  const raw = viewOf(layout.rawDtype, bytes, n);
  if (layout.mode === 'none') return ndarray(raw, shape);
  return ndarray(scaleValues(layout, raw, n), shape);
}

function scaleValues(layout: ImageLayout, raw: TypedArray, n: number): Float32Array | Float64Array {
  const out = layout.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const { bscale, bzero } = layout;
  if (raw instanceof BigInt64Array) {
    const blank = layout.blank === undefined ? undefined : BigInt(layout.blank);
    for (let i = 0; i < n; i++) out[i] = raw[i] === blank ? NaN : Number(raw[i]) * bscale + bzero;
    return out;
  }
  const r = raw as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
  if (layout.blank !== undefined && layout.bitpix > 0) {
    const blank = Number(layout.blank);
    for (let i = 0; i < n; i++) { const v = r[i]; out[i] = v === blank ? NaN : v * bscale + bzero; }
  } else {
    for (let i = 0; i < n; i++) out[i] = r[i] * bscale + bzero;
  }
  return out;
}

/** Copy `bytes[0..length)` onto a fresh 8-byte aligned buffer. */
function freshCopy(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}

/**
 * Decode a whole image from its data bytes (big-endian, unpadded or padded). The input is
 * never modified: bytes are copied once into a new buffer and converted there.
 */
export function decodeImage(header: Header, bytes: Uint8Array, where: Where = header.where): NDArray {
  const layout = imageLayout(header, where);
  const need = sizeOf(layout.shape) * elementBytes(layout);
  if (layout.shape.length === 0) return ndarray(viewOf(layout.dtype, new Uint8Array(0), 0), [0]);
  if (bytes.length < need) {
    throw new FitsError('truncated', `image data are ${bytes.length} bytes, the header declares ${need} (shape [${layout.shape.join(', ')}], BITPIX ${layout.bitpix})`, where);
  }
  return decodeImageOwned(layout, freshCopy(bytes, need), layout.shape);
}

/** Byte range (within the data) and shape of the sub-array `a[leading...]`. */
export function planeRange(layout: ImageLayout, leading: readonly number[], where: Where = {}): { byteOffset: number; byteLength: number; shape: number[] } {
  const { shape } = layout;
  if (leading.length > shape.length) throw new FitsError('bad-index', `${leading.length} leading indices for a ${shape.length}-d image`, where);
  const strides = cStrides(shape);
  let off = 0;
  for (let k = 0; k < leading.length; k++) {
    const i = leading[k];
    if (!Number.isInteger(i) || i < 0 || i >= shape[k]) {
      throw new FitsError('bad-index', `index ${i} out of range for axis ${k} of length ${shape[k]} (shape [${shape.join(', ')}])`, where);
    }
    off += i * strides[k];
  }
  const sub = shape.slice(leading.length);
  const size = elementBytes(layout);
  return { byteOffset: off * size, byteLength: sizeOf(sub) * size, shape: sub };
}

/** Decode the sub-array `a[leading...]` from the bytes of that plane only. */
export function decodeImagePlane(header: Header, planeBytes: Uint8Array, leading: readonly number[], where: Where = header.where): NDArray {
  const layout = imageLayout(header, where);
  const r = planeRange(layout, leading, where);
  if (planeBytes.length < r.byteLength) {
    throw new FitsError('truncated', `plane [${leading.join(', ')}] has ${planeBytes.length} bytes, needs ${r.byteLength}`, where);
  }
  return decodeImageOwned(layout, freshCopy(planeBytes, r.byteLength), r.shape);
}

export interface EncodeImageOptions {
  /** Written as BZERO/BSCALE for signed integer (or uint8) data stored as given. */
  bzero?: number;
  bscale?: number;
}

/** Structural cards for an image of this dtype and shape (BITPIX, NAXIS, NAXISn, BZERO, BSCALE). */
export function imageCards(dtype: DType, shape: readonly number[], opts: EncodeImageOptions = {}): Card[] {
  const bitpix = BITPIX_OF[dtype];
  if (bitpix === undefined) throw new FitsError('unsupported', `cannot write dtype ${String(dtype)} as a FITS image`);
  const cards: Card[] = [
    { keyword: 'BITPIX', value: bitpix, kind: 'integer', comment: 'array data type' },
    { keyword: 'NAXIS', value: shape.length, kind: 'integer', comment: 'number of array dimensions' },
  ];
  for (let i = 0; i < shape.length; i++) cards.push({ keyword: `NAXIS${i + 1}`, value: shape[shape.length - 1 - i], kind: 'integer' });
  const offset = dtype === 'int8' || dtype === 'uint16' || dtype === 'uint32' || dtype === 'uint64';
  if (offset) {
    const bz = OFFSET_DTYPE[bitpix][0];
    cards.push({ keyword: 'BZERO', value: bitpix === 64 ? 9223372036854775808n : bz, kind: 'integer', comment: 'offset data range to that of unsigned' });
    cards.push({ keyword: 'BSCALE', value: 1, kind: 'integer', comment: 'default scaling factor' });
    if (opts.bzero !== undefined || opts.bscale !== undefined) throw new FitsError('unsupported', `BZERO/BSCALE options cannot be combined with ${dtype} data (it already uses the unsigned offset)`);
  } else if (opts.bzero !== undefined || opts.bscale !== undefined) {
    if (bitpix < 0) throw new FitsError('unsupported', 'BZERO/BSCALE options apply to integer data only');
    cards.push({ keyword: 'BZERO', value: opts.bzero ?? 0, kind: Number.isInteger(opts.bzero ?? 0) ? 'integer' : 'float' });
    cards.push({ keyword: 'BSCALE', value: opts.bscale ?? 1, kind: Number.isInteger(opts.bscale ?? 1) ? 'integer' : 'float' });
  }
  return cards;
}

/** Big-endian stored bytes of an array (a new buffer; the input is not touched). */
export function encodeImageData(arr: NDArray, swap: Swapper = swapInPlace): Uint8Array {
  const src = arr.data;
  const size = DTYPE_BYTES[arr.dtype];
  const out = new Uint8Array(src.length * size);
  out.set(new Uint8Array(src.buffer, src.byteOffset, src.length * size));
  if (arr.dtype === 'int8' || arr.dtype === 'uint16' || arr.dtype === 'uint32' || arr.dtype === 'uint64') flipSignBits(out, size, src.length);
  swap(out, size);
  return out;
}

/** Cards and big-endian data for an image HDU (unsigned types use the Table 11 BZERO). */
export function encodeImage(arr: NDArray, opts: EncodeImageOptions = {}): { cards: Card[]; data: Uint8Array } {
  return { cards: imageCards(arr.dtype, arr.shape, opts), data: encodeImageData(arr) };
}
