import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndarray, sizeOf, type NDArray } from '../ndarray/index.ts';
import { FitsFile, FitsRandomWriter, writeFits } from './index.node.ts';
import { Header, type HduSpec } from './index.ts';

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-fitsrand-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape4 = [3, 4, 7, 5];
const ramp = ndarray(Uint16Array.from({ length: sizeOf(shape4) }, (_, i) => (i * 997 + 13) % 65536), shape4);
const cube = ndarray(Float32Array.from({ length: 3 * 7 * 5 }, (_, i) => Math.sin(i) * 1e3), [3, 7, 5]);
const dq = ndarray(Uint8Array.from({ length: 3 * 7 * 5 }, (_, i) => (i * 31) % 256), [3, 7, 5]);

function specs(): HduSpec[] {
  return [
    { header: new Header().add('TELESCOP', 'JWST', 'telescope') },
    { header: new Header().add('EXTNAME', 'SCI').add('BUNIT', 'DN'), image: ramp },
    { header: new Header().add('EXTNAME', 'ERR'), image: cube },
    { header: new Header().add('EXTNAME', 'INT_TIMES'), table: { nrows: 3, columns: [{ name: 'integration_number', tform: 'J', data: Int32Array.from([1, 2, 3]) }] } },
    { header: new Header().add('EXTNAME', 'DQ'), image: dq },
  ];
}

/** Rows [y0, y1) of plane `lead` (flat plane index) of an array (copy). */
function rowsOf(a: NDArray, plane: number, y0: number, y1: number): NDArray {
  const [ny, nx] = a.shape.slice(-2) as [number, number];
  const d = a.data as Uint16Array;
  return ndarray(d.slice((plane * ny + y0) * nx, (plane * ny + y1) * nx) as never, [y1 - y0, nx]);
}

describe('FitsRandomWriter', () => {
  it('row blocks written in any order give the same bytes as writeFits (headers, data, CHECKSUM/DATASUM)', async () => {
    const whole = path.join(dir, 'whole.fits');
    await writeFits(whole, specs());
    const file = path.join(dir, 'random.fits');
    const s = specs();
    const w = await FitsRandomWriter.create(file, s.map((h) => (h.image ? { image: { header: h.header, dtype: h.image.dtype, shape: h.image.shape } } : { spec: h })));
    // Odd row blocks (3 rows: segments start at every byte position mod 4 for the uint8 DQ), last block first.
    const blocks = [[6, 7], [3, 6], [0, 3]] as const;
    for (const [y0, y1] of blocks) {
      for (let i = 0; i < 3; i++) for (let g = 0; g < 4; g++) await w.writeRows(1, [i, g], y0, rowsOf(ramp, i * 4 + g, y0, y1));
      for (let i = 2; i >= 0; i--) {
        await w.writeRows(2, [i], y0, rowsOf(cube, i, y0, y1));
        await w.writeRows(4, [i], y0, rowsOf(dq, i, y0, y1));
      }
    }
    await w.close();
    expect(Buffer.compare(readFileSync(file), readFileSync(whole))).toBe(0);
    const f = await FitsFile.open(file);
    try {
      for (const h of f.hdus) expect(await f.verifyChecksum(h.index)).toMatchObject({ present: true, valid: true, datasumValid: true });
      // readRows: one positioned read of rows [2, 5) of ramp[1, 3]
      const r = await f.readRows(1, [1, 3], 2, 5);
      expect(r.shape).toEqual([3, 5]);
      expect(Array.from(r.data as Uint16Array)).toEqual(Array.from(rowsOf(ramp, 7, 2, 5).data as Uint16Array));
      expect(Array.from((await f.readRows(2, [2], 0, 7)).data as Float32Array)).toEqual(Array.from(rowsOf(cube, 2, 0, 7).data as Float32Array));
      await expect(f.readRows(1, [1], 0, 2)).rejects.toThrow(/leave a 3-d array/);
      await expect(f.readRows(1, [1, 3], 5, 8)).rejects.toThrow(/out of range/);
    } finally {
      await f.close();
    }
  });

  it('close(final) rewrites headers in place (same length) and appends trailing HDUs: equal to writeFits of the final layout', async () => {
    const final = specs();
    final[0] = { header: new Header().add('TELESCOP', 'JWST', 'telescope').add('PRCRAYS', 0.125, 'rays') };
    final[1]!.header.set('BUNIT', 'DN/s');
    const tail: HduSpec = { header: new Header().add('EXTNAME', 'ASDF'), image: ndarray(Uint8Array.from([1, 2, 3]), [3]) };
    const whole = path.join(dir, 'final-whole.fits');
    await writeFits(whole, [...final, tail]);
    const file = path.join(dir, 'final.fits');
    const s = specs();
    s[0] = { header: new Header().add('TELESCOP', 'JWST', 'telescope').add('PRCRAYS', 99.5, 'rays') };
    const toLayout = (h: HduSpec) => (h.image ? { image: { header: h.header, dtype: h.image.dtype, shape: h.image.shape } } : { spec: h });
    const w = await FitsRandomWriter.create(file, s.map(toLayout));
    for (let i = 0; i < 3; i++) {
      for (let g = 0; g < 4; g++) await w.writeRows(1, [i, g], 0, rowsOf(ramp, i * 4 + g, 0, 7));
      await w.writeRows(2, [i], 0, rowsOf(cube, i, 0, 7));
      await w.writeRows(4, [i], 0, rowsOf(dq, i, 0, 7));
    }
    await w.close([...final.map(toLayout), { spec: tail }]);
    expect(Buffer.compare(readFileSync(file), readFileSync(whole))).toBe(0);
  });

  it('abort leaves no file; bad rows are refused', async () => {
    const file = path.join(dir, 'aborted.fits');
    const s = specs();
    const w = await FitsRandomWriter.create(file, [{ spec: s[0]! }, { image: { header: s[2]!.header, dtype: 'float32', shape: [3, 7, 5] } }]);
    await expect(w.writeRows(1, [0], 6, rowsOf(cube, 0, 0, 2))).rejects.toThrow(/do not fit/);
    await expect(w.writeRows(0, [], 0, rowsOf(cube, 0, 0, 2))).rejects.toThrow(/not an image placeholder/);
    await w.abort();
    expect(readdirSync(dir).filter((f) => f.includes('aborted'))).toEqual([]);
  });
});
