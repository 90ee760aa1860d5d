import { describe, expect, it } from 'vitest';
import { copy, get, index, ndarray, reshape, slice, zeros } from './index.ts';

describe('ndarray', () => {
  it('uses C order with shape slowest-first', () => {
    const a = ndarray(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    expect(a.strides).toEqual([12, 4, 1]);
    expect(get(a, 1, 2, 3)).toBe(23);
    expect(get(a, 0, 1, 0)).toBe(4);
  });

  it('views along the leading axis share the buffer', () => {
    const a = zeros('uint16', [3, 2, 2]);
    const v = index(a, 1);
    v.data[0] = 7;
    expect(a.data[4]).toBe(7);
    expect(v.shape).toEqual([2, 2]);
    expect(slice(a, 1, 3).shape).toEqual([2, 2, 2]);
    expect(slice(a, 1, 3).data.buffer).toBe(a.data.buffer);
  });

  it('checks buffer length against shape', () => {
    expect(() => ndarray(new Float64Array(5), [2, 3])).toThrow(/5 elements but shape \[2, 3\] needs 6/);
    expect(() => index(zeros('float32', [2, 2]), 2)).toThrow(/out of range/);
    expect(() => reshape(zeros('float32', [2, 2]), [3])).toThrow();
  });

  it('allocates on SharedArrayBuffer when asked', () => {
    const a = zeros('float32', [4, 4], { shared: true });
    expect(a.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const b = copy(ndarray(new Int32Array([1, 2, 3]), [3]), { shared: true });
    expect(b.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...b.data]).toEqual([1, 2, 3]);
  });
});
