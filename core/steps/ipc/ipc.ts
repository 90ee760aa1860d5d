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
 * @param kernel 2-D kernel (ky*kx) when `perPixel` is false, else 4-D (ky, kx, ny, nx) over the frame
 */
export function ipcConvolveFrame(frame: Float32Array, out: Float32Array, ny: number, nx: number,
  kernel: Float32Array, ky: number, kx: number, nref: RefBorders, perPixel: boolean): void {
  out.set(frame);
  const cj = Math.floor(ky / 2), ci = Math.floor(kx / 2);
  const ys = nref.bottom, ye = ny - nref.top;
  const xs = nref.left, xe = nx - nref.right;
  const npix = ny * nx;
  for (let y = ys; y < ye; y++) {
    for (let x = xs; x < xe; x++) {
      // float32 sums in jwst's order (ipc docs: kernel terms row by row, the central term last),
      // so the result rounds as the golden products do.
      let s = 0;
      const term = (j: number, i: number): void => {
        const yy = y + cj - j;
        const xx = x + ci - i;
        if (yy < ys || yy >= ye || xx < xs || xx >= xe) return;
        const k = perPixel ? kernel[(j * kx + i) * npix + y * nx + x] : kernel[j * kx + i];
        s = Math.fround(s + Math.fround(k * frame[yy * nx + xx]));
      };
      for (let j = 0; j < ky; j++) for (let i = 0; i < kx; i++) if (j !== cj || i !== ci) term(j, i);
      term(cj, ci);
      out[y * nx + x] = s;
    }
  }
}
