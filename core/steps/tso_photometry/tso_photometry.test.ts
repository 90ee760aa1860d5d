import { describe, it, expect } from 'vitest';
import { setMeta } from '../../datamodels/meta.ts';
import { readEcsv } from '../../ecsv/index.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import { gaussian } from '../../random/index.ts';
import type { JwstModel, Params } from '../../stpipe/index.ts';
import { apertureMask, discRectArea } from './aperture.ts';
import { tsoPhotometry, unitFactor } from './run.ts';
import { step } from './index.node.ts';

/** erf with the Numerical Recipes erfc Chebyshev fit (|error| < 1.2e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}
/** Pixel-integrated Gaussian star (flux F, sigma S at (X0, Y0)) + constant background + Gaussian noise. */
const cdf = (u: number): number => 0.5 * (1 + erf(u / Math.SQRT2));

const N = 20, NY = 41, NX = 41, F = 1e5, S = 1.2, X0 = 20.4, Y0 = 19.7, BG = 50, NOISE = 3;

function cube(seed = 7): JwstModel {
  const g = gaussian(seed);
  const data = new Float32Array(N * NY * NX);
  for (let k = 0; k < N; k++) for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) {
    const fx = cdf((i + 0.5 - X0) / S) - cdf((i - 0.5 - X0) / S), fy = cdf((j + 0.5 - Y0) / S) - cdf((j - 0.5 - Y0) / S);
    data[(k * NY + j) * NX + i] = F * fx * fy + BG + NOISE * g();
  }
  const m: JwstModel = {
    type: 'CubeModel', meta: {}, extras: [],
    arrays: { data: ndarray(data, [N, NY, NX]), err: ndarray(new Float32Array(N * NY * NX).fill(NOISE), [N, NY, NX]), dq: ndarray(new Uint32Array(N * NY * NX), [N, NY, NX]) },
    tables: {
      int_times: { nrows: N, columns: [
        { name: 'integration_number', tform: 'J', dtype: 'int32', cellShape: [], unit: undefined, data: Int32Array.from({ length: N }, (_, k) => k + 1) },
        { name: 'int_mid_MJD_UTC', tform: 'D', dtype: 'float64', cellShape: [], unit: undefined, data: Float64Array.from({ length: N }, (_, k) => 60000 + k * 1e-3) },
      ] } as unknown as JwstModel['tables'][string],
    },
  };
  setMeta(m.meta, 'bunit_data', 'MJy/sr');
  setMeta(m.meta, 'photometry.pixelarea_steradians', 1e-6); // factor 1e6 * 1e-6 = 1: values stay as injected
  setMeta(m.meta, 'wcsinfo.siaf_xref_sci', 21.9); // planned position 1.5 px off the star (0-based 20.9, 18.7)
  setMeta(m.meta, 'wcsinfo.siaf_yref_sci', 19.7);
  setMeta(m.meta, 'instrument.name', 'NIRCAM');
  return m;
}

const P: Params = { save_catalog: false, radius: 5, radius_inner: 8, radius_outer: 12, centroid_source: true, search_box_width: 41, fit_box_width: 11, moving_centroid: false };
const quiet = { warn: () => undefined, info: () => undefined };

describe('exact circular apertures', () => {
  it('the pixel overlaps of a disc and an annulus sum to their areas', () => {
    expect(discRectArea(2, -5, 5, -5, 5)).toBeCloseTo(Math.PI * 4, 12);
    expect(discRectArea(2, 0, 5, 0, 5)).toBeCloseTo(Math.PI, 12);
    // x in [0.5, 1], |y| <= min(0.5, sqrt(1 - x^2)): (sqrt(3)/2 - 1/2) + 2 (pi/4 - (sqrt(3)/4 + pi/3) / 2)
    expect(discRectArea(1, 0.5, 1.5, -0.5, 0.5)).toBeCloseTo(Math.sqrt(3) / 2 - 0.5 + 2 * (Math.PI / 4 - (Math.sqrt(3) / 4 + Math.PI / 3) / 2), 12);
    const a = apertureMask(10.3, 9.7, 0, 3, 30, 30), b = apertureMask(10.3, 9.7, 4, 5, 30, 30);
    expect(a.w.reduce((s, v) => s + v, 0)).toBeCloseTo(Math.PI * 9, 10);
    expect(b.w.reduce((s, v) => s + v, 0)).toBeCloseTo(Math.PI * 9, 10);
    // A circular segment: the disc of radius 1 beyond x = 0.5 has area acos(0.5) - 0.5 sqrt(0.75).
    expect(discRectArea(1, 0.5, 2, -2, 2)).toBeCloseTo(Math.acos(0.5) - 0.5 * Math.sqrt(0.75), 12);
  });
});

