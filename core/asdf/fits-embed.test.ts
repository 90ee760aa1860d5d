// ASDF-in-FITS: the ASDF_METADATA cell of every zoo FITS file (written by stdatamodels 6.0.0).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { ndarray } from '../ndarray/index.ts';
import {
  AsdfNDArray, fitsReferences, fitsSourceOf, parseAsdfInFits, resolveArray, serializeAsdfInFits, Tagged,
} from './index.ts';
import { findFiles } from './test-files.node.ts';
import { asdfCellOf, listHdus } from './test-support.ts';

function at(v: unknown, keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (cur instanceof Tagged) cur = cur.value;
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

describe.skipIf(!HAVE_SHARED)('ASDF extension of the zoo FITS files', () => {
  const zoo = sharedPath('golden', 'datamodels_zoo');
  const files = HAVE_SHARED ? findFiles([zoo], '.fits') : [];
  const expected = HAVE_SHARED ? JSON.parse(readFileSync(path.join(zoo, 'expected.json'), 'utf8')) : {};

  it('finds nine zoo FITS files', () => expect(files.length).toBe(9));

  it.each(files.map((f) => [path.basename(f), f]))('%s: the ASDF cell parses, meta matches, fits: sources exist', (name, f) => {
    const bytes = readFileSync(f);
    const cell = asdfCellOf(bytes);
    const a = parseAsdfInFits(cell, `${name}[ASDF]`);
    expect(a.standardVersion).toBe('1.6.0');
    // meta values as dm.open() returns them
    const exp = expected[name];
    for (const [p, v] of Object.entries(exp.meta as Record<string, unknown>)) {
      const got = at(a.tree, p.split('.'));
      if (typeof v === 'number' && !Number.isInteger(v)) expect(Math.abs((got as number) - v), p).toBeLessThanOrEqual(1e-12 * Math.abs(v));
      else expect(got, `${name} ${p}`).toEqual(v);
    }
    // every fits: reference names an HDU of the same file, with the declared shape
    const hdus = listHdus(bytes);
    const refs = fitsReferences(a.tree);
    expect(refs.length).toBeGreaterThan(0);
    for (const { path: p, node, ref } of refs) {
      const hdu = hdus.find((h) => h.extname === ref.extname && h.extver === ref.extver);
      expect(hdu, `${name} ${p} -> ${ref.extname},${ref.extver}`).toBeDefined();
      if (hdu!.xtension === 'IMAGE') expect(node.shape, p).toEqual([...hdu!.naxis].reverse());
      else expect(node.shape, p).toEqual([hdu!.naxis[1]]); // a table: one record per row
      expect(node.byteorder).toBe('big');
    }
    // arrays listed in expected.json that live in FITS are references of that shape
    for (const [key, info] of Object.entries((exp.arrays ?? {}) as Record<string, { shape: number[]; dtype: string }>)) {
      const node = a.tree[key];
      if (node instanceof AsdfNDArray && fitsSourceOf(node)) {
        expect(node.shape, key).toEqual(info.shape);
        if (typeof node.datatype === 'string') expect(node.datatype, key).toBe(info.dtype);
      }
    }
  });

  it('zoo_image_cal.fits: data/err/dq/area reference SCI/ERR/DQ/AREA version 1', () => {
    const a = parseAsdfInFits(asdfCellOf(readFileSync(path.join(zoo, 'zoo_image_cal.fits'))));
    expect(fitsSourceOf(a.tree.data)).toEqual({ extname: 'SCI', extver: 1 });
    expect(fitsSourceOf(a.tree.dq)).toEqual({ extname: 'DQ', extver: 1 });
    expect(fitsSourceOf(a.tree.area)).toEqual({ extname: 'AREA', extver: 1 });
    expect((a.tree.data as AsdfNDArray).datatype).toBe('float32');
    expect(fitsSourceOf(a.tree.meta)).toBeUndefined();
    expect(() => resolveArray(a.tree.data as AsdfNDArray, a.blocks)).toThrow(/source "fits:SCI,1"/);
    expect(a.blocks.length).toBe(0);
  });

  it('zoo_mos_cal.fits: three slits with EXTVER 1..3 and WCS coefficients in embedded blocks', () => {
    const a = parseAsdfInFits(asdfCellOf(readFileSync(path.join(zoo, 'zoo_mos_cal.fits'))));
    const slits = a.tree.slits as Tagged[];
    expect(slits.map((s) => s.tag)).toEqual(Array(3).fill('tag:stsci.edu:asdf/core/asdf-1.1.0'));
    expect(slits.map((s) => fitsSourceOf(at(s, ['data'])))).toEqual([1, 2, 3].map((v) => ({ extname: 'SCI', extver: v })));
    expect(at(slits[2], ['name'])).toBe('13');
    expect(at(slits[2], ['source_xpos'])).toBe(1.1400000000000001);
    expect(a.blocks.length).toBe(3);
    const poly = at(slits[2], ['meta', 'wcs', 'steps', '0', 'transform', 'forward', '1', 'forward', '1']) as Tagged;
    expect(poly.tag).toBe('tag:stsci.edu:asdf/transform/polynomial-1.3.0');
    const coeffs = resolveArray(at(poly, ['coefficients']) as AsdfNDArray, a.blocks);
    expect(coeffs.shape).toEqual([2]);
    expect(coeffs.dtype).toBe('float64');
    expect(at(poly, ['domain'])).toBe(at(poly, ['window'])); // one anchor, *id001
  });

  it('zoo_x1d.fits: spectral tables are structured fits: references', () => {
    const a = parseAsdfInFits(asdfCellOf(readFileSync(path.join(zoo, 'zoo_x1d.fits'))));
    const spec = a.tree.spec as Tagged[];
    const table = at(spec[1], ['spec_table']) as AsdfNDArray;
    expect(fitsSourceOf(table)).toEqual({ extname: 'EXTRACT1D', extver: 2 });
    expect(table.shape).toEqual([157]);
    const fields = table.datatype as Array<{ name: string; datatype: string; byteorder: string }>;
    expect(fields.length).toBe(18);
    expect(fields[0]).toEqual({ byteorder: 'big', datatype: 'float64', name: 'WAVELENGTH' });
    expect(fields[11]).toEqual({ byteorder: 'big', datatype: 'uint32', name: 'DQ' });
    expect(typeof a.tree._fits_hash).toBe('string');
  });

  it('round trips every cell (references stay references)', () => {
    for (const f of files) {
      const a = parseAsdfInFits(asdfCellOf(readFileSync(f)), f);
      const b = parseAsdfInFits(serializeAsdfInFits(a.tree, new Map()), 'rt');
      expect(b.tree, f).toEqual(a.tree);
      expect(fitsReferences(b.tree).map((r) => r.ref)).toEqual(fitsReferences(a.tree).map((r) => r.ref));
    }
  });
});

describe('serializeAsdfInFits', () => {
  it('turns listed arrays into fits: references and keeps small arrays in blocks', () => {
    const sci = ndarray(new Float32Array(6), [2, 3]);
    const sci2 = ndarray(new Float32Array(4), [2, 2]);
    const coeffs = ndarray(Float64Array.of(1.5, -2), [2]);
    const tree = { data: sci, slits: [{ data: sci2 }], meta: { wcs: { coefficients: coeffs } } };
    const refs = new Map([[sci, { extname: 'SCI', extver: 1 }], [sci2, { extname: 'SCI', extver: 2 }]]);
    const bytes = serializeAsdfInFits(tree, refs);
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).toContain('data: !core/ndarray-1.1.0\n  source: fits:SCI,1\n  datatype: float32\n  byteorder: big\n  shape: [ 2, 3 ]\n');
    const a = parseAsdfInFits(bytes);
    expect(fitsSourceOf(a.tree.data)).toEqual({ extname: 'SCI', extver: 1 });
    expect(fitsSourceOf(at(a.tree, ['slits', '0', 'data']))).toEqual({ extname: 'SCI', extver: 2 });
    expect(a.blocks.length).toBe(1);
    expect(Array.from(resolveArray(at(a.tree, ['meta', 'wcs', 'coefficients']) as AsdfNDArray, a.blocks).data as Float64Array)).toEqual([1.5, -2]);
  });

  it('ignores NUL padding after the embedded file and rejects bad references', () => {
    const bytes = serializeAsdfInFits({ x: 1 }, new Map());
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes);
    expect(parseAsdfInFits(padded).tree.x).toBe(1);
    const a = ndarray(new Float32Array(1), [1]);
    expect(() => serializeAsdfInFits({ a }, new Map([[a, { extname: 'SCI', extver: 0 }]]))).toThrow(/invalid FITS reference/);
  });
});
