/**
 * A small N-d array over typed arrays, C order (last axis fastest).
 * FITS NAXIS1..n map to shape reversed: shape[0] is the slowest axis, as numpy shows it.
 * Views along leading axes share the buffer; nothing here copies unless it says so.
 */
import { BugError, WebbError } from '../errors/index.ts';

export type DType =
  | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32'
  | 'int64' | 'uint64' | 'float32' | 'float64';

export type TypedArray =
  | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export type DataFor<D extends DType> =
  D extends 'uint8' ? Uint8Array : D extends 'int8' ? Int8Array :
  D extends 'int16' ? Int16Array : D extends 'uint16' ? Uint16Array :
  D extends 'int32' ? Int32Array : D extends 'uint32' ? Uint32Array :
  D extends 'int64' ? BigInt64Array : D extends 'uint64' ? BigUint64Array :
  D extends 'float32' ? Float32Array : Float64Array;

export interface NDArray<D extends DType = DType> {
  readonly data: DataFor<D>;
  readonly dtype: D;
  /** Slowest axis first (numpy order). */
  readonly shape: readonly number[];
  /** Element strides, C order. */
  readonly strides: readonly number[];
}

type AnyCtor = new (arg: number | ArrayBufferLike) => TypedArray;
const CTORS: Record<DType, AnyCtor> = {
  uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  float32: Float32Array, float64: Float64Array,
} as Record<DType, AnyCtor>;

export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4,
  int64: 8, uint64: 8, float32: 4, float64: 8,
};

export function isDType(s: string): s is DType {
  return Object.prototype.hasOwnProperty.call(CTORS, s);
}

/** The dtype name of a typed array. */
export function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof BigUint64Array) return 'uint64';
  throw new BugError('not a supported typed array');
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function cStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

/** Allocate a typed array of `length` elements, optionally on a SharedArrayBuffer. */
export function allocData<D extends DType>(dtype: D, length: number, shared = false): DataFor<D> {
  const Ctor = CTORS[dtype];
  if (!shared) return new Ctor(length) as DataFor<D>;
  const sab = new SharedArrayBuffer(length * DTYPE_BYTES[dtype]);
  return new Ctor(sab) as DataFor<D>;
}

/** Wrap existing data; the length must agree with the shape. */
export function ndarray<D extends DType>(data: DataFor<D>, shape: readonly number[]): NDArray<D> {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new WebbError('bad-shape', `invalid shape [${shape.join(', ')}]`);
  }
  const n = sizeOf(shape);
  if (data.length !== n) {
    throw new WebbError('bad-shape', `data has ${data.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  }
  return { data, dtype: dtypeOf(data) as D, shape: [...shape], strides: cStrides(shape) };
}

export function zeros<D extends DType>(dtype: D, shape: readonly number[], opts: { shared?: boolean } = {}): NDArray<D> {
  return ndarray(allocData(dtype, sizeOf(shape), opts.shared), shape);
}

/** View of `a[i]` along the leading axis (no copy). */
export function index<D extends DType>(a: NDArray<D>, i: number): NDArray<D> {
  if (a.shape.length === 0) throw new WebbError('bad-index', 'cannot index a 0-d array');
  if (!Number.isInteger(i) || i < 0 || i >= a.shape[0]) {
    throw new WebbError('bad-index', `index ${i} out of range for axis 0 of length ${a.shape[0]}`);
  }
  const inner = a.shape.slice(1);
  const n = sizeOf(inner);
  return ndarray(a.data.subarray(i * n, (i + 1) * n) as DataFor<D>, inner);
}

/** View of `a[start:stop]` along the leading axis (no copy). */
export function slice<D extends DType>(a: NDArray<D>, start: number, stop: number): NDArray<D> {
  if (a.shape.length === 0) throw new WebbError('bad-index', 'cannot slice a 0-d array');
  if (!(0 <= start && start <= stop && stop <= a.shape[0])) {
    throw new WebbError('bad-index', `slice ${start}:${stop} out of range for axis 0 of length ${a.shape[0]}`);
  }
  const n = sizeOf(a.shape.slice(1));
  return ndarray(a.data.subarray(start * n, stop * n) as DataFor<D>, [stop - start, ...a.shape.slice(1)]);
}

/** Flat offset of a multi-index. */
export function offsetOf(a: NDArray, idx: readonly number[]): number {
  if (idx.length !== a.shape.length) throw new WebbError('bad-index', `expected ${a.shape.length} indices, got ${idx.length}`);
  let off = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (!Number.isInteger(i) || i < 0 || i >= a.shape[k]) {
      throw new WebbError('bad-index', `index ${i} out of range for axis ${k} of length ${a.shape[k]}`);
    }
    off += i * a.strides[k];
  }
  return off;
}

/** Element at a multi-index, as a number (64-bit integers converted; may lose precision past 2^53). */
export function get(a: NDArray, ...idx: number[]): number {
  return Number(a.data[offsetOf(a, idx)]);
}

/** A copy onto a new (optionally shared) buffer. */
export function copy<D extends DType>(a: NDArray<D>, opts: { shared?: boolean } = {}): NDArray<D> {
  const out = allocData(a.dtype, a.data.length, opts.shared);
  (out as TypedArray).set(a.data as never);
  return ndarray(out, a.shape);
}

/** Reshape without copying; the total size must agree. */
export function reshape<D extends DType>(a: NDArray<D>, shape: readonly number[]): NDArray<D> {
  return ndarray(a.data, shape);
}
