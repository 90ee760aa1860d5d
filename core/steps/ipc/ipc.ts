/**
 * IPC kernel (jwst docs, "IPC Deconvolution"): each group is convolved with
 * the kernel from the IPC reference file (a small 2-D kernel, or a 4-D
 * per-pixel kernel (ky, kx, ny, nx)). Reference pixels are excluded: the
 * convolution runs over the science region only, with zeros outside it.
 * out[y, x] = sum_{j,i} K[j, i] * in[y + cj - j, x + ci - i], cj = ky // 2, ci = kx // 2.
 */

/** Reference pixel columns/rows inside the array (MIRI: 4 columns each side of the 1032-wide frame). */
export interface RefBorders { bottom: number; top: number; left: number; right: number }

/**
 * Reference borders of a subarray (1-based xstart/ystart as SUBSTRT1/2).
 * MIRI: columns 1-4 and 1029-1032; NIR: 4 pixels round the 2048x2048 frame.
 */
export function refBorders(miri: boolean, xstart: number, xsize: number, ystart: number, ysize: number): RefBorders {
  const x0 = xstart - 1, y0 = ystart - 1;
  if (miri) return { bottom: 0, top: 0, left: Math.max(0, 4 - x0), right: Math.max(0, x0 + xsize - 1028) };
  return { bottom: Math.max(0, 4 - y0), top: Math.max(0, y0 + ysize - 2044), left: Math.max(0, 4 - x0), right: Math.max(0, x0 + xsize - 2044) };
}

/**
 * Convolve one frame (ny, nx) with a kernel; writes into `out` (may not alias `frame`).
 * Reference pixels (outside `nref`) are copied; a kernel term whose source pixel
 * lies outside the science region is skipped for that output pixel.
 * Each output pixel is a float32 sum in jwst's order (ipc docs: kernel terms row
 * by row, the central term last), each product rounded to float32 before it is
 * added, so the result rounds as the golden products do. Pixels whose every
 * term is inside the region take a branch-free stencil (3x3 unrolled); the
 * edge pixels check each term.
 * @param kernel 2-D kernel (ky*kx) when `perPixel` is false, else 4-D (ky, kx, ny, nx) over the frame
 */
export function ipcConvolveFrame(frame: Float32Array, out: Float32Array, ny: number, nx: number,
  kernel: Float32Array, ky: number, kx: number, nref: RefBorders, perPixel: boolean): void {
  out.set(frame);
  const s: Stencil = stencil(ny, nx, ky, kx, nref, perPixel);
  if (s.xe <= s.xs) return;
  // Interior x: x + ci - (kx - 1) >= xs and x + ci < xe; interior y likewise.
  const xa = Math.min(s.xe, s.xs + kx - 1 - s.ci), xb = Math.max(xa, s.xe - s.ci);
  const ya = s.ys + ky - 1 - s.cj, yb = s.ye - s.cj;
  const fast3 = ky === 3 && kx === 3 && !perPixel;
  for (let y = s.ys; y < s.ye; y++) {
    const row = y * nx;
    if (y < ya || y >= yb) {
      for (let x = s.xs; x < s.xe; x++) out[row + x] = ipcEdgePixel(frame, kernel, s, y, x);
      continue;
    }
    for (let x = s.xs; x < xa; x++) out[row + x] = ipcEdgePixel(frame, kernel, s, y, x);
    if (fast3) ipcRow3x3(frame, out, nx, kernel, row + xa, row + xb);
    else ipcRowGeneric(frame, out, kernel, s, row + xa, row + xb);
    for (let x = xb; x < s.xe; x++) out[row + x] = ipcEdgePixel(frame, kernel, s, y, x);
  }
}

/** Geometry of one convolution: science region [ys, ye) x [xs, xe), kernel centre, term order. */
interface Stencil {
  readonly nx: number; readonly ys: number; readonly ye: number; readonly xs: number; readonly xe: number;
  readonly ky: number; readonly kx: number; readonly cj: number; readonly ci: number;
  /** Kernel plane size of a 4-D kernel, 0 for a 2-D one. */
  readonly npix: number;
  /** Kernel term indices j*kx+i in summation order (row by row, the centre last). */
  readonly terms: Int32Array;
  /** Source offset of each term from the output pixel: (cj - j)*nx + (ci - i). */
  readonly offs: Int32Array;
}

