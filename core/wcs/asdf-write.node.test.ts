/**
 * writeModel/loadModel carry the WCS: assign_wcs on the golden LRS rateints
 * (lrs_spec2_tso3/p01), written as a calints-like CubeModel, loaded back from
 * the file: world coordinates equal the jwst 3.0 values in expected.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsdfInFits } from '../asdf/fits-embed.ts';
import { Tagged } from '../asdf/scalars.ts';
import { FitsFile } from '../fits/index.node.ts';
import { step as assignWcs } from '../steps/assign_wcs/index.node.ts';
import { cloneModel, type JwstModel } from '../stpipe/index.ts';
import { loadModel, writeModel } from '../stpipe/index.node.ts';
import { asdfCellBytes } from '../stpipe/model-io-asdf.ts';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { testContext } from '../../test/spec2-cal/ctx.ts';
import { modelWcs, setModelWcs } from './attach.ts';
import { wavelengthMap } from './lrs.ts';

const DIR = 'golden/lrs_spec2_tso3/p01_lrs_slitless_transit';
const g = (f: string): string => sharedPath(DIR, f);
const STEM = 'jw09003003011_04101_00001-seg001_mirimage';
const SAMPLES = [[37, 300, 'wcs_world_at_x37_y300'], [37, 100, 'wcs_world_at_x37_y100']] as const;

async function asdfTree(file: string): Promise<Record<string, unknown>> {
  const f = await FitsFile.open(file);
  try {
    const h = f.hdus[f.hdus.length - 1]!;
    expect(h.extname).toBe('ASDF'); // stdatamodels: the ASDF extension last
    return parseAsdfInFits(asdfCellBytes({ header: h.header, rawData: await f.readRawData(h.index) })!).tree;
  } finally {
    await f.close();
  }
}

describe.skipIf(!HAVE_SHARED)('WCS through writeModel/loadModel (golden LRS slitless)', () => {
  let dir: string, afterWcs: JwstModel, expected: Record<string, number[]>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wcs-io-'));
    expected = JSON.parse(readFileSync(g('expected.json'), 'utf8')).calints_meta;
    const input = await loadModel(g(`${STEM}_rateints.fits`));
    afterWcs = await assignWcs.run(input, testContext(assignWcs, { specwcs: g('ref_specwcs_lrs_slitless.fits'), distortion: g('ref_distortion_mirimage.asdf') }));
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the written file has meta.wcs (gwcs wcs-1.4.0, 5 steps); a fresh load evaluates to jwst\'s world coordinates', async () => {
    const file = path.join(dir, `${STEM}_calints.fits`);
    await writeModel(file, afterWcs);
    const tree = await asdfTree(file);
    const node = (tree.meta as Record<string, unknown>).wcs as Tagged;
    expect(node.tag).toBe('tag:stsci.edu:gwcs/wcs-1.4.0');
    expect((node.value as { steps: unknown[] }).steps.length).toBe(5);

    const back = await loadModel(file);
    const w = modelWcs(back)!;
    expect(w.frames).toEqual(['detector', 'alpha_beta', 'v2v3', 'v2v3vacorr', 'world']);
    for (const [x, y, key] of SAMPLES) {
      const got = w.call(x, y);
      got.forEach((v, k) => expect(Math.abs(v - expected[key]![k]!)).toBeLessThan(1e-10)); // measured: < 2e-14 (same as in memory)
      expect(got).toEqual(modelWcs(afterWcs)!.call(x, y)); // bit-identical to the in-memory WCS
    }
    // The wavelength map from the reloaded WCS equals the WAVELENGTH array assign_wcs made in memory.
    const wl = afterWcs.arrays.wavelength!;
    const [ny, nx] = wl.shape.slice(-2) as [number, number];
    expect(Array.from(wavelengthMap(w, ny, nx))).toEqual(Array.from(wl.data as Float32Array));
  });

  it('jwst\'s own calints: the carried gwcs is read and kept byte-for-byte when the model is written unchanged', async () => {
    const gold = await loadModel(g(`${STEM}_calints.fits`));
    const w = modelWcs(gold)!;
    for (const [x, y, key] of SAMPLES) w.call(x, y).forEach((v, k) => expect(Math.abs(v - expected[key]![k]!)).toBeLessThan(1e-12));
    const file = path.join(dir, 'gold_copy.fits');
    await writeModel(file, gold);
    const orig = gold.extras.find((e) => e.header.get('EXTNAME') === 'ASDF')!;
    const f = await FitsFile.open(file);
    const last = f.hdus[f.hdus.length - 1]!;
    const raw = await f.readRawData(last.index);
    await f.close();
    expect(Buffer.compare(Buffer.from(raw), Buffer.from(orig.rawData!))).toBe(0);
  });

  it('a WCS we cannot write is left out with a warning; the file is still written and loads without a WCS', async () => {
    const m = cloneModel(afterWcs);
    const j = modelWcs(afterWcs)!.toJSON();
    // A spec we cannot evaluate nor write (2-D lookup table), attached as JSON.
    const bad = { ...j, steps: [{ ...j.steps[0]!, transform: { type: 'tabular', points: [[0, 1], [0, 1]], lookup_table: [1, 2], method: 'linear', bounds_error: false, fill_value: null } }, ...j.steps.slice(1)] };
    setModelWcs(m, bad as never);
    const warnings: string[] = [];
    const file = path.join(dir, 'bad_wcs.fits');
    await writeModel(file, m, { warn: (s) => warnings.push(s) });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/meta\.wcs not written/);
    const tree = await asdfTree(file);
    expect((tree.meta as Record<string, unknown>).wcs).toBeUndefined();
    expect(modelWcs(await loadModel(file))).toBeUndefined();
  });
});
