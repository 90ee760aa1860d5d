/**
 * Drizzle (Fruchter & Hook 2002, PASP 114, 144; the DrizzlePac handbook,
 * "The drizzle algorithm"): every input pixel, shrunk by `pixfrac` about its
 * centre (the "drop"), is mapped onto the output grid; each output pixel j
 * receives the input value d_i with weight a_ij * w_i, where a_ij is the exact
 * overlap area of the drop with output pixel j (square kernel) or 1 for the
 * output pixel containing the drop centre (point kernel). The output value is
 * the weighted mean  O_j = sum(a_ij w_i d_i) / sum(a_ij w_i)  and the weight
 * image is W_j = sum(a_ij w_i). Values are surface brightnesses, so no pixel
 * area scaling is applied (an intensity is preserved; a total flux is
 * preserved as sum(O_j * area_j)).
 *
 * Variances are propagated as for a weighted mean of independent inputs:
 * V_j = sum((a_ij w_i)^2 v_i) / W_j^2 (our choice; documented in the step).
 * The context image holds, per output pixel, a bit for each input image that
 * contributed (bit k % 32 of plane floor(k / 32)).
 */
import { ClipScratch, overlapArea } from './polygon.ts';

export type DrizzleKernel = 'square' | 'point';

/** Accumulators of one output grid (row-major, ny rows of nx). */
export interface DrizzleAccumulator {
  readonly nx: number;
  readonly ny: number;
  /** sum(a w d) */
  readonly sum: Float64Array;
  /** sum(a w) */
  readonly wht: Float64Array;
  /** sum((a w)^2 v) per variance name */
  readonly vars: Record<string, Float64Array>;
  /** context bits, planes of ny*nx */
  con: Int32Array[];
}

export function createAccumulator(nx: number, ny: number, varNames: readonly string[]): DrizzleAccumulator {
  const n = nx * ny;
  return {
    nx, ny, sum: new Float64Array(n), wht: new Float64Array(n),
    vars: Object.fromEntries(varNames.map((v) => [v, new Float64Array(n)])), con: [],
  };
}

/** One input image, already mapped to output pixel coordinates. */
export interface DrizzleInput {
  /** Number of input pixels described. */
  readonly n: number;
  /**
   * Square kernel: 8 numbers per pixel, the output (x, y) of the drop's 4
   * corners in order around the drop. Point kernel: 2 numbers per pixel, the
   * output (x, y) of the pixel centre. NaN anywhere = pixel skipped.
   */
  readonly coords: Float64Array;
  readonly data: ArrayLike<number>;
  /** Per-pixel weight (0 = not used: bad DQ, NaN data, ...). */
  readonly weight: ArrayLike<number>;
  /** Per-pixel variances by name (the accumulator's varNames). */
  readonly vars: Readonly<Record<string, ArrayLike<number>>>;
  /** Index of this input among all drizzled inputs (context bit). */
  readonly index: number;
}

function addTo(acc: DrizzleAccumulator, j: number, aw: number, inp: DrizzleInput, i: number, conPlane: Int32Array, bit: number): void {
  acc.sum[j] += aw * inp.data[i]!;
  acc.wht[j] += aw;
  for (const name in acc.vars) {
    const v = inp.vars[name]?.[i];
    if (v !== undefined && Number.isFinite(v)) acc.vars[name]![j] += aw * aw * v;
  }
  conPlane[j] |= bit;
}

function contextPlane(acc: DrizzleAccumulator, index: number): Int32Array {
  const p = Math.floor(index / 32);
  while (acc.con.length <= p) acc.con.push(new Int32Array(acc.nx * acc.ny));
  return acc.con[p]!;
}

/** Drizzle one input onto the accumulator. Returns the number of input pixels used. */
export function drizzleAdd(acc: DrizzleAccumulator, inp: DrizzleInput, kernel: DrizzleKernel): number {
  const { nx, ny } = acc;
  const plane = contextPlane(acc, inp.index);
  const bit = 1 << (inp.index % 32);
  const scratch = new ClipScratch();
  const quad = new Float64Array(8);
  let used = 0;
  for (let i = 0; i < inp.n; i++) {
    const w = inp.weight[i]!;
    if (!(w > 0) || !Number.isFinite(inp.data[i]!)) continue;
    if (kernel === 'point') {
      const xo = Math.round(inp.coords[2 * i]!), yo = Math.round(inp.coords[2 * i + 1]!);
      if (!(xo >= 0 && xo < nx && yo >= 0 && yo < ny)) continue;
      addTo(acc, yo * nx + xo, w, inp, i, plane, bit);
      used++;
      continue;
    }
    let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity, ok = true;
    for (let k = 0; k < 4; k++) {
      const x = inp.coords[8 * i + 2 * k]!, y = inp.coords[8 * i + 2 * k + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) { ok = false; break; }
      quad[2 * k] = x; quad[2 * k + 1] = y;
      xmin = Math.min(xmin, x); xmax = Math.max(xmax, x); ymin = Math.min(ymin, y); ymax = Math.max(ymax, y);
    }
    if (!ok) continue;
    const i0 = Math.max(0, Math.round(xmin)), i1 = Math.min(nx - 1, Math.round(xmax));
    const j0 = Math.max(0, Math.round(ymin)), j1 = Math.min(ny - 1, Math.round(ymax));
    let any = false;
    for (let jy = j0; jy <= j1; jy++) {
      for (let ix = i0; ix <= i1; ix++) {
        const a = overlapArea(quad, 4, ix - 0.5, ix + 0.5, jy - 0.5, jy + 0.5, scratch);
        if (a > 0) { addTo(acc, jy * nx + ix, a * w, inp, i, plane, bit); any = true; }
      }
    }
    if (any) used++;
  }
  return used;
}

/** The finished output arrays (float32 as jwst writes them; con int32 planes). */
export interface DrizzleResult {
  readonly data: Float32Array;
  readonly wht: Float32Array;
  readonly vars: Record<string, Float32Array>;
  readonly con: Int32Array[];
  /** Output pixels that received no weight. */
  readonly empty: Uint8Array;
}

/** Divide out the weights; pixels with no weight get `fillval` (data and variances). */
export function drizzleFinish(acc: DrizzleAccumulator, fillval: number): DrizzleResult {
  const n = acc.nx * acc.ny;
  const data = new Float32Array(n), wht = new Float32Array(n), empty = new Uint8Array(n);
  const vars = Object.fromEntries(Object.keys(acc.vars).map((k) => [k, new Float32Array(n)]));
  for (let j = 0; j < n; j++) {
    const w = acc.wht[j]!;
    wht[j] = w;
    if (!(w > 0)) {
      empty[j] = 1; data[j] = fillval;
      for (const k in vars) vars[k]![j] = fillval;
      continue;
    }
    data[j] = acc.sum[j]! / w;
    for (const k in vars) vars[k]![j] = acc.vars[k]![j]! / (w * w);
  }
  if (acc.con.length === 0) acc.con.push(new Int32Array(n));
  return { data, wht, vars, con: acc.con, empty };
}
