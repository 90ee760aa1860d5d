// parse -> serialize -> parse on every real file, plus writing NDArray values.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { index, ndarray, zeros, type NDArray } from '../ndarray/index.ts';
import { AsdfNDArray, isMarkedFloat, markFloat, parseAsdf, resolveArray, serializeAsdf, Tagged, type AsdfFile } from './index.ts';
import { findFiles } from './test-files.node.ts';

const allAsdfFiles = (): string[] => findFiles([sharedPath('external'), sharedPath('golden')], '.asdf');

/** Every node in traversal order: path, kind, tag and float-ness (so order, tags and 1.0-vs-1 are compared). */
function describeTree(tree: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, p: string, parent: object | null, key: string | number): void => {
    if (v instanceof Tagged) {
      out.push(`${p} !${v.tag}`);
      return walk(v.value, p, null, 0);
    }
    if (v instanceof AsdfNDArray) {
      out.push(`${p} ndarray ${v.tag} ${JSON.stringify([v.source, v.shape, v.datatype, v.byteorder, v.offset, v.strides])}`);
      if (v.inline !== undefined) walk(v.inline, `${p}.data`, null, 0);
      return;
    }
    if (Array.isArray(v)) {
      out.push(`${p} [${v.length}]`);
      return v.forEach((x, i) => walk(x, `${p}.${i}`, v, i));
    }
    if (v !== null && typeof v === 'object') {
      out.push(`${p} {${Object.keys(v).join(',')}}`);
      return Object.entries(v).forEach(([k, x]) => walk(x, `${p}.${k}`, v, k));
    }
    const float = typeof v === 'number' && parent !== null && isMarkedFloat(parent, key);
    out.push(`${p} ${typeof v}${float ? ' float' : ''} ${String(v)}`);
  };
  walk(tree, '', null, 0);
  return out;
}

function ndarrays(tree: unknown): AsdfNDArray[] {
  const out: AsdfNDArray[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof AsdfNDArray) out.push(v);
    else if (v instanceof Tagged) walk(v.value);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(tree);
  return out;
}

function bytesOf(a: NDArray): Uint8Array {
  return new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
}

/** Byte equality without vitest's (slow, element-wise) deep diff of large arrays. */
function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && Buffer.compare(x, y) === 0;
}

function expectSameFile(a: AsdfFile, b: AsdfFile, label: string): void {
  expect(b.tree, label).toEqual(a.tree);
  expect(describeTree(b.tree), label).toEqual(describeTree(a.tree));
  const na = ndarrays(a.tree), nb = ndarrays(b.tree);
  expect(nb.length, label).toBe(na.length);
  na.forEach((x, i) => {
    if (typeof x.source === 'string') return;
    expect(sameBytes(bytesOf(resolveArray(nb[i], b.blocks)), bytesOf(resolveArray(x, a.blocks))), `${label} array ${i}`).toBe(true);
  });
}

describe.skipIf(!HAVE_SHARED)('round trip of real files', () => {
  const files = HAVE_SHARED ? allAsdfFiles() : [];

  it.each(files.map((f) => [path.basename(f), f]))('%s: parse -> serialize -> parse is lossless', (_name, f) => {
    const a = parseAsdf(readFileSync(f), f);
    const out = serializeAsdf(a.tree);
    const b = parseAsdf(out, 'roundtrip');
    expectSameFile(a, b, path.basename(f));
    expect(b.blocks.length).toBe(a.blocks.length);
    expect(b.blocks.every((x) => x.checksumValid)).toBe(true);
    // a second pass is byte-identical (the writer is deterministic)
    expect(sameBytes(serializeAsdf(b.tree), out)).toBe(true);
  });

  it.each([['zlib'], ['bzp2']] as const)('round trips with %s-compressed blocks', (compression) => {
    for (const f of files) {
      const a = parseAsdf(readFileSync(f), f);
      if (a.blocks.length === 0 || a.blocks[0].data.length > 1_000_000) continue;
      const b = parseAsdf(serializeAsdf(a.tree, { compression }), 'compressed');
      expect(b.blocks.every((x) => x.compression === compression && x.checksumValid)).toBe(true);
      expectSameFile(a, b, path.basename(f));
      // and back to uncompressed
      expectSameFile(a, parseAsdf(serializeAsdf(b.tree, { compression: 'none' })), path.basename(f));
    }
  });

  it('compresses a 2 MB block (regions) with zlib and bzp2', () => {
    const f = files.find((x) => x.endsWith('jwst_miri_regions_0017.asdf'))!;
    const a = parseAsdf(readFileSync(f), f);
    for (const compression of ['zlib', 'bzp2'] as const) {
      const out = serializeAsdf(a.tree, { compression });
      expect(out.length).toBeLessThan(a.blocks[0].data.length / 4);
      expectSameFile(a, parseAsdf(out), compression);
    }
  });
});