describe('tso_photometry on a Gaussian star over a constant background', () => {
  it('recovers the star flux and the background within the noise, per integration', () => {
    const out = tsoPhotometry(cube(), P, undefined, quiet);
    const t = readEcsv(out.text);
    const col = (n: string): number[] => Array.from(t.columns.find((c) => c.name === n)!.data as ArrayLike<number>);
    expect(t.columns.map((c) => c.name)).toEqual(['MJD', 'aperture_sum', 'aperture_sum_err', 'annulus_sum', 'annulus_sum_err', 'annulus_mean', 'annulus_mean_err',
      'aperture_bkg', 'aperture_bkg_err', 'net_aperture_sum', 'net_aperture_sum_err', 'aperture_x', 'aperture_y', 'aperture_ra_icrs', 'aperture_dec_icrs', 'centroid_x', 'centroid_y']);
    const enclosed = F * (1 - Math.exp(-25 / (2 * S * S)));
    const net = col('net_aperture_sum'), nerr = col('net_aperture_sum_err');
    expect(net.length).toBe(N);
    for (let k = 0; k < N; k++) expect(Math.abs(net[k]! - enclosed)).toBeLessThan(4 * nerr[k]!);
    const mean = net.reduce((a, b) => a + b, 0) / N;
    expect(Math.abs(mean - enclosed)).toBeLessThan((4 * nerr[0]!) / Math.sqrt(N) + 0.002 * F);
    expect(col('aperture_sum_err')[0]).toBeCloseTo(NOISE * Math.sqrt(Math.PI * 25), 6);
    for (const v of col('annulus_mean')) expect(Math.abs(v - BG)).toBeLessThan((4 * NOISE) / Math.sqrt(Math.PI * 80));
    for (const v of col('centroid_x')) expect(Math.abs(v - X0)).toBeLessThan(0.02);
    for (const v of col('centroid_y')) expect(Math.abs(v - Y0)).toBeLessThan(0.02);
    expect(col('MJD')[3]).toBeCloseTo(60000.003, 9);
    expect(t.columns.find((c) => c.name === 'net_aperture_sum')!.unit).toBe('Jy');
    expect(t.meta.find(([k]) => k === 'apertures')![1]).toMatch(/r=5.0 pixels.*r_inner=8.0 pixels and r_outer=12.0 pixels/);
  });

  it('without centroiding uses the planned XREF_SCI/YREF_SCI (0-based) and writes no centroid columns', () => {
    const t = readEcsv(tsoPhotometry(cube(), { ...P, centroid_source: false }, undefined, quiet).text);
    const x = t.columns.find((c) => c.name === 'aperture_x')!.data as ArrayLike<number>;
    expect(x[0]).toBeCloseTo(20.9, 12);
    expect(t.columns.some((c) => c.name === 'centroid_x')).toBe(false);
  });

  it('converts DN/s to electrons with EFFINTTM x gain; bad inputs fail clearly', async () => {
    const m = cube();
    setMeta(m.meta, 'bunit_data', 'DN/s');
    setMeta(m.meta, 'exposure.integration_time', 2.5);
    const u = unitFactor(m, new Float32Array(NY * NX).fill(4), () => undefined);
    expect(u.unit).toBe('electron');
    expect(u.factor(17)).toBe(10);
    const noRef = cube(); setMeta(noRef.meta, 'wcsinfo.siaf_xref_sci', undefined as unknown as number);
    expect(() => tsoPhotometry(noRef, P, undefined, quiet)).toThrow(/XREF_SCI is missing/);
    const flat = cube(); flat.arrays.data = ndarray(new Float32Array(NY * NX), [NY, NX]);
    expect(() => tsoPhotometry(flat, P, undefined, quiet)).toThrow(StepError);
    expect(step.supports!(flat)).toMatch(/3-D CubeModel/);
  });
});
