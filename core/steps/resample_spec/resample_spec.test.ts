import { describe, it, expect } from 'vitest';
import { setMeta } from '../../datamodels/meta.ts';
import { DQ } from '../../datamodels/dq.ts';
import { StepError } from '../../errors/index.ts';
import { ndarray } from '../../ndarray/index.ts';
import type { JwstModel } from '../../stpipe/index.ts';
import { modelWcs, setModelWcs } from '../../wcs/attach.ts';
import type { Wcs } from '../../wcs/wcs.ts';
import { polygonArea } from '../../resample/polygon.ts';
import { mapBox, resampleSlits, type SlitInput } from '../../resample/resample-slit.ts';
import { sampleBox } from '../../resample/spec-grid.ts';
import { FIX, fixtureWcs, traceImage } from '../../resample/testing.ts';
import { resampleSpec } from './run.ts';
import { step } from './index.node.ts';

const { nx, ny } = FIX;
const log = { debug() {}, info() {}, warning() {}, error() {} };
const P = { pixfrac: 1, kernel: 'square', fillval: 'NAN', weight_type: 'ivm', output_shape: null, pixel_scale_ratio: 1, pixel_scale: null, output_wcs: '', single: false, blendheaders: true, in_memory: true };

function model(data: Float32Array, wcs: Wcs | null = fixtureWcs(), exp = 'MIR_LRS-FIXEDSLIT'): JwstModel {
  const m: JwstModel = {
    type: 'ImageModel', meta: {}, tables: {}, extras: [],
    arrays: {
      data: ndarray(data, [ny, nx]), dq: ndarray(new Uint32Array(nx * ny), [ny, nx]), err: ndarray(new Float32Array(nx * ny).fill(2), [ny, nx]),
      var_rnoise: ndarray(new Float32Array(nx * ny).fill(4), [ny, nx]), var_poisson: ndarray(new Float32Array(nx * ny), [ny, nx]), var_flat: ndarray(new Float32Array(nx * ny), [ny, nx]),
    },
  };
  setMeta(m.meta, 'exposure.type', exp);
  if (wcs) setModelWcs(m, wcs);
  return m;
}

const line = (y0: number, s: number, f: number) => (y: number): number => (y >= 8 && y <= 50 ? f * Math.exp(-0.5 * ((y - y0) / s) ** 2) : 0);
const flat = (f: number) => (y: number): number => (y >= 8 && y <= 50 ? f : 0);

/** Flux-weighted mean output column and the slit coordinate the output WCS gives it. */
function outputCentroid(out: JwstModel): { x: number; alpha: number; lambda: number } {
  const d = out.arrays.data!.data as Float32Array, wl = out.arrays.wavelength!.data as Float32Array;
  const onx = out.arrays.data!.shape[1]!;
  let s = 0, sx = 0, sl = 0;
  for (let i = 0; i < d.length; i++) if (Number.isFinite(d[i]!)) { s += d[i]!; sx += d[i]! * (i % onx); sl += d[i]! * wl[i]!; }
  const x = sx / s;
  const a = modelWcs(out)!.evaluate([Float64Array.of(x), Float64Array.of(10)], { to: 'alpha_beta' })[0]![0]!;
  return { x, alpha: a, lambda: sl / s };
}

