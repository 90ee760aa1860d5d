/**
 * The ASDF `core/ndarray` node (ASDF Standard, schema core/ndarray-1.0.0 / 1.1.0):
 * an array either inline (`data`: nested lists) or in a binary block (`source`:
 * block index, or a URI string such as `fits:SCI,1` for ASDF-in-FITS), with
 * `shape` (a leading `'*'` for a streamed block), `datatype`, `byteorder`,
 * `offset` and `strides` (both in bytes), and an optional `mask`.
 */
import { AsdfError } from '../errors/index.ts';
import { cStrides, ndarray, sizeOf, type DType, type NDArray, type TypedArray } from '../ndarray/index.ts';
import type { AsdfBlock } from './blocks.ts';

export const NDARRAY_TAG = 'tag:stsci.edu:asdf/core/ndarray-1.1.0';
const NDARRAY_TAG_RE = /^(?:tag:stsci\.edu:asdf\/core\/ndarray-1\.\d+\.\d+|asdf:\/\/asdf-format\.org\/core\/tags\/ndarray-1\.\d+\.\d+)$/;

export function isNdarrayTag(tag: string): boolean {
  return NDARRAY_TAG_RE.test(tag);
}

/** A structured (record) field: `{name, datatype, byteorder?, shape?}`. */
export interface AsdfField {
  name?: string;
  datatype: AsdfDatatype;
  byteorder?: 'big' | 'little';
  shape?: number[];
}

/** `'float32'`, `['ascii', n]`, `['ucs4', n]`, or a list of fields for records. */
export type AsdfDatatype = string | [string, number] | AsdfField[];

export type ByteOrder = 'big' | 'little';

const SCALAR_SIZES: Readonly<Record<string, number>> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8,
  float16: 2, float32: 4, float64: 8, complex64: 8, complex128: 16, bool8: 1,
};

/** Bytes per element of an ASDF datatype. */
export function itemSize(dt: AsdfDatatype, file?: string): number {
  if (typeof dt === 'string') {
    const n = SCALAR_SIZES[dt];
    if (n === undefined) throw new AsdfError('asdf-ndarray', `unknown datatype ${JSON.stringify(dt)}`, { file });
    return n;
  }
  if (Array.isArray(dt) && dt.length === 2 && (dt[0] === 'ascii' || dt[0] === 'ucs4') && typeof dt[1] === 'number') {
    return (dt[0] === 'ascii' ? 1 : 4) * dt[1];
  }
  if (Array.isArray(dt)) {
    let total = 0;
    for (const f of dt as unknown[]) {
      if (typeof f !== 'object' || f === null || !('datatype' in f)) {
        throw new AsdfError('asdf-ndarray', `bad record field in datatype ${JSON.stringify(dt)}`, { file });
      }
      const field = f as AsdfField;
      total += itemSize(field.datatype, file) * sizeOf(field.shape ?? []);
    }
    return total;
  }
  throw new AsdfError('asdf-ndarray', `bad datatype ${JSON.stringify(dt)}`, { file });
}

/** An ndarray node as read from (or to be written to) an ASDF tree. */
export class AsdfNDArray {
  tag: string;
  source?: number | string;
  shape: Array<number | '*'>;
  datatype: AsdfDatatype;
  byteorder: ByteOrder;
  /** Byte offset of the first element inside the block. */
  offset: number;
  /** Byte strides, slowest axis first; absent = C-contiguous. */
  strides?: number[];
  /** Inline nested-list data (`data` key). */
  inline?: unknown;
  mask?: unknown;
  /** Any other keys of the node, kept for writing back. */
  extra: Record<string, unknown>;
  /** The block this node's `source` pointed to when read (not enumerable, so trees compare by value). */
  declare block?: AsdfBlock;