describe('writing trees', () => {
  it('writes the standard header, root tag, end marker, blocks and index', () => {
    const out = serializeAsdf({ x: 1 });
    const text = new TextDecoder().decode(out);
    expect(text.startsWith('#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\n')).toBe(true);
    expect(text).toContain('asdf_library: !core/software-1.0.0');
    expect(text.endsWith('\n...\n')).toBe(true);
    const f = parseAsdf(out);
    expect(Object.keys(f.tree)).toEqual(['asdf_library', 'x']);
    expect((f.tree.asdf_library as Tagged).value).toEqual({ name: 'webbdesk', version: '0.1.0' });
  });

  it('puts NDArray values anywhere in new little-endian blocks and reads them back', () => {
    const img = ndarray(Float32Array.from({ length: 12 }, (_, i) => i * 0.5), [3, 4]);
    const dq = ndarray(Uint32Array.of(0, 1, 2 ** 31, 2 ** 32 - 1), [4]);
    const big = ndarray(BigInt64Array.of(-(2n ** 62n), 5n), [2]);
    const tree = { data: img, nested: { list: [dq, { deeper: big }] }, again: img };
    const out = serializeAsdf(tree);
    const text = new TextDecoder('latin1').decode(out);
    expect(text).toContain('!core/ndarray-1.1.0');
    expect(text).toContain('#ASDF BLOCK INDEX\n%YAML 1.1\n---\n- ');
    const f = parseAsdf(out);
    expect(f.blocks.length).toBe(3); // img written once
    const d = f.tree.data as AsdfNDArray;
    expect([d.source, d.datatype, d.byteorder, d.shape]).toEqual([0, 'float32', 'little', [3, 4]]);
    expect((f.tree.again as AsdfNDArray).source).toBe(0); // the same array shares its block
    expect(resolveArray(d, f.blocks)).toEqual(img);
    const nested = f.tree.nested as { list: [AsdfNDArray, { deeper: AsdfNDArray }] };
    expect(resolveArray(nested.list[0], f.blocks)).toEqual(dq);
    expect(resolveArray(nested.list[1].deeper, f.blocks)).toEqual(big);
    // block index offsets point at the blocks
    const idx = text.slice(text.indexOf('#ASDF BLOCK INDEX'));
    const offsets = [...idx.matchAll(/^- (\d+)$/gm)].map((m) => Number(m[1]));
    expect(offsets.length).toBe(3);
    for (const o of offsets) expect(text.slice(o, o + 4)).toBe('\xd3BLK');
  });

  it('writes views (subarrays) and strided arrays as their own data', () => {
    const cube = ndarray(Int16Array.from({ length: 24 }, (_, i) => i - 12), [2, 3, 4]);
    const plane = index(cube, 1);
    const column: NDArray = { data: Float64Array.from({ length: 12 }, (_, i) => i), dtype: 'float64', shape: [3], strides: [4] };
    const f = parseAsdf(serializeAsdf({ plane, column }));
    expect(Array.from(resolveArray(f.tree.plane as AsdfNDArray, f.blocks).data as Int16Array)).toEqual(Array.from(plane.data as Int16Array));
    expect(Array.from(resolveArray(f.tree.column as AsdfNDArray, f.blocks).data as Float64Array)).toEqual([0, 4, 8]);
  });

  it('keeps scalar types: floats stay floats, big ints, strings that look like numbers', () => {
    const tree: Record<string, unknown> = {
      one: 1, onef: 1, half: 0.5, tiny: 1e-30, huge: 1e300, neg0: -0, nan: NaN, inf: -Infinity,
      big: 2n ** 64n + 1n, s1: '09005', s2: '1.0', s3: 'yes', s4: 'null', s5: '', s6: '1e5', s7: '2024-05-06',
      t: true, n: null, list: [1, 2.5, 3],
    };
    markFloat(tree, 'onef');
    markFloat(tree.list as object, 0);
    const text = new TextDecoder().decode(serializeAsdf(tree));
    expect(text).toContain('\none: 1\n');
    expect(text).toContain('\nonef: 1.0\n');
    expect(text).toContain('\ntiny: 1.0e-30\n');
    expect(text).toContain('\nhuge: 1.0e+300\n');
    expect(text).toContain('\nnan: .nan\n');
    expect(text).toContain('\ninf: -.inf\n');
    expect(text).toContain("\ns1: '09005'\n");
    expect(text).toContain('\nlist: [ 1.0, 2.5, 3 ]\n');
    const back = parseAsdf(new TextEncoder().encode(text)).tree;
    const { asdf_library: _lib, ...rest } = back;
    expect(rest).toEqual({ ...tree, neg0: -0 });
    expect(isMarkedFloat(back, 'onef')).toBe(true);
    expect(isMarkedFloat(back, 'one')).toBe(false);
    expect(isMarkedFloat(back.list as object, 0)).toBe(true);
    expect(typeof back.big).toBe('bigint');
  });

  it('keeps unknown tags, anchors shared by several parents, and tagged scalars', () => {
    const shared = [-1, 1];
    const tree = {
      a: new Tagged('tag:example.org:thing/widget-2.0.0', { size: 3, parts: shared }),
      b: new Tagged('tag:stsci.edu:asdf/unit/unit-1.0.0', 'MJy/sr'),
      c: shared,
      d: new Tagged('tag:example.org:seq-1.0.0', ['x', 'y']),
    };
    const text = new TextDecoder().decode(serializeAsdf(tree));
    expect(text).toContain('a: !<tag:example.org:thing/widget-2.0.0>');
    expect(text).toContain('b: !unit/unit-1.0.0 MJy/sr');
    expect(text).toMatch(/parts: &id001 \[ -1, 1 \]/);
    expect(text).toContain('c: *id001');
    const back = parseAsdf(new TextEncoder().encode(text)).tree;
    expect(back.a).toEqual(tree.a);
    expect(back.b).toEqual(tree.b);
    expect(back.d).toEqual(tree.d);
    expect(back.c).toBe(((back.a as Tagged).value as { parts: unknown }).parts);
  });

  it('refuses values it cannot represent', () => {
    expect(() => serializeAsdf({ f: () => 1 })).toThrow(/cannot write a function at f/);
    expect(() => serializeAsdf({ m: new Map() })).toThrow(/cannot write a Map at m/);
    expect(() => serializeAsdf({ a: new AsdfNDArray({ source: 3, shape: [2], datatype: 'float32' }) })).toThrow(/no block data/);
  });

  it('zeros of every dtype survive a write/read', () => {
    for (const dtype of ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'] as const) {
      const a = zeros(dtype, [2, 3]);
      (a.data as unknown as Array<number | bigint>)[5] = dtype.includes('64') && dtype.startsWith('u') ? 7n : dtype.endsWith('int64') ? -7n : 7;
      const f = parseAsdf(serializeAsdf({ a }));
      expect(resolveArray(f.tree.a as AsdfNDArray, f.blocks), dtype).toEqual(a);
    }
  });
});