function stencil(ny: number, nx: number, ky: number, kx: number, r: RefBorders, perPixel: boolean): Stencil {
  const cj = Math.floor(ky / 2), ci = Math.floor(kx / 2), n = ky * kx, c = cj * kx + ci;
  const terms = new Int32Array(n), offs = new Int32Array(n);
  let k = 0;
  for (let t = 0; t < n; t++) if (t !== c) terms[k++] = t;
  terms[k] = c;
  for (let q = 0; q < n; q++) {
    const j = Math.floor(terms[q]! / kx), i = terms[q]! - j * kx;
    offs[q] = (cj - j) * nx + (ci - i);
  }
  return { nx, ys: r.bottom, ye: ny - r.top, xs: r.left, xe: nx - r.right, ky, kx, cj, ci, npix: perPixel ? ny * nx : 0, terms, offs };
}

/** One output pixel, each term checked against the science region. */
function ipcEdgePixel(frame: Float32Array, kernel: Float32Array, s: Stencil, y: number, x: number): number {
  let sum = 0;
  const p = y * s.nx + x;
  for (let q = 0; q < s.terms.length; q++) {
    const t = s.terms[q]!, j = Math.floor(t / s.kx), i = t - j * s.kx;
    const yy = y + s.cj - j, xx = x + s.ci - i;
    if (yy < s.ys || yy >= s.ye || xx < s.xs || xx >= s.xe) continue;
    const k = s.npix ? kernel[t * s.npix + p]! : kernel[t]!;
    sum = Math.fround(sum + Math.fround(k * frame[yy * s.nx + xx]!));
  }
  return sum;
}

/** Output pixels [p0, p1) of one row whose every term is inside the region, any kernel. */
function ipcRowGeneric(frame: Float32Array, out: Float32Array, kernel: Float32Array, s: Stencil, p0: number, p1: number): void {
  const { terms, offs, npix } = s;
  const n = terms.length;
  for (let p = p0; p < p1; p++) {
    let sum = 0;
    for (let q = 0; q < n; q++) {
      const k = npix ? kernel[terms[q]! * npix + p]! : kernel[terms[q]!]!;
      sum = Math.fround(sum + Math.fround(k * frame[p + offs[q]!]!));
    }
    out[p] = sum;
  }
}

/**
 * 3x3 2-D kernel, output pixels [p0, p1) of one row, every term inside the region.
 * Term (j, i) reads frame[p + (1 - j)*nx + (1 - i)]; order (0,0) (0,1) (0,2) (1,0) (1,2) (2,0) (2,1) (2,2), centre last.
 */
function ipcRow3x3(frame: Float32Array, out: Float32Array, nx: number, k: Float32Array, p0: number, p1: number): void {
  const k00 = k[0]!, k01 = k[1]!, k02 = k[2]!, k10 = k[3]!, k11 = k[4]!, k12 = k[5]!, k20 = k[6]!, k21 = k[7]!, k22 = k[8]!;
  const f = Math.fround;
  for (let p = p0; p < p1; p++) {
    const up = p + nx, dn = p - nx;
    let s = f(0 + f(k00 * frame[up + 1]!)); // 0 + : a -0 product sums to +0 as in the term-by-term definition
    s = f(s + f(k01 * frame[up]!));
    s = f(s + f(k02 * frame[up - 1]!));
    s = f(s + f(k10 * frame[p + 1]!));
    s = f(s + f(k12 * frame[p - 1]!));
    s = f(s + f(k20 * frame[dn + 1]!));
    s = f(s + f(k21 * frame[dn]!));
    s = f(s + f(k22 * frame[dn - 1]!));
    out[p] = f(s + f(k11 * frame[p]!));
  }
}
