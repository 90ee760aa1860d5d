/**
 * Golden: jwst 3.0 calwebb_spec2 on the synthetic MIRI LRS slitless TSO
 * (lrs_spec2_tso3/p01_lrs_slitless_transit). Chain assign_wcs -> srctype ->
 * flat_field -> photom on the rateints (the other spec2 steps are skipped or do
 * not apply for this mode, case.json "spec2_steps_run"; extract_1d comes after
 * calints) and compare with the calints within case.json tolerances.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DQ } from '../../core/datamodels/dq.ts';
import { readRefFile } from '../../core/steps/reffiles/index.node.ts';
import { step as assignWcs } from '../../core/steps/assign_wcs/index.node.ts';
import { step as flatField } from '../../core/steps/flat_field/index.node.ts';
import { step as photom, lrsPhotomRow } from '../../core/steps/photom/index.node.ts';
import { step as srctype } from '../../core/steps/srctype/index.node.ts';
import { loadModel, type JwstModel } from '../../core/stpipe/index.node.ts';
import { modelWcs } from '../../core/wcs/index.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { testContext } from './ctx.ts';

const DIR = 'golden/lrs_spec2_tso3/p01_lrs_slitless_transit';
const g = (f: string) => sharedPath(DIR, f);
const STEM = 'jw09003003011_04101_00001-seg001_mirimage';

interface Cmp { nanMismatch: number; outOfTol: number; maxRel: number }
function compare(a: ArrayLike<number>, e: ArrayLike<number>, rtol: number, atol: number): Cmp {
  let nanMismatch = 0, outOfTol = 0, maxRel = 0;
  for (let i = 0; i < e.length; i++) {
    const an = Number.isNaN(a[i]!), en = Number.isNaN(e[i]!);
    if (an !== en) { nanMismatch++; continue; }
    if (an) continue;
    const d = Math.abs(a[i]! - e[i]!);
    if (d > atol + rtol * Math.abs(e[i]!)) outOfTol++;
    if (e[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(e[i]!));
  }
  return { nanMismatch, outOfTol, maxRel };
}

describe.skipIf(!HAVE_SHARED)('golden LRS slitless calints (jwst 3.0)', () => {
  let input: JwstModel, afterWcs: JwstModel, afterFlat: JwstModel, out: JwstModel, gold: JwstModel;
  const tol = JSON.parse(readFileSync(g('case.json'), 'utf8')).tolerances['_calints.fits'];

  beforeAll(async () => {
    input = await loadModel(g(`${STEM}_rateints.fits`));
    gold = await loadModel(g(`${STEM}_calints.fits`));
    afterWcs = await assignWcs.run(input, testContext(assignWcs, { specwcs: g('ref_specwcs_lrs_slitless.fits'), distortion: g('ref_distortion_mirimage.asdf') }));
    const typed = await srctype.run(afterWcs, testContext(srctype, {}));
    afterFlat = await flatField.run(typed, testContext(flatField, { flat: g('ref_flat_slitlessprism.fits') }));
    out = await photom.run(afterFlat, testContext(photom, { photom: g('ref_photom_lrs.fits') }));
  }, 30_000);

  it('WAVELENGTH equals the golden map (NaN positions included)', () => {
    const c = compare(out.arrays.wavelength!.data as Float32Array, gold.arrays.wavelength!.data as Float32Array, tol.WAVELENGTH.rtol, tol.WAVELENGTH.atol);
    expect(c).toEqual({ nanMismatch: 0, outOfTol: 0, maxRel: 0 }); // measured: identical
  });

  it('SCI, ERR and the variances agree within the case tolerances; DQ exact', () => {
    const pairs: [string, { rtol: number; atol: number }][] = [
      ['data', tol.SCI], ['err', tol['ERR/VAR_*']], ['var_poisson', tol['ERR/VAR_*']], ['var_rnoise', tol['ERR/VAR_*']], ['var_flat', tol['ERR/VAR_*']],
    ];
    for (const [k, t] of pairs) {
      const c = compare(out.arrays[k]!.data as Float32Array, gold.arrays[k]!.data as Float32Array, t.rtol, t.atol);
      expect({ k, ...c, maxRel: c.maxRel < 1e-6 }).toEqual({ k, nanMismatch: 0, outOfTol: 0, maxRel: true }); // measured max rel: SCI 0, ERR 1.6e-7, VAR_FLAT 3.7e-7
    }
    expect(Array.from(out.arrays.dq!.data as Uint32Array)).toEqual(Array.from(gold.arrays.dq!.data as Uint32Array));
  });

  it('meta: SRCTYPE, BUNIT, photometry keywords as jwst wrote them', () => {
    const m = out.meta as Record<string, Record<string, unknown>>;
    const gm = gold.meta as Record<string, Record<string, unknown>>;
    expect(m.target!.source_type).toBe('POINT');
    expect(out.meta.bunit_data).toBe('MJy/sr');
    expect(out.meta.bunit_err).toBe('MJy/sr');
    expect(m.photometry).toEqual(gm.photometry);
    expect(m.wcsinfo!.specsys).toBe('BARYCENT');
  });

  it('the WCS attached by assign_wcs gives the expected world coordinates (expected.json)', () => {
    const exp = JSON.parse(readFileSync(g('expected.json'), 'utf8')).calints_meta;
    const w = modelWcs(out)!;
    for (const [x, y, key] of [[37, 300, 'wcs_world_at_x37_y300'], [37, 100, 'wcs_world_at_x37_y100']] as const) {
      w.call(x, y).forEach((v, k) => expect(Math.abs(v - exp[key][k])).toBeLessThan(1e-10));
    }
  });

  it('photom: at sample pixels the conversion is PHOTMJSR x relresponse(wavelength) from the reference file', async () => {
    const ref = await readRefFile(g('ref_photom_lrs.fits'));
    const row = lrsPhotomRow(ref, 'P750L', 'SLITLESSPRISM');
    const wl = out.arrays.wavelength!.data as Float32Array;
    const before = afterFlat.arrays.data!.data as Float32Array, after = out.arrays.data!.data as Float32Array;
    const n = row.nelem;
    const w = Array.from(row.wavelength.subarray(0, n)), r = Array.from(row.relresponse.subarray(0, n));
    for (const [y, x] of [[300, 37], [100, 40], [390, 30]] as const) {
      const i = y * 72 + x;
      // independent linear interpolation in the table
      let k = 0;
      while (w[k + 1]! < wl[i]!) k++;
      const rel = r[k]! + ((wl[i]! - w[k]!) * (r[k + 1]! - r[k]!)) / (w[k + 1]! - w[k]!);
      expect(after[i]! / before[i]!).toBeCloseTo(row.photmjsr * rel, 6);
    }
    // below the trace (row 5): no wavelength -> no calibration: NaN and DO_NOT_USE
    const i = 5 * 72 + 37;
    expect(after[i]).toBeNaN();
    expect((out.arrays.dq!.data as Uint32Array)[i]! & DQ.DO_NOT_USE).toBeTruthy();
  });

  it('inputs stay intact', async () => {
    const fresh = await loadModel(g(`${STEM}_rateints.fits`));
    expect(Array.from((input.arrays.data!.data as Float32Array).slice(0, 500))).toEqual(Array.from((fresh.arrays.data!.data as Float32Array).slice(0, 500)));
    expect(input.arrays.wavelength).toBeUndefined();
  });
});
