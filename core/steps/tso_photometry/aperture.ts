/**
 * Exact circular apertures on a pixel grid (the "exact" overlap method of
 * photutils, which jwst's tso_photometry uses through ApertureStats): the
 * weight of pixel (i, j), covering [i - 0.5, i + 0.5] x [j - 0.5, j + 0.5],
 * is the area of its intersection with the disc, integrated analytically:
 * along x the chord half-height is s(t) = sqrt(r^2 - t^2) with antiderivative
 * G(t) = (t s(t) + r^2 asin(t / r)) / 2; the integrand
 * max(0, min(y1, s) - max(y0, -s)) is one closed form between the abscissae
 * where s = |y0|, s = |y1| or s = 0.
 */

function G(t: number, r: number): number {
  const u = Math.max(-r, Math.min(r, t));
  return (u * Math.sqrt(Math.max(0, r * r - u * u)) + r * r * Math.asin(u / r)) / 2;
}

/** Area of the disc of radius r at the origin intersected with [x0, x1] x [y0, y1]. */
export function discRectArea(r: number, x0: number, x1: number, y0: number, y1: number): number {
  const a = Math.max(x0, -r), b = Math.min(x1, r);
  if (!(a < b) || !(r > 0)) return 0;
  const cuts = [a, b];
  for (const y of [y0, y1]) {
    if (Math.abs(y) < r) { const t = Math.sqrt(r * r - y * y); cuts.push(t, -t); }
  }
  const xs = [...new Set(cuts.filter((t) => t >= a && t <= b))].sort((p, q) => p - q);
  let area = 0;
  for (let k = 0; k + 1 < xs.length; k++) {
    const p = xs[k]!, q = xs[k + 1]!;
    const m = (p + q) / 2, s = Math.sqrt(Math.max(0, r * r - m * m));
    const upperIsS = s < y1, lowerIsS = -s > y0;
    const hi = upperIsS ? s : y1, lo = lowerIsS ? -s : y0;
    if (hi <= lo) continue;
    const upper = upperIsS ? G(q, r) - G(p, r) : y1 * (q - p);
    const lower = lowerIsS ? -(G(q, r) - G(p, r)) : y0 * (q - p);
    area += upper - lower;
  }
  return area;
}

/** Pixel weights of a disc centred at (cx, cy): the pixels it touches with their overlap areas. */
export interface ApertureMask {
  readonly idx: Int32Array;
  readonly w: Float64Array;
  /** Geometric area (pi r^2, or of the annulus). */
  readonly area: number;
}

/** Exact weights of a disc (rIn = 0) or an annulus (rIn < rOut) centred at (cx, cy) on an (ny, nx) image. */
export function apertureMask(cx: number, cy: number, rIn: number, rOut: number, ny: number, nx: number): ApertureMask {
  const idx: number[] = [], w: number[] = [];
  const i0 = Math.max(0, Math.floor(cx - rOut)), i1 = Math.min(nx - 1, Math.ceil(cx + rOut));
  const j0 = Math.max(0, Math.floor(cy - rOut)), j1 = Math.min(ny - 1, Math.ceil(cy + rOut));
  for (let j = j0; j <= j1; j++) {
    for (let i = i0; i <= i1; i++) {
      const x0 = i - 0.5 - cx, x1 = i + 0.5 - cx, y0 = j - 0.5 - cy, y1 = j + 0.5 - cy;
      let a = discRectArea(rOut, x0, x1, y0, y1);
      if (rIn > 0) a -= discRectArea(rIn, x0, x1, y0, y1);
      if (a > 1e-14) { idx.push(j * nx + i); w.push(a); }
    }
  }
  return { idx: Int32Array.from(idx), w: Float64Array.from(w), area: Math.PI * (rOut * rOut - rIn * rIn) };
}

/**
 * Weighted sum of an image plane (offset `off` into `data`) and its error
 * (photutils: sum(d w), sqrt(sum(err^2 w))); non-finite values are left out.
 */
export function apertureSum(m: ApertureMask, data: ArrayLike<number>, err: ArrayLike<number> | undefined, off: number): { sum: number; err: number } {
  let s = 0, v = 0;
  for (let k = 0; k < m.idx.length; k++) {
    const d = data[off + m.idx[k]!]!;
    if (!Number.isFinite(d)) continue;
    s += d * m.w[k]!;
    if (err) { const e = err[off + m.idx[k]!]!; if (Number.isFinite(e)) v += e * e * m.w[k]!; }
  }
  return { sum: s, err: err ? Math.sqrt(v) : NaN };
}
