// Damaged input must give an AsdfError (or, where the damage is harmless, a valid result): never another error type, never a hang.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { AsdfError } from '../errors/index.ts';
import { mulberry32 } from '../random/index.ts';
import { ndarray } from '../ndarray/index.ts';
import { AsdfNDArray, parseAsdf, resolveArray, serializeAsdf, Tagged, type AsdfFile } from './index.ts';

const rng = mulberry32;

function resolveAll(f: AsdfFile): void {
  const walk = (v: unknown): void => {
    if (v instanceof AsdfNDArray) {
      if (typeof v.source !== 'string') resolveArray(v, f.blocks);
    } else if (v instanceof Tagged) walk(v.value);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(f.tree);
}

/** Parse and decode every array: 'ok', or the AsdfError; anything else fails the test. */
function attempt(bytes: Uint8Array): 'ok' | AsdfError {
  try {
    resolveAll(parseAsdf(bytes, 'damaged.asdf'));
    return 'ok';
  } catch (e) {
    if (e instanceof AsdfError) return e;
    throw new Error(`not an AsdfError: ${String(e)}`, { cause: e });
  }
}

function samples(): Array<{ name: string; bytes: Uint8Array }> {
  const img = ndarray(Float32Array.from({ length: 600 }, (_, i) => Math.sin(i)), [20, 30]);
  const tree = { meta: { a: 1.5, b: 'text', c: [1, 2, 3] }, data: img, dq: ndarray(new Uint32Array(64).fill(7), [8, 8]) };
  const out = [
    { name: 'synthetic', bytes: serializeAsdf(tree) },
    { name: 'synthetic-zlib', bytes: serializeAsdf(tree, { compression: 'zlib' }) },
    { name: 'synthetic-bzp2', bytes: serializeAsdf(tree, { compression: 'bzp2' }) },
  ];
  if (HAVE_SHARED) {
    out.push({ name: 'distortion_0028', bytes: readFileSync(sharedPath('external', 'reffiles', 'miri', 'jwst_miri_distortion_0028.asdf')) });
    out.push({ name: 'ref_distortion', bytes: readFileSync(sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit', 'ref_distortion_mirimage.asdf')) });
    out.push({ name: 'pars-tweakreg', bytes: readFileSync(sharedPath('external', 'reffiles', 'pars-and-apcorr', 'jwst_miri_pars-tweakreg_0001.asdf')) });
  }
  return out;
}

/** Byte ranges holding block data, and where the block index starts. */
function layout(bytes: Uint8Array): { data: Array<[number, number]>; index: number } {
  const text = new TextDecoder('latin1').decode(bytes);
  const index = text.lastIndexOf('#ASDF BLOCK INDEX');
  const data: Array<[number, number]> = [];
  for (let p = text.indexOf('\xd3BLK'); p >= 0 && p < (index < 0 ? bytes.length : index); ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const start = p + 6 + view.getUint16(p + 4);
    const used = Number(view.getBigUint64(p + 22));
    data.push([start, start + used]);
    p = start + Number(view.getBigUint64(p + 14));
  }
  return { data, index: index < 0 ? bytes.length : index };
}

describe('corrupted files', () => {
  const files = samples();

  it('truncation at random points gives AsdfError (only a cut inside the trailing block index may still read)', () => {
    const next = rng(20241121);
    let errors = 0;
    for (let k = 0; k < 60; k++) {
      const f = files[k % files.length];
      const cut = Math.floor(next() * f.bytes.length);
      const t0 = performance.now();
      const r = attempt(f.bytes.slice(0, cut));
      expect(performance.now() - t0, `${f.name} cut ${cut}`).toBeLessThan(2000);
      if (r === 'ok') expect(cut, `${f.name} cut at ${cut} read without error`).toBeGreaterThanOrEqual(layout(f.bytes).index);
      else errors++;
    }
    expect(errors).toBeGreaterThan(45);
  });

  it('flipped bytes give AsdfError or a valid read; inside block data they are always caught (MD5)', () => {
    const next = rng(7);
    let caught = 0;
    for (let k = 0; k < 60; k++) {
      const f = files[k % files.length];
      const bytes = f.bytes.slice();
      const { data } = layout(bytes);
      // half the flips inside block data, half anywhere
      let pos: number;
      if (k % 2 === 0 && data.length > 0) {
        const [s, e] = data[Math.floor(next() * data.length)];
        pos = s + Math.floor(next() * (e - s));
      } else pos = Math.floor(next() * bytes.length);
      bytes[pos] ^= 1 + Math.floor(next() * 255);
      const t0 = performance.now();
      const r = attempt(bytes);
      expect(performance.now() - t0, `${f.name} flip ${pos}`).toBeLessThan(2000);
      const inData = data.some(([s, e]) => pos >= s && pos < e);
      if (inData && r === 'ok') {
        // Only possible in unused trailing bits of a compressed stream: the data must be unchanged.
        expect(f.name, `flip in block data at ${pos} went unnoticed`).toMatch(/zlib|bzp2/);
        const before = parseAsdf(f.bytes).blocks, after = parseAsdf(bytes).blocks;
        after.forEach((b, i) => expect(Buffer.compare(b.data, before[i].data)).toBe(0));
      }
      if (r !== 'ok') caught++;
    }
    expect(caught).toBeGreaterThan(30);
  });

  it('reports specific problems with clear messages', () => {
    const good = serializeAsdf({ data: ndarray(new Float64Array(4), [4]) });
    const text = new TextDecoder('latin1').decode(good);
    expect(() => parseAsdf(new TextEncoder().encode('hello'), 'x.asdf')).toThrow(/^x\.asdf: not an ASDF file/);
    expect(() => parseAsdf(good.slice(0, text.indexOf('\n...\n')), 'x.asdf')).toThrow(/no "\.\.\." end marker/);
    const blk = text.indexOf('\xd3BLK');
    expect(() => parseAsdf(good.slice(0, blk + 40), 'x.asdf')).toThrow(/block 0 at byte \d+: truncated block header/);
    expect(() => parseAsdf(good.slice(0, blk + 60), 'x.asdf')).toThrow(/block 0 at byte \d+: block needs 32 bytes/);
    const lz4 = good.slice();
    lz4.set([0x6c, 0x7a, 0x34, 0], blk + 10);
    expect(() => parseAsdf(lz4, 'x.asdf')).toThrow(/block 0 at byte \d+: lz4 compression not supported/);
    const bad = good.slice();
    bad[blk + 54] ^= 0xff;
    expect(() => parseAsdf(bad, 'x.asdf')).toThrow(/block 0 at byte \d+: MD5 checksum mismatch/);
    const lenient = parseAsdf(bad, 'x.asdf', { verifyChecksums: false });
    expect(lenient.blocks[0].checksumValid).toBe(false);
    const yaml = new TextEncoder().encode('#ASDF 1.0.0\n%YAML 1.1\n---\na: [1, 2\nb: 3\n...\n');
    expect(() => parseAsdf(yaml, 'y.asdf')).toThrow(AsdfError);
    const dup = new TextEncoder().encode('#ASDF 1.0.0\n%YAML 1.1\n---\na: 1\na: 2\n...\n');
    expect(() => parseAsdf(dup, 'y.asdf')).toThrow(/y\.asdf.*(duplicate|unique)/i);
    const badSource = new TextEncoder().encode('#ASDF 1.0.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n---\na: !core/ndarray-1.0.0 {source: 4, datatype: float32, shape: [2]}\n...\n');
    expect(() => parseAsdf(badSource, 'y.asdf')).toThrow(/y\.asdf:5: ndarray: source 4 names no block/);
    const tooBig = parseAsdf(serializeAsdf({ a: new AsdfNDArray({ shape: [1000], datatype: 'float64', block: parseAsdf(good).blocks[0] }) }));
    expect(() => resolveArray(tooBig.tree.a as AsdfNDArray, tooBig.blocks)).toThrow(/needs bytes 0\.\.8000 but block 0 has 32/);
  });
});