  constructor(init: {
    tag?: string; source?: number | string; shape: Array<number | '*'>; datatype: AsdfDatatype;
    byteorder?: ByteOrder; offset?: number; strides?: number[]; inline?: unknown; mask?: unknown;
    extra?: Record<string, unknown>; block?: AsdfBlock;
  }) {
    this.tag = init.tag ?? NDARRAY_TAG;
    if (init.source !== undefined) this.source = init.source;
    this.shape = init.shape;
    this.datatype = init.datatype;
    this.byteorder = init.byteorder ?? 'little';
    this.offset = init.offset ?? 0;
    if (init.strides !== undefined) this.strides = init.strides;
    if (init.inline !== undefined) this.inline = init.inline;
    if (init.mask !== undefined) this.mask = init.mask;
    this.extra = init.extra ?? {};
    if (init.block) Object.defineProperty(this, 'block', { value: init.block, writable: true, enumerable: false, configurable: true });
  }
}

const HOST_LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function ndDType(dt: AsdfDatatype, file?: string): DType {
  if (typeof dt === 'string') {
    if (dt === 'bool8') return 'uint8';
    if (dt in SCALAR_SIZES && !/^(?:float16|complex)/.test(dt)) return dt as DType;
  }
  throw new AsdfError('asdf-unsupported', `datatype ${JSON.stringify(dt)} cannot be read as a numeric array`, { file });
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let p = 0; p < bytes.length; p += width) {
    for (let i = 0, j = width - 1; i < j; i++, j--) {
      const t = bytes[p + i];
      bytes[p + i] = bytes[p + j];
      bytes[p + j] = t;
    }
  }
}

function typed(dtype: DType, buf: ArrayBuffer): TypedArray {
  switch (dtype) {
    case 'uint8': return new Uint8Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'uint16': return new Uint16Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'uint64': return new BigUint64Array(buf);
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
  }
}

/** The concrete shape, replacing a streamed `'*'` by what the block holds. */
export function concreteShape(node: AsdfNDArray, available: number, file?: string): number[] {
  const shape = node.shape;
  if (!Array.isArray(shape)) throw new AsdfError('asdf-ndarray', 'ndarray shape is not a list', { file });
  const rest = shape.slice(1);
  const bad = (v: unknown): boolean => typeof v !== 'number' || !Number.isInteger(v) || v < 0;
  if (rest.some(bad) || (shape.length > 0 && shape[0] !== '*' && bad(shape[0]))) {
    throw new AsdfError('asdf-ndarray', `invalid ndarray shape ${JSON.stringify(shape)}`, { file });
  }
  if (shape[0] !== '*') return shape as number[];
  const row = itemSize(node.datatype, file) * sizeOf(rest as number[]);
  return [row > 0 ? Math.floor(Math.max(0, available - node.offset) / row) : 0, ...(rest as number[])];
}

/**
 * Read an ndarray node into a new NDArray in native byte order (a copy; C order).
 * Offsets and byte strides (also non-contiguous and negative ones) are honoured.
 * `blocks` are the file's blocks; FITS-referenced arrays must be read through the FITS file.
 */
