import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsFile } from '../fits/index.node.ts';
import { ndarray } from '../ndarray/index.ts';
import { getMeta, setMeta } from './meta.ts';
import { open } from './model.node.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';

const zoo = (f: string) => sharedPath('golden', 'datamodels_zoo', f);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'webbdesk-model-'));
const SKIP_CARDS = new Set(['CHECKSUM', 'DATASUM']);

async function sameFile(a: string, b: string, ignore: Set<string> = new Set()): Promise<void> {
  const fa = await FitsFile.open(a);
  const fb = await FitsFile.open(b);
  expect(fb.hdus.length).toBe(fa.hdus.length);
  for (const h of fa.hdus) {
    const cards = (x: typeof h) => x.header.cards.filter((c) => !SKIP_CARDS.has(c.keyword) && !ignore.has(c.keyword)).map((c) => [c.keyword, c.value, c.comment ?? '']);
    expect(cards(fb.hdus[h.index])).toEqual(cards(h));
    expect(Buffer.from(await fb.readRawData(h.index)).equals(Buffer.from(await fa.readRawData(h.index)))).toBe(true);
  }
  await fa.close();
  await fb.close();
}

describe.skipIf(!HAVE_SHARED)('DataModel open/save', () => {
  const files = HAVE_SHARED ? readdirSync(sharedPath('golden', 'datamodels_zoo')).filter((f) => f.endsWith('.fits')) : [];
  for (const f of files) {
    it(`round-trips ${f} untouched (cards, data, the ASDF extension)`, async () => {
      const m = await open(zoo(f));
      const out = path.join(tmp(), f);
      await m.save(out);
      await m.close();
      await sameFile(zoo(f), out);
    });
  }

  it('picks the model from DATAMODL and exposes arrays, planes and tables', async () => {
    const m = await open(zoo('zoo_ramp.fits'));
    expect(m.type).toBe('RampModel');
    const sci = await m.requireArray('data');
    expect(sci.shape).toEqual([2, 5, 32, 40]);
    const gdq = await m.requireArray('groupdq');
    expect(gdq.dtype).toBe('uint8');
    const int1 = await m.plane('data', [1]);
    expect(int1.shape).toEqual([5, 32, 40]);
    expect([...int1.data.subarray(0, 10)]).toEqual([...sci.data.subarray(6400, 6410)]);
    const it = await m.table('int_times');
    expect(it?.nrows).toBe(2);
    await expect(m.requireArray('zeroframe')).rejects.toThrow(/ZEROFRAME/);
    await m.close();
  });

  it('groups MultiSlit arrays by EXTVER with slit meta', async () => {
    const m = await open(zoo('zoo_mos_cal.fits'));
    expect(m.type).toBe('MultiSlitModel');
    const slits = m.slits();
    expect(slits.map((s) => s.meta.name)).toEqual(['11', '12', '13']);
    expect(slits.map((s) => [s.meta.xstart, s.meta.ysize, s.meta.source_id])).toEqual([[1725, 11, 100], [1774, 9, 107], [1823, 13, 114]]);
    expect(slits[1].meta.shutter_state).toBe('x1x');
    expect((await m.requireArray('wavelength', 2)).shape).toEqual([9, 420]);
    await m.close();
  });

  it('reads both x1dints layouts: one table with a row per integration', async () => {
    const m = await open(zoo('zoo_x1dints.fits'));
    expect(m.type).toBe('TSOMultiSpecModel');
    const spec = await m.spectra();
    expect(spec).toHaveLength(1);
    expect(spec[0].table.nrows).toBe(4);
    expect(spec[0].table.columns.find((c) => c.name === 'FLUX')?.cellShape).toEqual([150]);
    await m.close();
    const x1d = await open(zoo('zoo_x1d.fits'));
    expect(x1d.type).toBe('MultiSpecModel');
    const s2 = await x1d.spectra();
    expect(s2.map((s) => s.table.nrows)).toEqual([120, 157]);
    await x1d.close();
  });

  it('writes changed meta to its keywords and replaced arrays, keeping the rest', async () => {
    const m = await open(zoo('zoo_rateints.fits'));
    expect(getMeta(m.meta, 'meta.target.source_type')).toBe('POINT');
    setMeta(m.meta, 'meta.target.source_type', 'EXTENDED');
    setMeta(m.meta, 'meta.cal_step.photom', 'SKIPPED');
    const data = await m.requireArray('data');
    const doubled = ndarray(Float32Array.from(data.data as Float32Array, (v) => 2 * v), data.shape);
    m.setArray('data', doubled);
    const out = path.join(tmp(), 'changed_rateints.fits');
    await m.save(out);
    await m.close();
    const r = await open(out);
    expect(getMeta(r.meta, 'meta.target.source_type')).toBe('EXTENDED');
    expect(getMeta(r.meta, 'meta.cal_step.photom')).toBe('SKIPPED');
    expect(r.hduOf('SCI')?.header.get('SRCTYPE')).toBe('EXTENDED');
    expect(r.hdus[0].header.get('S_PHOTOM')).toBe('SKIPPED');
    const back = await r.requireArray('data');
    expect(back.data[5]).toBe(2 * (data.data[5] as number));
    expect((await r.requireArray('err')).data).toEqual((await (await open(zoo('zoo_rateints.fits'))).requireArray('err')).data);
    await r.close();
  });
});