describe('resample_spec: drizzle onto the rectified LRS fixed-slit grid', () => {
  it('conserves total flux with pixfrac 1 (sum of output = sum of input x footprint area)', () => {
    const wcs = fixtureWcs();
    const img = traceImage(wcs, 0.1, 1.2, flat(100)); // tails at the slit edges < 1e-9 of the flux
    const inp: SlitInput = { wcs, ny, nx, data: img, vars: {}, weight: { kind: 'scalar', value: 1 }, alphaOffset: 0 };
    const res = resampleSlits([inp], { pixfrac: 1, kernel: 'square', fillval: NaN, pixelScaleRatio: 1, pixelScale: null, outputShape: null, descending: true });
    const box = sampleBox(wcs), coords = mapBox(inp, box, res.grid, 1, 'square');
    let inArea = 0, inSum = 0, outSum = 0;
    for (let j = 0; j < box.ny; j++) for (let i = 0; i < box.nx; i++) {
      const p = j * box.nx + i, d = img[(box.y0 + j) * nx + box.x0 + i]!;
      const area = Math.abs(polygonArea(coords.subarray(8 * p, 8 * p + 8)));
      inSum += d;
      if (Number.isFinite(area)) inArea += d * area; else expect(d).toBe(0);
    }
    let outWeighted = 0;
    res.data.forEach((v, j) => { if (Number.isFinite(v)) { outSum += v; outWeighted += v * res.wht[j]!; } });
    expect(inSum).toBeGreaterThan(4000);
    // Exact identity: sum_j O_j W_j = sum_i d_i A_i; and the plain sum differs only at partly covered slit-edge pixels.
    expect(Math.abs(outWeighted - inArea) / inArea).toBeLessThan(1e-6);
    expect(Math.abs(outSum - inArea) / inArea).toBeLessThan(1e-5);
    expect(Math.abs(outSum - inSum) / inSum).toBeLessThan(0.02);
    // Rows run from the longest wavelength down (as on the detector).
    expect(res.grid.wave[0]!).toBeGreaterThan(res.grid.wave[res.grid.ny - 1]!);
  });

  it('keeps a point source at its slit position and an emission line at its wavelength', () => {
    const wcs = fixtureWcs();
    const img = traceImage(wcs, 0.3, 1.2, line(30.3, 1.1, 500));
    const out = resampleSpec(model(img), P, { log });
    const c = outputCentroid(out);
    const truthLambda = wcs.evaluate([Float64Array.of(20), Float64Array.of(30.3)], { to: 'alpha_beta' })[2]![0]!;
    expect(Math.abs(c.alpha - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(c.lambda - truthLambda)).toBeLessThan(0.01);
    expect(out.type).toBe('SlitModel');
    expect(out.arrays.con!.shape).toEqual([1, ...out.arrays.data!.shape]);
  });

  it('keeps a constant surface brightness constant (square pixfrac 1 and 0.6, point kernel), ignoring DO_NOT_USE pixels', () => {
    const img = new Float32Array(nx * ny).fill(7);
    for (const params of [P, { ...P, pixfrac: 0.6 }, { ...P, kernel: 'point' }]) {
      const m = model(img.slice());
      (m.arrays.data!.data as Float32Array)[30 * nx + 20] = 1e6;
      (m.arrays.dq!.data as Uint32Array)[30 * nx + 20] = DQ.DO_NOT_USE;
      const out = resampleSpec(m, params, { log });
      const d = out.arrays.data!.data as Float32Array;
      let n = 0, maxDev = 0;
      for (const v of d) if (Number.isFinite(v)) { n++; maxDev = Math.max(maxDev, Math.abs(v - 7)); }
      expect(n).toBeGreaterThan(0.8 * d.length);
      expect(maxDev).toBeLessThan(1e-4);
    }
  });

  it('propagates the variances (ivm weights) and flags empty pixels', () => {
    const out = resampleSpec(model(new Float32Array(nx * ny).fill(1)), P, { log });
    const e = out.arrays.err!.data as Float32Array, vr = out.arrays.var_rnoise!.data as Float32Array, dq = out.arrays.dq!.data as Uint32Array;
    const d = out.arrays.data!.data as Float32Array;
    for (let i = 0; i < e.length; i++) {
      if (Number.isNaN(d[i]!)) { expect(dq[i]! & DQ.DO_NOT_USE).toBeTruthy(); continue; }
      expect(e[i]! ** 2).toBeCloseTo(vr[i]!, 4);
      expect(vr[i]!).toBeGreaterThan(0.5); expect(vr[i]!).toBeLessThanOrEqual(4.0001);
    }
  });

  it('combines a nodded pair on the sky: the second input shifted along the slit lands on the first', () => {
    const th = (4.83 * Math.PI) / 180, d = 0.6;
    const wa = fixtureWcs(), wb = fixtureWcs({ v2_ref: -378.63 + d * Math.cos(th), v3_ref: -344.93 + d * Math.sin(th) });
    const a = model(traceImage(wa, -0.2, 1.2, flat(100)), wa), b = model(traceImage(wb, -0.2 + d, 1.2, flat(100)), wb);
    const single = outputCentroid(resampleSpec(a, P, { log }));
    const out = resampleSpec([a, b], P, { log });
    const c = outputCentroid(out);
    expect(Math.abs(c.alpha - -0.2)).toBeLessThan(0.01);
    expect(Math.abs(single.alpha - -0.2)).toBeLessThan(0.01);
    expect(out.arrays.data!.shape[1]!).toBeGreaterThan(resampleSpec(a, P, { log }).arrays.data!.shape[1]! + 3);
    const con = out.arrays.con!.data as Int32Array;
    expect(con.some((v) => v === 3)).toBe(true);
  });

  it('pixel_scale_ratio 2 halves the spatial pixel size (twice the columns)', () => {
    const img = new Float32Array(nx * ny).fill(7);
    const o1 = resampleSpec(model(img), P, { log }), o2 = resampleSpec(model(img), { ...P, pixel_scale_ratio: 2 }, { log });
    const w1 = o1.arrays.data!.shape[1]!, w2 = o2.arrays.data!.shape[1]!;
    expect(Math.abs(w2 - 2 * w1)).toBeLessThanOrEqual(1);
    expect(o2.meta.resample).toMatchObject({ pixfrac: 1, pixel_scale_ratio: 2 });
  });

  it('fails clearly for unsupported modes and inputs', () => {
    const img = new Float32Array(nx * ny);
    const code = (f: () => unknown): string => { try { f(); return 'none'; } catch (e) { expect(e).toBeInstanceOf(StepError); return (e as StepError).code; } };
    expect(code(() => resampleSpec(model(img, null, 'MIR_LRS-SLITLESS'), P, { log }))).toBe('not-implemented');
    expect(code(() => resampleSpec(model(img, null, 'NRS_FIXEDSLIT'), P, { log }))).toBe('not-implemented');
    const cube = model(img); cube.arrays.data = ndarray(new Float32Array(2 * nx * ny), [2, ny, nx]);
    expect(code(() => resampleSpec(cube, P, { log }))).toBe('not-implemented');
    expect(code(() => resampleSpec(model(img), P, { log }))).toBe('none');
    expect(code(() => resampleSpec(model(img, null), P, { log }))).toBe('not-implemented');
    expect(code(() => resampleSpec(model(img), { ...P, output_wcs: 'my.asdf' }, { log }))).toBe('not-implemented');
    expect(code(() => resampleSpec(model(img), { ...P, fillval: 'abc' }, { log }))).toBe('bad-parameter');
    expect(step.supports!(model(img, null, 'NRS_MSASPEC'))).toMatch(/MIR_LRS-FIXEDSLIT only/);
    expect(step.supports!(model(img))).toBeUndefined();
  });
});
