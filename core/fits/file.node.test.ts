import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FitsError } from '../errors/index.ts';
import { index, ndarray, sizeOf, type NDArray } from '../ndarray/index.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { FitsFile, FitsWriter, writeFits } from './index.node.ts';
import { Header, parseFits, serializeFits, type HduSpec } from './index.ts';

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-fits-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ramp(): NDArray<'uint16'> {
  const shape = [3, 4, 5, 6];
  return ndarray(Uint16Array.from({ length: sizeOf(shape) }, (_, i) => (i * 997) % 65536), shape);
}

function specs(): HduSpec[] {
  const prim = new Header().add('TELESCOP', 'JWST', 'telescope').add('HISTORY', 'made by a test');
  return [
    { header: prim },
    { header: new Header().add('EXTNAME', 'SCI').add('BUNIT', 'DN'), image: ramp() },
    { header: new Header().add('EXTNAME', 'INT_TIMES'), table: { nrows: 3, columns: [{ name: 'integration_number', tform: 'J', data: Int32Array.from([1, 2, 3]) }] } },
  ];
}

describe.skipIf(!HAVE_SHARED)('FitsFile lazy access', () => {
  const uncal = sharedPath('golden', 'detector1_miri', 'p01_slitlessprism_tso', 'jw09002001011_03102_00001_mirimage_uncal.fits');

  it('lists HDUs reading only headers, and reads one plane with a positioned read', async () => {
    const size = readFileSync(uncal).length;
    const ff = await FitsFile.open(uncal);
    expect(ff.hdus.map((h) => h.extname ?? h.type)).toEqual(['PRIMARY', 'SCI', 'INT_TIMES', 'ASDF']);
    const afterOpen = ff.stats.bytesRead;
    expect(afterOpen).toBeLessThan(size / 20);
    const sci = ff.find('sci') as { index: number; dataBytes: number };
    const plane = await ff.readPlane(sci.index, [2]);
    expect(plane.shape).toEqual([15, 416, 72]);
    expect(ff.stats.bytesRead - afterOpen).toBe(15 * 416 * 72 * 2);
    const frame = await ff.readPlane(sci.index, [3, 14]);
    expect(frame.shape).toEqual([416, 72]);
    expect(ff.stats.bytesRead).toBeLessThan(size / 3);
    const full = await ff.readImage(sci.index);
    expect(plane.data).toEqual(index(full, 2).data);
    expect(frame.data).toEqual(index(index(full, 3), 14).data);
    await expect(ff.readPlane(sci.index, [4])).rejects.toThrow(FitsError);
    await expect(ff.readTable(sci.index)).rejects.toThrow(/not a table/);
    const raw = await ff.readRawHeader(0);
    expect(new TextDecoder().decode(raw.subarray(0, 6))).toBe('SIMPLE');
    await ff.close();
  });

  it('opens .fits.gz via gunzip', async () => {
    const gz = sharedPath('external', 'data', 'miri_mrs_sim', 'template_12A.fits.gz');
    const ff = await FitsFile.open(gz);
    const mem = parseFits(gunzipSync(readFileSync(gz)));
    expect(ff.hdus.map((h) => h.extname)).toEqual(mem.map((h) => h.extname));
    const i = ff.find('SCI')?.index as number;
    expect((await ff.readImage(i)).data).toEqual(mem[i].readImage().data);
    expect((await ff.readPlane(i, [10])).data).toEqual(mem[i].readPlane([10]).data);
    await ff.close();
  });
});

