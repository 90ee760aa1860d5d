/**
 * Resample 2-D slit spectra onto a rectified (slit position, wavelength) grid
 * by drizzling (see drizzle.ts, spec-grid.ts). Pure: works on typed arrays and
 * WCS objects; the resample_spec step wraps it.
 */
import { DQ } from '../datamodels/dq.ts';
import type { Wcs } from '../wcs/wcs.ts';
import { createAccumulator, drizzleAdd, drizzleFinish, type DrizzleKernel } from './drizzle.ts';
import { alphaToX, buildSpecGrid, outputWcs, sampleBox, waveToY, type BoxSample, type SpecGrid } from './spec-grid.ts';

export const VAR_NAMES = ['var_poisson', 'var_rnoise', 'var_flat'] as const;

/** One input slit image (C order, shape [ny, nx]). */
export interface SlitInput {
  readonly wcs: Wcs;
  readonly ny: number;
  readonly nx: number;
  readonly data: ArrayLike<number>;
  readonly dq?: ArrayLike<number>;
  readonly err?: ArrayLike<number>;
  readonly vars: Partial<Record<(typeof VAR_NAMES)[number], ArrayLike<number>>>;
  /** 'ivm' uses 1/var_rnoise per pixel; otherwise this scalar (exposure time, or 1). */
  readonly weight: { readonly kind: 'ivm' } | { readonly kind: 'scalar'; readonly value: number };
  /** Added to this input's alpha to put it in the first input's slit frame (arcsec). */
  readonly alphaOffset: number;
}

export interface ResampleOptions {
  readonly pixfrac: number;
  readonly kernel: DrizzleKernel;
  readonly fillval: number;
  readonly pixelScaleRatio: number;
  readonly pixelScale: number | null;
  readonly outputShape: readonly number[] | null;
  readonly descending: boolean;
  /** Called after each input (for progress / cancellation). */
  readonly onInput?: (done: number, total: number) => void;
}

export interface ResampleResult {
  readonly grid: SpecGrid;
  readonly wcs: Wcs;
  readonly data: Float32Array;
  readonly wht: Float32Array;
  readonly err: Float32Array;
  readonly dq: Uint32Array;
  readonly vars: Record<string, Float32Array>;
  /** Context planes (ny * nx each). */
  readonly con: Int32Array[];
  /** Input pixels used, per input. */
  readonly used: number[];
}

const BAD = DQ.DO_NOT_USE | DQ.NON_SCIENCE;

/** Output (x, y) of the drop corners (square) or centres (point) of every box pixel. */
export function mapBox(inp: SlitInput, box: BoxSample, grid: SpecGrid, pixfrac: number, kernel: DrizzleKernel): Float64Array {
  const n = box.nx * box.ny, per = kernel === 'square' ? 4 : 1, h = pixfrac / 2;
  const dx = kernel === 'square' ? [-h, h, h, -h] : [0], dy = kernel === 'square' ? [-h, -h, h, h] : [0];
  const xs = new Float64Array(n * per), ys = new Float64Array(n * per);
  for (let j = 0; j < box.ny; j++) {
    for (let i = 0; i < box.nx; i++) {
      const p = j * box.nx + i;
      for (let k = 0; k < per; k++) { xs[p * per + k] = box.x0 + i + dx[k]!; ys[p * per + k] = box.y0 + j + dy[k]!; }
    }
  }
  const out = inp.wcs.evaluate([xs, ys], { to: 'alpha_beta', withBoundingBox: false });
  const alpha = out[0]!, lambda = out[out.length - 1]!;
  const coords = new Float64Array(2 * n * per);
  for (let q = 0; q < n * per; q++) {
    coords[2 * q] = alphaToX(grid, alpha[q]! + inp.alphaOffset);
    coords[2 * q + 1] = waveToY(grid, lambda[q]!);
  }
  return coords;
}

/** Per-pixel data, weight and variances of the box pixels of one input. */
function boxArrays(inp: SlitInput, box: BoxSample): { data: Float64Array; weight: Float64Array; vars: Record<string, Float64Array> } {
  const n = box.nx * box.ny;
  const data = new Float64Array(n), weight = new Float64Array(n);
  const vars: Record<string, Float64Array> = {};
  const names = Object.keys(inp.vars).length > 0 ? VAR_NAMES.filter((v) => inp.vars[v]) : [];
  for (const v of names) vars[v] = new Float64Array(n);
  if (names.length === 0 && inp.err) vars.err2 = new Float64Array(n);
  for (let j = 0; j < box.ny; j++) {
    const y = box.y0 + j;
    for (let i = 0; i < box.nx; i++) {
      const x = box.x0 + i, p = j * box.nx + i;
      if (x < 0 || x >= inp.nx || y < 0 || y >= inp.ny) continue;
      const s = y * inp.nx + x, d = inp.data[s]!;
      data[p] = d;
      for (const v of names) vars[v]![p] = inp.vars[v]![s]!;
      if (vars.err2) vars.err2[p] = inp.err![s]! ** 2;
      if (!Number.isFinite(d) || ((inp.dq?.[s] ?? 0) & BAD) !== 0) continue;
      if (inp.weight.kind === 'scalar') weight[p] = inp.weight.value;
      else {
        const vr = inp.vars.var_rnoise?.[s];
        weight[p] = vr !== undefined && vr > 0 && Number.isFinite(vr) ? 1 / vr : 0;
      }
    }
  }
  return { data, weight, vars };
}

/** Drizzle all inputs onto one rectified grid built from all of them. */
export function resampleSlits(inputs: readonly SlitInput[], o: ResampleOptions): ResampleResult {
  if (inputs.length === 0) throw new RangeError('resample: no inputs');
  const boxes = inputs.map((inp) => {
    const b = sampleBox(inp.wcs);
    return inp.alphaOffset === 0 ? b : { ...b, alpha: b.alpha.map((a) => a + inp.alphaOffset) };
  });
  const grid = buildSpecGrid(boxes, o);
  const first = boxArrays(inputs[0]!, boxes[0]!);
  const acc = createAccumulator(grid.nx, grid.ny, Object.keys(first.vars));
  const used: number[] = [];
  inputs.forEach((inp, k) => {
    const arrs = k === 0 ? first : boxArrays(inp, boxes[k]!);
    const coords = mapBox(inp, boxes[k]!, grid, o.pixfrac, o.kernel);
    used.push(drizzleAdd(acc, { n: boxes[k]!.nx * boxes[k]!.ny, coords, data: arrs.data, weight: arrs.weight, vars: arrs.vars, index: k }, o.kernel));
    o.onInput?.(k + 1, inputs.length);
  });
  const res = drizzleFinish(acc, o.fillval);
  const n = grid.nx * grid.ny;
  const err = new Float32Array(n), dq = new Uint32Array(n);
  const vars: Record<string, Float32Array> = {};
  for (const v of VAR_NAMES) if (res.vars[v]) vars[v] = res.vars[v];
  for (let j = 0; j < n; j++) {
    if (res.empty[j]) { err[j] = o.fillval; dq[j] = BAD; continue; }
    let s = 0;
    if (res.vars.err2) s = res.vars.err2[j]!;
    else for (const v of Object.keys(vars)) s += vars[v]![j]!;
    err[j] = Math.sqrt(s);
  }
  return { grid, wcs: outputWcs(grid, inputs[0]!.wcs), data: res.data, wht: res.wht, err, dq, vars, con: res.con, used };
}
