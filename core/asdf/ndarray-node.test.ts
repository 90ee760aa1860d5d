import { describe, expect, it } from 'vitest';
import { AsdfError } from '../errors/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { AsdfNDArray, parseAsdf, resolveArray, resolveFields, serializeAsdf, type AsdfBlock } from './index.ts';
import { md5 } from './md5.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

describe('ndarray nodes', () => {
  it('reads a streamed block (flag 0x1, shape with a leading "*")', () => {
    const yaml = enc('#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\n'
      + "s: !core/ndarray-1.1.0 {source: -1, datatype: float32, byteorder: big, shape: ['*', 2]}\n...\n");
    const header = new Uint8Array(6 + 48);
    const v = new DataView(header.buffer);
    header.set([0xd3, 0x42, 0x4c, 0x4b]);
    v.setUint16(4, 48);
    v.setUint32(6, 1); // STREAMED; sizes stay 0
    const body = new Uint8Array(3 * 2 * 4 + 2); // three rows and a partial one
    const bv = new DataView(body.buffer);
    for (let i = 0; i < 6; i++) bv.setFloat32(4 * i, i + 0.5);
    // source -1: the last block, as writers use for a streamed array
    const f = parseAsdf(concat(yaml, header, body));
    expect(f.blocks[0].streamed).toBe(true);
    const a = resolveArray(f.tree.s as AsdfNDArray, f.blocks);
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data as Float32Array)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
    // written back as an ordinary block holding the same bytes
    const g = parseAsdf(serializeAsdf(f.tree));
    expect((g.tree.s as AsdfNDArray).source).toBe(0);
    expect(resolveArray(g.tree.s as AsdfNDArray, g.blocks)).toEqual(a);
  });

  it('splits structured (record) arrays into columns', () => {
    // 3 records of (WAVELENGTH >f8, DQ >u4, FLAG u1, NAME ascii4, XY <i2[2])
    const rec = 8 + 4 + 1 + 4 + 4;
    const data = new Uint8Array(3 * rec);
    const v = new DataView(data.buffer);
    ['abc', 'dq', 'wxyz'].forEach((name, r) => {
      const o = r * rec;
      v.setFloat64(o, 5 + r / 4, false);
      v.setUint32(o + 8, 1 << (r * 10), false);
      v.setUint8(o + 12, r);
      data.set(enc(name), o + 13);
      v.setInt16(o + 17, -r, true);
      v.setInt16(o + 19, 100 * r, true);
    });
    const block: AsdfBlock = { data, compression: 'none', checksum: md5(data), checksumValid: true };
    const node = new AsdfNDArray({
      source: 0, shape: [3], byteorder: 'big', block,
      datatype: [
        { name: 'WAVELENGTH', datatype: 'float64', byteorder: 'big' },
        { name: 'DQ', datatype: 'uint32', byteorder: 'big' },
        { name: 'FLAG', datatype: 'uint8' },
        { name: 'NAME', datatype: ['ascii', 4] },
        { name: 'XY', datatype: 'int16', byteorder: 'little', shape: [2] },
      ],
    });
    const f = parseAsdf(serializeAsdf({ table: node }));
    const cols = resolveFields(f.tree.table as AsdfNDArray, f.blocks);
    expect([...cols.keys()]).toEqual(['WAVELENGTH', 'DQ', 'FLAG', 'NAME', 'XY']);
    expect(Array.from((cols.get('WAVELENGTH') as { data: Float64Array }).data)).toEqual([5, 5.25, 5.5]);
    expect(Array.from((cols.get('DQ') as { data: Uint32Array }).data)).toEqual([1, 1024, 1048576]);
    expect(cols.get('NAME')).toEqual(['abc', 'dq', 'wxyz']);
    const xy = cols.get('XY') as NDArray;
    expect(xy.shape).toEqual([3, 2]);
    expect(Array.from(xy.data as Int16Array)).toEqual([0, 0, -1, 100, -2, 200]);
    expect(() => resolveArray(f.tree.table as AsdfNDArray, f.blocks)).toThrow(AsdfError);
  });

  it('reads bool8 inline data and rejects unsupported datatypes with AsdfError', () => {
    const f = parseAsdf(enc('#ASDF 1.0.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\n'
      + 'm: !core/ndarray-1.0.0 {data: [[true, false], [false, true]], datatype: bool8, shape: [2, 2]}\n'
      + 'c: !core/ndarray-1.0.0 {data: [1, 2], datatype: complex128, shape: [2]}\n'
      + 'i: !core/ndarray-1.0.0 {data: [1, 2, 3]}\n...\n'));
    expect(Array.from(resolveArray(f.tree.m as AsdfNDArray, f.blocks).data as Uint8Array)).toEqual([1, 0, 0, 1]);
    expect(() => resolveArray(f.tree.c as AsdfNDArray, f.blocks)).toThrow(/complex128.*cannot be read as a numeric array/);
    const i = resolveArray(f.tree.i as AsdfNDArray, f.blocks);
    expect([i.dtype, i.shape, Array.from(i.data as BigInt64Array)]).toEqual(['int64', [3], [1n, 2n, 3n]]);
  });
});
