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
 * added, so the result rounds as the golden products do. The sum runs as a
 * stencil: term by term over whole rows of `out` (the accumulator), no call per pixel.
 * @param kernel 2-D kernel (ky*kx) when `perPixel` is false, else 4-D (ky, kx, ny, nx) over the frame
 */
export function ipcConvolveFrame(frame: Float32Array, out: Float32Array, ny: number, nx: number,
  kernel: Float32Array, ky: number, kx: number, nref: RefBorders, perPixel: boolean): void {
  out.set(frame);
  const cj = Math.floor(ky / 2), ci = Math.floor(kx / 2);
  const ys = nref.bottom, ye = ny - nref.top;
  const xs = nref.left, xe = nx - nref.right;
  if (xe <= xs) return;
  for (let y = ys; y < ye; y++) {
    const row = y * nx;
    out.fill(0, row + xs, row + xe);
    for (let j = 0; j < ky; j++) for (let i = 0; i < kx; i++) if (j !== cj || i !== ci) ipcTerm(frame, out, nx, npixOf(perPixel, ny, nx), kernel, kx, y, j, i, cj, ci, ys, ye, xs, xe);
    ipcTerm(frame, out, nx, npixOf(perPixel, ny, nx), kernel, kx, y, cj, ci, cj, ci, ys, ye, xs, xe);
  }
}

/** 0 for a 2-D kernel (one weight per term), else the plane size of the 4-D kernel. */
const npixOf = (perPixel: boolean, ny: number, nx: number): number => (perPixel ? ny * nx : 0);

/**
 * Add kernel term (j, i) to output row y over the x where its source pixel
 * (y + cj - j, x + ci - i) is inside the science region [ys, ye) x [xs, xe).
 * `npix` 0: one weight kernel[j*kx+i]; else per-pixel weights kernel[(j*kx+i)*npix + y*nx + x].
 */
function ipcTerm(frame: Float32Array, out: Float32Array, nx: number, npix: number, kernel: Float32Array, kx: number,
  y: number, j: number, i: number, cj: number, ci: number, ys: number, ye: number, xs: number, xe: number): void {
  const yy = y + cj - j;
  if (yy < ys || yy >= ye) return;
  const dx = ci - i;
  const x0 = Math.max(xs, xs - dx), x1 = Math.min(xe, xe - dx);
  const row = y * nx, src = yy * nx + dx;
  const t = j * kx + i;
  if (npix === 0) {
    const k = kernel[t]!;
    for (let x = x0; x < x1; x++) out[row + x] = out[row + x]! + Math.fround(k * frame[src + x]!);
  } else {
    const kb = t * npix + row;
    for (let x = x0; x < x1; x++) out[row + x] = out[row + x]! + Math.fround(kernel[kb + x]! * frame[src + x]!);
  }
}