export function resolveArray(node: AsdfNDArray, blocks: readonly AsdfBlock[], file?: string): NDArray {
  const dtype = ndDType(node.datatype, file);
  if (node.inline !== undefined) return fromInline(node, dtype, file);
  const src = node.source;
  if (typeof src === 'string') {
    throw new AsdfError('asdf-ndarray', `array data is external (source ${JSON.stringify(src)}); read it from that file or HDU`, { file });
  }
  const block = typeof src === 'number' ? blocks.at(src) ?? node.block : node.block;
  if (!block || !(Number.isInteger(src) || src === undefined)) {
    throw new AsdfError('asdf-ndarray', `ndarray source ${JSON.stringify(src)} names no block (file has ${blocks.length})`, { file });
  }
  const bytes = block.data;
  const width = itemSize(node.datatype, file);
  const shape = concreteShape(node, bytes.length, file);
  const n = sizeOf(shape);
  const contiguous = cStrides(shape).map((s) => s * width);
  const strides = node.strides ?? contiguous;
  if (!Array.isArray(strides) || strides.length !== shape.length || strides.some((s) => !Number.isInteger(s))) {
    throw new AsdfError('asdf-ndarray', `strides ${JSON.stringify(node.strides)} do not fit shape ${JSON.stringify(shape)}`, { file });
  }
  const offset = node.offset;
  if (!Number.isInteger(offset) || offset < 0) throw new AsdfError('asdf-ndarray', `invalid offset ${JSON.stringify(offset)}`, { file });
  const out = new Uint8Array(n * width);
  if (n > 0) {
    // Byte range touched by the view: check it lies inside the block before copying.
    let lo = offset, hi = offset;
    shape.forEach((len, k) => {
      const span = (len - 1) * strides[k];
      if (span < 0) lo += span; else hi += span;
    });
    if (lo < 0 || hi + width > bytes.length) {
      throw new AsdfError('asdf-ndarray', `array (shape ${JSON.stringify(shape)}, offset ${offset}) needs bytes ${lo}..${hi + width} but block ${String(src)} has ${bytes.length}`, { file });
    }
    if (strides.every((s, k) => s === contiguous[k])) out.set(bytes.subarray(offset, offset + n * width));
    else gather(bytes, out, shape, strides, offset, width);
  }
  if ((node.byteorder === 'big') === HOST_LITTLE) swapInPlace(out, dtype === 'uint8' || dtype === 'int8' ? 1 : width);
  return ndarray(typed(dtype, out.buffer) as never, shape);
}

function gather(src: Uint8Array, out: Uint8Array, shape: number[], strides: number[], offset: number, width: number): void {
  const idx = new Array<number>(shape.length).fill(0);
  const n = out.length / width;
  for (let e = 0; e < n; e++) {
    let p = offset;
    for (let k = 0; k < shape.length; k++) p += idx[k] * strides[k];
    out.set(src.subarray(p, p + width), e * width);
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
}

function fromInline(node: AsdfNDArray, dtype: DType, file?: string): NDArray {
  const flat: unknown[] = [];
  const dims: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) {
      if (dims.length === depth) dims.push(v.length);
      else if (dims[depth] !== v.length) throw new AsdfError('asdf-ndarray', 'inline ndarray data is ragged', { file });
      for (const x of v) walk(x, depth + 1);
    } else {
      if (depth !== dims.length) throw new AsdfError('asdf-ndarray', 'inline ndarray data is ragged', { file });
      flat.push(v);
    }
  };
  walk(node.inline, 0);
  const shape = node.shape.every((s) => typeof s === 'number') ? (node.shape as number[]) : dims;
  if (sizeOf(shape) !== flat.length) {
    throw new AsdfError('asdf-ndarray', `inline data has ${flat.length} values but shape ${JSON.stringify(node.shape)} needs ${sizeOf(shape)}`, { file });
  }
  const bigint = dtype === 'int64' || dtype === 'uint64';
  const data = typed(dtype, new ArrayBuffer(flat.length * itemSize(dtype)));
  flat.forEach((v, i) => {
    const x = typeof v === 'boolean' ? Number(v) : v === null ? NaN : v;
    if (typeof x !== 'number' && typeof x !== 'bigint') {
      throw new AsdfError('asdf-ndarray', `inline ndarray value ${JSON.stringify(String(v))} is not a number`, { file });
    }
    if (!bigint) (data as Float64Array)[i] = Number(x);
    else if (typeof x === 'bigint') (data as BigInt64Array)[i] = x;
    else if (Number.isInteger(x)) (data as BigInt64Array)[i] = BigInt(x);
    else throw new AsdfError('asdf-ndarray', `inline value ${x} is not an integer`, { file });
  });
  return ndarray(data as never, shape);
}

