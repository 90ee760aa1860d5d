/**
 * Source centroiding for TSO imaging (jwst 3.0 tso_photometry docs,
 * "centroid_source"): per integration, subtract the median of the pixels
 * outside a disc of radius `radius_inner` around the current guess, then take
 * the centre of mass inside a box of `search_box_width` about the planned
 * position (DO_NOT_USE and NaN pixels masked); the median over integrations
 * is the new guess, and a second pass with `fit_box_width` about it gives
 * the centroids. (jwst additionally fits a Gaussian PSF for psf_width/psf_flux:
 * not done here.)
 */

export interface Plane {
  readonly data: ArrayLike<number>;
  readonly dq?: ArrayLike<number>;
  readonly off: number;
  readonly ny: number;
  readonly nx: number;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
}

const good = (p: Plane, i: number): boolean => Number.isFinite(p.data[p.off + i]!) && ((p.dq?.[p.off + i] ?? 0) & 1) === 0;

/** Centre of mass (0-based x, y) in a box of odd width `box` about (xc, yc), after removing the background median; NaN when it fails or leaves the image. */
export function boxCentroid(p: Plane, xc: number, yc: number, box: number, srcRadius: number): [number, number] {
  const bg: number[] = [];
  for (let j = 0; j < p.ny; j++) for (let i = 0; i < p.nx; i++) {
    if ((i - xc) ** 2 + (j - yc) ** 2 >= srcRadius ** 2 && good(p, j * p.nx + i)) bg.push(p.data[p.off + j * p.nx + i]!);
  }
  const b = median(bg);
  const h = (box - 1) / 2, ic = Math.round(xc), jc = Math.round(yc);
  let s = 0, sx = 0, sy = 0;
  for (let j = Math.max(0, jc - h); j <= Math.min(p.ny - 1, jc + h); j++) {
    for (let i = Math.max(0, ic - h); i <= Math.min(p.nx - 1, ic + h); i++) {
      const k = j * p.nx + i;
      if (!good(p, k)) continue;
      const v = p.data[p.off + k]! - (Number.isFinite(b) ? b : 0);
      s += v; sx += v * i; sy += v * j;
    }
  }
  const x = sx / s, y = sy / s;
  if (!(s !== 0) || !(x >= 0 && x < p.nx && y >= 0 && y < p.ny)) return [NaN, NaN];
  return [x, y];
}

/** Two-pass centroids of every plane: search box about the planned position, then fit box about the median. */
export function sourceCentroids(planes: readonly Plane[], x0: number, y0: number, searchBox: number, fitBox: number, srcRadius: number): { x: Float64Array; y: Float64Array } {
  const pass = (xc: number, yc: number, box: number) => {
    const x = new Float64Array(planes.length), y = new Float64Array(planes.length);
    planes.forEach((p, k) => { [x[k], y[k]] = boxCentroid(p, xc, yc, box, srcRadius); });
    return { x, y };
  };
  const first = pass(x0, y0, searchBox);
  const fin = (a: Float64Array): number[] => Array.from(a).filter(Number.isFinite);
  if (fin(first.x).length === 0) return first;
  return pass(median(fin(first.x)), median(fin(first.y)), fitBox);
}