describe('writing', () => {
  it('writeFits writes what serializeFits makes, atomically, and FitsFile reads it back', async () => {
    const out = path.join(dir, 'whole.fits');
    await writeFits(out, specs());
    const bytes = new Uint8Array(readFileSync(out));
    expect(bytes).toEqual(serializeFits(specs()));
    const ff = await FitsFile.open(out);
    expect(ff.hdus.map((h) => h.type)).toEqual(['PRIMARY', 'IMAGE', 'BINTABLE']);
    expect(ff.hdus[0].header.get('EXTEND')).toBe(true);
    expect(ff.hdus[0].header.get('TELESCOP')).toBe('JWST');
    expect(ff.hdus[0].header.card('TELESCOP')?.comment).toBe('telescope');
    const sci = await ff.readImage(1);
    expect(sci.dtype).toBe('uint16');
    expect(sci.data).toEqual(ramp().data);
    expect((await ff.readTable(2)).columns[0].data).toEqual(Int32Array.from([1, 2, 3]));
    for (let i = 0; i < 3; i++) expect(await ff.verifyChecksum(i)).toMatchObject({ present: true, valid: true });
    await ff.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('structural keywords come first in standard order; user cards keep order', () => {
    const h = new Header().add('ZED', 1).add('NAXIS', 99).add('EXTNAME', 'SCI').add('BITPIX', 16).add('ALPHA', 'a').add('COMMENT', 'c');
    const [, hdu] = parseFits(serializeFits([{ header: new Header() }, { header: h, image: ndarray(new Float32Array(6), [2, 3]) }]));
    expect(hdu.header.cards.map((c) => c.keyword)).toEqual(['XTENSION', 'BITPIX', 'NAXIS', 'NAXIS1', 'NAXIS2', 'PCOUNT', 'GCOUNT', 'ZED', 'EXTNAME', 'ALPHA', 'COMMENT', 'CHECKSUM', 'DATASUM']);
    expect(hdu.header.get('NAXIS1')).toBe(3);
  });

  it('the streaming writer equals the whole write byte for byte', async () => {
    const out = path.join(dir, 'stream.fits');
    const [prim, sciSpec, tab] = specs();
    const w = await FitsWriter.create(out);
    await w.addHdu(prim);
    const r = sciSpec.image as NDArray<'uint16'>;
    await w.beginImage(sciSpec.header, 'uint16', r.shape);
    for (let k = 0; k < r.shape[0]; k++) await w.writePlane(index(r, k));
    await w.addHdu(tab);
    await w.close();
    expect(new Uint8Array(readFileSync(out))).toEqual(serializeFits(specs()));
  });

  it('an aborted or failed writer leaves no file behind', async () => {
    const out = path.join(dir, 'aborted.fits');
    const w = await FitsWriter.create(out);
    await w.addHdu({ header: new Header() });
    await w.beginImage(new Header(), 'float32', [2, 3]);
    await w.writePlane(ndarray(new Float32Array(3), [3]));
    await w.abort();
    expect(existsSync(out)).toBe(false);

    const w2 = await FitsWriter.create(out);
    await w2.addHdu({ header: new Header() });
    await w2.beginImage(new Header(), 'float32', [2, 3]);
    await expect(w2.writePlane(ndarray(new Float64Array(3), [3]))).rejects.toThrow(/expected float32/);
    await w2.writePlane(ndarray(new Float32Array(3), [3]));
    await expect(w2.close()).rejects.toThrow(/still needs 1 of 2 planes/);
    expect(existsSync(out)).toBe(false);

    // A bad HDU in the middle of writeFits: nothing under the final name, even if a file was there.
    writeFileSync(out, 'old');
    await expect(writeFits(out, [{ header: new Header() }, { header: new Header(), table: { nrows: 2, columns: [{ name: 'a', tform: 'J', data: new Int32Array(1) }] } }])).rejects.toThrow(FitsError);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports bad files with FitsError naming file and HDU', async () => {
    const good = serializeFits(specs());
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['empty.fits', new Uint8Array(0), /the file is empty/],
      ['short.fits', good.subarray(0, 1000), /truncated/],
      ['cut-pad.fits', good.subarray(0, good.length - 2880 * 2 - 100), /HDU 1 \(SCI\).*padding/],
      ['cut-data.fits', good.subarray(0, 2 * 2880 + 300), /HDU 1 \(SCI\).*720 bytes declared/],
      ['not-fits.fits', new TextEncoder().encode('hello'.padEnd(2880)), /SIMPLE/],
    ];
    for (const [name, bytes, re] of cases) {
      const p = path.join(dir, name);
      writeFileSync(p, bytes);
      const err = await FitsFile.open(p).then(() => null, (e: unknown) => e);
      expect(err, name).toBeInstanceOf(FitsError);
      expect((err as Error).message, name).toMatch(re);
      expect((err as Error).message, name).toContain(name);
    }
    await expect(FitsFile.open(path.join(dir, 'missing.fits'))).rejects.toThrow(FitsError);
  });
});
