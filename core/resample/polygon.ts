/**
 * Exact overlap of a polygon with the unit pixels of an output grid, the
 * geometric core of drizzle's square kernel (Fruchter & Hook 2002, PASP 114,
 * 144, section 3: "the overlap of the shrunken input pixel ('drop') with each
 * output pixel"): the drop's corners are mapped into output pixel coordinates
 * and its polygon is clipped against each output pixel (Sutherland-Hodgman
 * against the four pixel edges); the area of the clipped polygon is the weight.
 *
 * Pixel (i, j) covers [i - 0.5, i + 0.5] x [j - 0.5, j + 0.5] (0-based centres).
 */

/** Signed area of a polygon given as flat [x0, y0, x1, y1, ...] (shoelace formula). */
export function polygonArea(p: ArrayLike<number>, n = p.length / 2): number {
  let s = 0;
  for (let k = 0; k < n; k++) {
    const k2 = (k + 1) % n;
    s += p[2 * k]! * p[2 * k2 + 1]! - p[2 * k2]! * p[2 * k + 1]!;
  }
  return s / 2;
}

/**
 * Clip polygon `src` (n vertices, flat xy) to the half-plane
 * sign * coord(axis) <= sign * bound; writes into `dst`, returns the vertex count.
 */
function clipHalf(src: Float64Array, n: number, dst: Float64Array, axis: 0 | 1, bound: number, sign: 1 | -1): number {
  let m = 0;
  for (let k = 0; k < n; k++) {
    const k2 = (k + 1) % n;
    const ax = src[2 * k]!, ay = src[2 * k + 1]!, bx = src[2 * k2]!, by = src[2 * k2 + 1]!;
    const da = sign * ((axis === 0 ? ax : ay) - bound), db = sign * ((axis === 0 ? bx : by) - bound);
    if (da <= 0) { dst[2 * m] = ax; dst[2 * m + 1] = ay; m++; }
    if ((da < 0 && db > 0) || (da > 0 && db < 0)) {
      const t = da / (da - db);
      dst[2 * m] = ax + t * (bx - ax); dst[2 * m + 1] = ay + t * (by - ay); m++;
    }
  }
  return m;
}

/** Scratch buffers for `overlapArea` (a convex quadrilateral clipped by 4 edges has at most 8 vertices). */
export class ClipScratch {
  readonly a = new Float64Array(32);
  readonly b = new Float64Array(32);
}

/**
 * Area of the overlap of a convex polygon (flat xy, n vertices, either
 * orientation) with the axis-aligned box [x0, x1] x [y0, y1].
 */
export function overlapArea(poly: ArrayLike<number>, n: number, x0: number, x1: number, y0: number, y1: number, s = new ClipScratch()): number {
  const { a, b } = s;
  for (let k = 0; k < 2 * n; k++) a[k] = poly[k]!;
  let m = clipHalf(a, n, b, 0, x1, 1);
  if (m < 3) return 0;
  m = clipHalf(b, m, a, 0, x0, -1);
  if (m < 3) return 0;
  m = clipHalf(a, m, b, 1, y1, 1);
  if (m < 3) return 0;
  m = clipHalf(b, m, a, 1, y0, -1);
  if (m < 3) return 0;
  return Math.abs(polygonArea(a, m));
}