/** Little-endian bytes of an NDArray in C order (a copy when the view is strided or the host is big-endian). */
export function ndarrayBytes(a: NDArray): Uint8Array {
  const width = itemSize(a.dtype);
  const n = sizeOf(a.shape);
  const c = cStrides(a.shape);
  let data = a.data as TypedArray;
  if (!(a.data.length === n && a.strides.every((s, k) => s === c[k] || a.shape[k] <= 1))) {
    const dense = typed(a.dtype, new ArrayBuffer(n * width));
    const idx = new Array<number>(a.shape.length).fill(0);
    for (let e = 0; e < n; e++) {
      let p = 0;
      for (let k = 0; k < idx.length; k++) p += idx[k] * a.strides[k];
      (dense as unknown as unknown[])[e] = (a.data as unknown as unknown[])[p];
      for (let k = idx.length - 1; k >= 0; k--) {
        if (++idx[k] < a.shape[k]) break;
        idx[k] = 0;
      }
    }
    data = dense;
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, n * width);
  if (HOST_LITTLE) return bytes;
  const copy = bytes.slice();
  swapInPlace(copy, width);
  return copy;
}

/** One column of a structured (record) array: numbers as an NDArray, fixed-width text as strings. */
export type FieldColumn = NDArray | string[];

/**
 * Split a structured ndarray (datatype = list of fields) into columns, in native byte
 * order: numeric fields become NDArrays of shape [nrows, ...fieldShape], 'ascii'/'ucs4'
 * fields string arrays (trailing NULs removed). Block data only; C-contiguous rows
 * (the record size is the row stride) unless `strides` says otherwise.
 */
export function resolveFields(node: AsdfNDArray, blocks: readonly AsdfBlock[], file?: string): Map<string, FieldColumn> {
  const fields = node.datatype;
  if (!Array.isArray(fields) || fields.length === 0 || typeof fields[0] !== 'object') {
    throw new AsdfError('asdf-ndarray', `datatype ${JSON.stringify(node.datatype)} is not a record type`, { file });
  }
  // Read the raw records as bytes through resolveArray's bounds and stride handling.
  const recSize = itemSize(fields, file);
  const rowsNode = new AsdfNDArray({ ...node, datatype: 'uint8', extra: {}, block: node.block });
  rowsNode.shape = [...node.shape, recSize];
  if (node.strides) rowsNode.strides = [...node.strides, 1];
  const raw = resolveArray(rowsNode, blocks, file).data as Uint8Array;
  const nrows = raw.length / recSize;
  const out = new Map<string, FieldColumn>();
  let fieldOffset = 0;
  (fields as AsdfField[]).forEach((f, k) => {
    const name = f.name ?? `f${k}`;
    const count = sizeOf(f.shape ?? []);
    const width = itemSize(f.datatype, file);
    const bytes = new Uint8Array(nrows * width * count);
    for (let r = 0; r < nrows; r++) {
      bytes.set(raw.subarray(r * recSize + fieldOffset, r * recSize + fieldOffset + width * count), r * width * count);
    }
    fieldOffset += width * count;
    const dt = f.datatype;
    if (Array.isArray(dt) && (dt[0] === 'ascii' || dt[0] === 'ucs4')) {
      const strings: string[] = [];
      const unit = dt[0] === 'ascii' ? 1 : 4;
      const little = (f.byteorder ?? node.byteorder) === 'little';
      for (let i = 0; i < nrows * count; i++) {
        let s = '';
        for (let c = 0; c < width; c += unit) {
          const p = i * width + c;
          const code = unit === 1 ? bytes[p] : little
            ? bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)
            : (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
          if (code === 0) break;
          s += String.fromCodePoint(code >>> 0);
        }
        strings.push(s);
      }
      out.set(name, strings);
      return;
    }
    const dtype = ndDType(dt, file);
    if ((f.byteorder ?? node.byteorder) === 'big' ? HOST_LITTLE : !HOST_LITTLE) swapInPlace(bytes, width);
    out.set(name, ndarray(typed(dtype, bytes.buffer) as never, count > 1 || (f.shape?.length ?? 0) > 0 ? [nrows, ...(f.shape ?? [])] : [nrows]));
  });
  return out;
}
