/**
 * FITS read throughput: a 1 GiB float32 cube (256 x 1024 x 1024) read
 *   (a) as plain bytes with fs.readFile (the baseline: no decoding at all),
 *   (b) with FitsFile.readImage (byte-order conversion included),
 *   (c) plane by plane with FitsFile.readPlane.
 * Run: npx tsx bench/fits-read.bench.ts   (env FITS_BENCH_PLANES to change the size;
 * FITS_BENCH_KEEP=1 keeps the file in os.tmpdir() for the next run).
 */
import { existsSync, statSync, unlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ndarray } from '../core/ndarray/index.ts';
import { Header } from '../core/fits/index.ts';
import { FitsFile, FitsWriter } from '../core/fits/index.node.ts';

const PLANES = Number(process.env.FITS_BENCH_PLANES ?? 256);
const NY = 1024;
const NX = 1024;
const file = path.join(tmpdir(), `webbdesk-fits-bench-${PLANES}x${NY}x${NX}.fits`);
const gc = (globalThis as { gc?: () => void }).gc;

async function makeFile(): Promise<void> {
  const w = await FitsWriter.create(file, { checksum: false });
  await w.addHdu({ header: new Header().add('ORIGIN', 'WebbDesk bench') });
  await w.beginImage(new Header().add('EXTNAME', 'SCI'), 'float32', [PLANES, NY, NX]);
  const plane = new Float32Array(NY * NX);
  for (let k = 0; k < PLANES; k++) {
    for (let i = 0; i < plane.length; i++) plane[i] = k + i * 1e-6;
    await w.writePlane(ndarray(plane, [NY, NX]));
  }
  await w.close();
}

async function time<T>(label: string, f: () => Promise<T>): Promise<{ s: number; v: T }> {
  gc?.();
  const t0 = process.hrtime.bigint();
  const v = await f();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { s, v };
}

function mbps(bytes: number, s: number): string {
  return `${(bytes / 1e6 / s).toFixed(0).padStart(6)} MB/s`;
}

async function main(): Promise<void> {
  const expectedSize = 2 * 2880 + Math.ceil((PLANES * NY * NX * 4) / 2880) * 2880;
  if (!existsSync(file) || statSync(file).size !== expectedSize) {
    console.log(`writing ${file} (${(expectedSize / 2 ** 30).toFixed(2)} GiB) ...`);
    const t = await time('write', makeFile);
    console.log(`  written in ${t.s.toFixed(2)} s (${mbps(expectedSize, t.s)})`);
  }
  const size = statSync(file).size;
  const dataBytes = PLANES * NY * NX * 4;
  // Warm the page cache.
  await readFile(file);

  const rounds = Number(process.env.FITS_BENCH_ROUNDS ?? 3);
  const best = { a: Infinity, r: Infinity, b: Infinity, c: Infinity };
  for (let r = 0; r < rounds; r++) {
    const a = await time('readFile', async () => (await readFile(file)).length);
    best.a = Math.min(best.a, a.s);
    // A stricter baseline: one positioned read into an unfilled buffer (what readImage does before swapping).
    const raw = await time('fh.read', async () => {
      const fh = await open(file, 'r');
      const buf = Buffer.allocUnsafeSlow(size);
      let done = 0;
      while (done < size) done += (await fh.read(buf, done, Math.min(size - done, 1 << 30), done)).bytesRead;
      await fh.close();
      return buf.length;
    });
    best.r = Math.min(best.r, raw.s);
    const ff = await FitsFile.open(file);
    const b = await time('readImage', async () => {
      const img = await ff.readImage(1);
      return (img.data as Float32Array)[img.data.length - 1];
    });
    best.b = Math.min(best.b, b.s);
    const c = await time('readPlane', async () => {
      let last = 0;
      for (let k = 0; k < PLANES; k++) last = (await ff.readPlane(1, [k])).data[5] as number;
      return last;
    });
    best.c = Math.min(best.c, c.s);
    if (Math.abs(c.v - ((PLANES - 1) + 5e-6)) > 1e-3) throw new Error(`wrong value ${c.v}`);
    await ff.close();
  }
  console.log(`file ${file}: ${(size / 2 ** 30).toFixed(3)} GiB, image ${PLANES} x ${NY} x ${NX} float32, best of ${rounds}`);
  console.log(`(a) fs.readFile (plain bytes)      ${best.a.toFixed(3)} s  ${mbps(size, best.a)}`);
  console.log(`(a') FileHandle.read, one buffer     ${best.r.toFixed(3)} s  ${mbps(size, best.r)}`);
  console.log(`(b) FitsFile.readImage (decoded)   ${best.b.toFixed(3)} s  ${mbps(dataBytes, best.b)}`);
  console.log(`(c) FitsFile.readPlane x ${String(PLANES).padEnd(4)}     ${best.c.toFixed(3)} s  ${mbps(dataBytes, best.c)}`);
  const ra = size / best.a;
  console.log(`ratio (b)/(a) = ${((dataBytes / best.b) / ra).toFixed(2)}   (throughput; target >= 0.8)`);
  console.log(`ratio (c)/(a) = ${((dataBytes / best.c) / ra).toFixed(2)}`);
  const rr = size / best.r;
  console.log(`ratio (b)/(a') = ${((dataBytes / best.b) / rr).toFixed(2)}   ratio (c)/(a') = ${((dataBytes / best.c) / rr).toFixed(2)}`);
  if (!process.env.FITS_BENCH_KEEP) unlinkSync(file);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
