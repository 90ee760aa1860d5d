import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEcsv } from '../../core/ecsv/index.ts';
import { step as extract1d } from '../../core/steps/extract_1d/index.node.ts';
import { step as outlier } from '../../core/steps/outlier_detection/index.node.ts';
import { step as whiteLight } from '../../core/steps/white_light/index.node.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel, TableProduct } from '../../core/stpipe/index.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { colData, GOLDEN_LRS, makeCtx, worstRatio } from './helpers.ts';

const G = (f: string): string => sharedPath(GOLDEN_LRS, f);
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < b.length; i++) if (b[i] !== 0 && Number.isFinite(b[i])) w = Math.max(w, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return w;
}

describe.skipIf(!HAVE_SHARED)('calwebb_tso3 chain vs jwst 3.0 golden', () => {
  it('calints -> outlier_detection -> extract_1d -> white_light reproduces x1dints and whtlt.ecsv', async () => {
    const calints = await loadModel(G('jw09003003011_04101_00001-seg001_mirimage_calints.fits'));
    const crf = (await outlier.run(calints, makeCtx(outlier.spec))) as JwstModel;
    const x1d = (await extract1d.run(crf, makeCtx(extract1d.spec, {}, { extract1d: G('ref_extract1d_lrs.json') }))) as JwstModel;
    const golden = await loadModel(G(`${PRODUCT}_x1dints.fits`));
    const got = x1d.parts?.[0].table;
    const exp = golden.parts?.[0].table;
    if (!got || !exp) throw new Error('missing EXTRACT1D');
    const rel: Record<string, number> = {};
    for (const c of ['FLUX', 'FLUX_ERROR', 'SURF_BRIGHT', 'BACKGROUND', 'BKGD_ERROR']) rel[c] = maxRel(colData(got, c), colData(exp, c));
    console.log('tso3 x1dints max relative difference:', JSON.stringify(rel));
    expect(worstRatio(colData(got, 'FLUX'), colData(exp, 'FLUX'), 1e-4, 1e-9)).toBeLessThanOrEqual(1);
    expect(worstRatio(colData(got, 'FLUX_ERROR'), colData(exp, 'FLUX_ERROR'), 1e-4, 1e-12)).toBeLessThanOrEqual(1);
    expect(colData(got, 'NPIXELS')).toEqual(colData(exp, 'NPIXELS'));
    expect(colData(got, 'DQ')).toEqual(colData(exp, 'DQ'));

    const wctx = makeCtx(whiteLight.spec, { min_wavelength: 6.0, max_wavelength: 10.0 });
    const text = readFileSync(G(`${PRODUCT}_whtlt.ecsv`), 'utf8');
    const ours = (await whiteLight.run(x1d, wctx)) as TableProduct;
    const fromGolden = (await whiteLight.run(golden, wctx)) as TableProduct;
    const e = readEcsv(text);
    const o = readEcsv(ours.text);
    expect(o.columns.map((c) => [c.name, c.unit ?? null])).toEqual(e.columns.map((c) => [c.name, c.unit ?? null]));
    expect(o.meta).toEqual(e.meta);
    expect(Array.from(o.columns[0].data as Float64Array)).toEqual(Array.from(e.columns[0].data as Float64Array));
    expect(Array.from(o.columns[1].data as Float64Array)).toEqual(Array.from(e.columns[1].data as Float64Array));
    const r1 = maxRel(o.columns[2].data as Float64Array, e.columns[2].data as Float64Array);
    const r2 = maxRel(readEcsv(fromGolden.text).columns[2].data as Float64Array, e.columns[2].data as Float64Array);
    console.log(`whitelight_flux max rel diff: chain ${r1.toExponential(2)}, from golden x1dints ${r2.toExponential(2)}`);
    expect(r1).toBeLessThanOrEqual(1e-5);
    expect(r2).toBeLessThanOrEqual(1e-5);
    // header text identical apart from the data rows
    expect(ours.text.split('\n').slice(0, 21)).toEqual(text.split('\n').slice(0, 21));
  });
});
