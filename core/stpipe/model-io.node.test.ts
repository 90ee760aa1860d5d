import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../fits/index.node.ts';
import { ndarray } from '../ndarray/index.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { parseAsdfInFits } from '../asdf/fits-embed.ts';
import { loadModel, readModelHeader, writeModel } from './model-io.node.ts';
import type { JwstModel } from './model.ts';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'webbdesk-modelio-'));
  dirs.push(d);
  return d;
}
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

function sameBytes(a: { data: ArrayLike<number> | ArrayLike<bigint>; dtype: string; shape: readonly number[] }, b: typeof a): void {
  expect(b.dtype).toBe(a.dtype);
  expect([...b.shape]).toEqual([...a.shape]);
  const ua = new Uint8Array((a.data as unknown as Uint8Array).buffer, (a.data as unknown as Uint8Array).byteOffset, (a.data as unknown as Uint8Array).byteLength);
  const ub = new Uint8Array((b.data as unknown as Uint8Array).buffer, (b.data as unknown as Uint8Array).byteOffset, (b.data as unknown as Uint8Array).byteLength);
  expect(Buffer.compare(Buffer.from(ua), Buffer.from(ub))).toBe(0);
}

async function extnames(file: string): Promise<string[]> {
  const f = await FitsFile.open(file);
  try { return f.hdus.map((h) => (h.index === 0 ? 'PRIMARY' : String(h.extname))); } finally { await f.close(); }
}

async function asdfTree(file: string): Promise<{ meta: Record<string, Record<string, unknown>> }> {
  const f = await FitsFile.open(file);
  try {
    const h = f.hdus.find((x) => x.extname === 'ASDF')!;
    const t = await f.readTable(h.index);
    return parseAsdfInFits(t.columns[0]!.data as Uint8Array).tree as never;
  } finally { await f.close(); }
}

const RFJ = 'golden/ramp_fit_jump/p01_sub64_imaging';

describe.skipIf(!HAVE_SHARED)('loadModel / writeModel on pipeline products', () => {
  it('a RampModel round-trips: arrays bit-identical, meta equal, ASDF kept while meta is unchanged', async () => {
    const src = sharedPath(RFJ, 'jw09001001011_01101_00001_mirimage_ramp.fits');
    const m = await loadModel(src);
    expect(m.type).toBe('RampModel');
    expect(Object.keys(m.arrays).sort()).toEqual(['data', 'groupdq', 'pixeldq']);
    expect([...m.arrays.data.shape]).toEqual([3, 12, 64, 72]);
    expect(m.meta).toMatchObject({ instrument: { name: 'MIRI', detector: 'MIRIMAGE' }, exposure: { nints: 3, ngroups: 12 } });
    const out = path.join(await tmp(), 'copy_ramp.fits');
    await writeModel(out, m);
    expect(await extnames(out)).toEqual(['PRIMARY', 'SCI', 'PIXELDQ', 'GROUPDQ', 'ASDF']);
    const back = await loadModel(out);
    expect(back.type).toBe('RampModel');
    for (const k of Object.keys(m.arrays)) sameBytes(m.arrays[k], back.arrays[k]);
    expect(back.meta).toEqual(m.meta);
  });

  it('a rateints CubeModel round-trips; changed meta lands in the keywords and in a fresh ASDF tree', async () => {
    const src = sharedPath('golden/detector1_miri');
    const { readdirSync } = await import('node:fs');
    const cs = readdirSync(src)[0];
    const file = path.join(src, cs, readdirSync(path.join(src, cs)).find((f) => f.endsWith('_rateints.fits')) as string);
    const m = await loadModel(file);
    expect(m.type).toBe('CubeModel');
    expect(m.tables.int_times.nrows).toBe(4);
    m.meta.cal_step = { ...(m.meta.cal_step as object), photom: 'COMPLETE' };
    const out = path.join(await tmp(), 'x_calints.fits');
    await writeModel(out, m);
    expect(await extnames(out)).toEqual(['PRIMARY', 'SCI', 'ERR', 'DQ', 'INT_TIMES', 'VAR_POISSON', 'VAR_RNOISE', 'ASDF']);
    const tree = await asdfTree(out);
    expect(tree.meta.cal_step.photom).toBe('COMPLETE');
    // Carried from the jwst-written tree (not a FITS keyword of the file).
    expect(tree.meta.cal_step.ramp_fit).toBe('COMPLETE');
    expect(tree.meta.exposure.nints).toBe(4);
    const back = await loadModel(out);
    for (const k of Object.keys(m.arrays)) sameBytes(m.arrays[k], back.arrays[k]);
    expect(back.meta).toEqual(m.meta);
    expect(back.tables.int_times.nrows).toBe(4);
    const h = await readModelHeader(out);
    expect(h.header.get('S_PHOTOM')).toBe('COMPLETE');
    expect(h.header.get('DATAMODL')).toBe('CubeModel');
  });
});

describe('writeModel of an in-memory model', () => {
  it('writes an ImageModel built by hand that loads back with the same values', async () => {
    const data = ndarray(new Float32Array([1, 2.5, -3, 4e10, Number.NaN, 6]), [2, 3]);
    const dq = ndarray(new Uint32Array([0, 1, 2, 2 ** 31, 4, 0xffffffff]), [2, 3]);
    const m: JwstModel = { type: 'ImageModel', meta: { instrument: { name: 'MIRI' }, exposure: { nints: 2 } }, arrays: { data, dq }, tables: {}, extras: [] };
    const out = path.join(await tmp(), 'a_rate.fits');
    await writeModel(out, m);
    const back = await loadModel(out);
    expect(back.type).toBe('ImageModel');
    sameBytes(data, back.arrays.data);
    sameBytes(dq, back.arrays.dq);
    expect(back.meta.instrument).toEqual({ name: 'MIRI' });
    expect((back.meta.exposure as { nints: number }).nints).toBe(2);
    expect(back.meta.model_type).toBe('ImageModel');
  });
});
