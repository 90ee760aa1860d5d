import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DQ } from '../../core/datamodels/dq.ts';
import { ndarray } from '../../core/ndarray/index.ts';
import { gaussian } from '../../core/random/index.ts';
import { step as extract1d } from '../../core/steps/extract_1d/index.node.ts';
import { step as outlier } from '../../core/steps/outlier_detection/index.node.ts';
import { step as whiteLight } from '../../core/steps/white_light/index.node.ts';
import type { JwstModel } from '../../core/stpipe/index.ts';
import { colData, makeCtx } from './helpers.ts';

const NY = 40; const NX = 24; const NINTS = 3;
const tmp = mkdtempSync(path.join(tmpdir(), 'spec-extract-'));

function refFile(aper: Record<string, unknown>): string {
  const p = path.join(tmp, `ref${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify({ apertures: [{ id: 'MIR_LRS-SLITLESS', dispaxis: 2, ...aper }] }));
  return p;
}

/** A slitless cube: source with total `total` per row spread over x=10..13, background b(x) = b0 + b1*x, wavelength 5 + 0.1*y um. */
function cube(total: number, b0 = 0, b1 = 0): JwstModel {
  const n = NINTS * NY * NX;
  const data = new Float32Array(n);
  for (let k = 0; k < NINTS; k++) for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) {
    const src = x >= 10 && x <= 13 ? total / 4 : 0;
    data[(k * NY + y) * NX + x] = src + b0 + b1 * x;
  }
  const wl = new Float32Array(NY * NX);
  for (let y = 0; y < NY; y++) for (let x = 0; x < NX; x++) wl[y * NX + x] = y < 2 ? NaN : 5 + 0.1 * y;
  const ones = (): Float32Array => new Float32Array(n).fill(0.01);
  const meta = { exposure: { type: 'MIR_LRS-SLITLESS', nints: NINTS, integration_start: 1 }, visit: { tsovisit: true }, wcsinfo: { dispersion_direction: 2 }, target: { source_type: 'POINT' }, cal_step: { photom: 'COMPLETE' }, photometry: { pixelarea_steradians: 2e-13 }, instrument: { name: 'MIRI', detector: 'MIRIMAGE' } };
  const it = { nrows: NINTS, columns: [
    { name: 'integration_number', tform: 'J', code: 'J', repeat: 1, dtype: 'int32', cellShape: [], data: Int32Array.from([1, 2, 3]) },
    { name: 'int_mid_MJD_UTC', tform: 'D', code: 'D', repeat: 1, dtype: 'float64', cellShape: [], data: Float64Array.from([60000.1, 60000.2, 60000.3]) },
    { name: 'int_mid_BJD_TDB', tform: 'D', code: 'D', repeat: 1, dtype: 'float64', cellShape: [], data: Float64Array.from([60000.15, 60000.25, 60000.35]) },
  ] };
  return {
    type: 'CubeModel', meta, extras: [], tables: { int_times: it },
    arrays: {
      data: ndarray(data, [NINTS, NY, NX]), err: ndarray(ones(), [NINTS, NY, NX]), dq: ndarray(new Uint32Array(n), [NINTS, NY, NX]),
      var_poisson: ndarray(ones(), [NINTS, NY, NX]), var_rnoise: ndarray(ones(), [NINTS, NY, NX]), var_flat: ndarray(ones(), [NINTS, NY, NX]),
      wavelength: ndarray(wl, [NY, NX]),
    },
  };
}

async function extract(m: JwstModel, aper: Record<string, unknown>, params: Record<string, unknown> = {}): Promise<JwstModel> {
  return (await extract1d.run(m, makeCtx(extract1d.spec, params, { extract1d: refFile(aper) }))) as JwstModel;
}

describe('extract_1d on synthetic images', () => {
  it('conserves flux: the box sum equals the injected total, converted to Jy by the pixel solid angle', async () => {
    const out = await extract(cube(500), { xstart: 8, xstop: 15 });
    const t = out.parts?.[0].table;
    if (!t) throw new Error('no table');
    expect(t.nrows).toBe(NINTS);
    const flux = colData(t, 'FLUX');
    expect(flux.length).toBe(NINTS * (NY - 2));
    for (const f of flux) expect(f).toBeCloseTo(500 * 2e-13 * 1e6, 15);
    for (const n of colData(t, 'NPIXELS')) expect(n).toBe(8);
    expect(colData(t, 'WAVELENGTH')[0]).toBeCloseTo(5.2, 6);
    expect(Array.from(colData(t, 'TDB-MID'))).toEqual([60000.15, 60000.25, 60000.35]);
  });

  it('gives fractional weights at polynomial aperture edges (src_coeff 9.7..14.2 -> 0.3 + 4 + 0.2 ... pixels)', async () => {
    const out = await extract(cube(400), { src_coeff: [[9.7], [14.2]] });
    const n = colData(out.parts?.[0].table as never, 'NPIXELS');
    // limits 10.2..13.7 inclusive: pixel 10 weight 0.8, 11-13 full, 14 weight 0.7
    expect(n[0]).toBeCloseTo(0.8 + 3 + 0.7, 12);
    const f = colData(out.parts?.[0].table as never, 'FLUX');
    expect(f[0] / (2e-13 * 1e6)).toBeCloseTo(100 * 0.8 + 300, 6);
  });

  it('removes a known linear background with bkg_order=1 and a constant one with median', async () => {
    const lin = await extract(cube(500, 3, 0.25), { xstart: 8, xstop: 15, bkg_coeff: [[1.5], [6.5], [17.5], [22.5]], bkg_order: 1 });
    const t = lin.parts?.[0].table as never;
    for (const f of colData(t, 'FLUX')) expect(f / 2e-7).toBeCloseTo(500, 6);
    // BACKGROUND is the mean background per pixel in the aperture: 3 + 0.25 * 11.5
    expect(colData(t, 'BACKGROUND')[0]).toBeCloseTo(3 + 0.25 * 11.5, 8);
    const med = await extract(cube(500, 7), { xstart: 8, xstop: 15, bkg_coeff: [[1.5], [6.5], [17.5], [22.5]], bkg_fit: 'median' });
    for (const f of colData(med.parts?.[0].table as never, 'FLUX')) expect(f / 2e-7).toBeCloseTo(500, 6);
    expect(colData(med.parts?.[0].table as never, 'BKGD_VAR_POISSON')[0]).toBeGreaterThan(0);
  });

  it('rejects an EXTRACT1D file with a missing or malformed key', async () => {
    const noApertures = path.join(tmp, 'bad1.json');
    writeFileSync(noApertures, JSON.stringify({ reftype: 'EXTRACT1D' }));
    await expect(extract1d.run(cube(1), makeCtx(extract1d.spec, {}, { extract1d: noApertures }))).rejects.toThrow(/no "apertures" list/);
    const noId = path.join(tmp, 'bad2.json');
    writeFileSync(noId, JSON.stringify({ apertures: [{ xstart: 1 }] }));
    await expect(extract1d.run(cube(1), makeCtx(extract1d.spec, {}, { extract1d: noId }))).rejects.toThrow(/has no "id"/);
    await expect(extract(cube(1), { bkg_coeff: [[1.5], [6.5], [17.5]] })).rejects.toThrow(/even number/);
  });
});

describe('outlier_detection (TSO) on synthetic series', () => {
  function series(nints: number, hits: Array<[number, number]>): JwstModel {
    const npix = 6 * 5;
    const g = gaussian(42);
    const data = new Float32Array(nints * npix);
    for (let i = 0; i < data.length; i++) data[i] = 100 + g();
    for (const [k, p] of hits) data[k * npix + p] += 50;
    const sh = [nints, 6, 5];
    return {
      type: 'CubeModel', meta: { exposure: { type: 'MIR_LRS-SLITLESS', nints }, visit: { tsovisit: true } }, tables: {}, extras: [],
      arrays: { data: ndarray(data, sh), err: ndarray(new Float32Array(nints * npix).fill(1), sh), dq: ndarray(new Uint32Array(nints * npix), sh) },
    };
  }
  const flagged = (m: JwstModel): number[] => Array.from(m.arrays.dq.data as Uint32Array).flatMap((d, i) => (d & DQ.OUTLIER ? [i] : []));

  it('flags injected single-integration outliers and nothing else (whole-stack and rolling median)', async () => {
    for (const w of [25, 5]) {
      const out = (await outlier.run(series(12, [[3, 7], [10, 20]]), makeCtx(outlier.spec, { rolling_window_width: w }))) as JwstModel;
      expect(flagged(out)).toEqual([3 * 30 + 7, 10 * 30 + 20]);
      expect(Number.isNaN((out.arrays.data.data as Float32Array)[3 * 30 + 7])).toBe(true);
      expect((out.arrays.dq.data as Uint32Array)[3 * 30 + 7] & DQ.DO_NOT_USE).toBeTruthy();
    }
  });

  it('leaves a clean series alone', async () => {
    const out = (await outlier.run(series(12, []), makeCtx(outlier.spec))) as JwstModel;
    expect(flagged(out)).toEqual([]);
  });
});

describe('white_light bad input', () => {
  it('errors on a wavelength range outside the data and on a missing INT_TIMES table', async () => {
    const x1d = await extract(cube(500), { xstart: 8, xstop: 15 });
    await expect(whiteLight.run(x1d, makeCtx(whiteLight.spec, { min_wavelength: 20, max_wavelength: 25 }))).rejects.toThrow(/outside the data/);
    const noTimes = { ...x1d, tables: {} };
    await expect(whiteLight.run(noTimes, makeCtx(whiteLight.spec))).rejects.toThrow(/no INT_TIMES table/);
  });
});
