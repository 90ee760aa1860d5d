/**
 * Subarray windows: extracting the science data's window from a reference
 * array that covers it (full frame or a larger/equal subarray). Windows are
 * 1-based as the SUBSTRT1/2 keywords (meta.subarray.xstart/ystart) give them.
 * jwst docs, "Reference files: subarrays" (reffile_utils): a reference that is
 * not the science subarray is cut to it using SUBSTRT/SUBSIZE.
 */
import { StepError } from '../../errors/index.ts';
import type { Meta } from '../../datamodels/meta.ts';
import { getMeta } from '../../datamodels/meta.ts';
import { ndarray, type DType, type NDArray, allocData, sizeOf } from '../../ndarray/index.ts';

/** A detector window, 1-based start, sizes in pixels (x = FITS axis 1 = last array axis). */
export interface Window {
  readonly xstart: number;
  readonly ystart: number;
  readonly xsize: number;
  readonly ysize: number;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/** The science window from meta.subarray; falls back to (1,1) and the array's own size. */
export function scienceWindow(meta: Meta, ny: number, nx: number): Window {
  return {
    xstart: num(getMeta(meta, 'subarray.xstart')) ?? 1,
    ystart: num(getMeta(meta, 'subarray.ystart')) ?? 1,
    xsize: num(getMeta(meta, 'subarray.xsize')) ?? nx,
    ysize: num(getMeta(meta, 'subarray.ysize')) ?? ny,
  };
}

/**
 * Cut `sci` out of a reference array `ref` whose last two axes cover the
 * window `refWin`. Leading axes are kept. Returns `ref` itself when the
 * windows are equal. Throws StepError('ref-subarray') when `refWin` does not
 * contain `sci`.
 */
export function extractWindow<D extends DType>(ref: NDArray<D>, refWin: Window, sci: Window, what: string): NDArray<D> {
  const nd = ref.shape.length;
  const rny = ref.shape[nd - 2];
  const rnx = ref.shape[nd - 1];
  if (rny !== refWin.ysize || rnx !== refWin.xsize) {
    throw new StepError('ref-subarray', `${what}: array is ${rny}x${rnx} (ny x nx) but SUBSIZE2/SUBSIZE1 say ${refWin.ysize}x${refWin.xsize}`);
  }
  if (refWin.xstart === sci.xstart && refWin.ystart === sci.ystart && refWin.xsize === sci.xsize && refWin.ysize === sci.ysize) return ref;
  const x0 = sci.xstart - refWin.xstart;
  const y0 = sci.ystart - refWin.ystart;
  if (x0 < 0 || y0 < 0 || x0 + sci.xsize > rnx || y0 + sci.ysize > rny) {
    throw new StepError('ref-subarray',
      `${what}: reference covers x ${refWin.xstart}..${refWin.xstart + rnx - 1}, y ${refWin.ystart}..${refWin.ystart + rny - 1} `
      + `but the science subarray is x ${sci.xstart}..${sci.xstart + sci.xsize - 1}, y ${sci.ystart}..${sci.ystart + sci.ysize - 1} (1-based)`);
  }
  const lead = ref.shape.slice(0, nd - 2);
  const nlead = sizeOf(lead);
  const out = allocData(ref.dtype, nlead * sci.ysize * sci.xsize) as unknown as { set(a: ArrayLike<unknown>, o: number): void };
  const src = ref.data as unknown as { subarray(a: number, b: number): ArrayLike<unknown> };
  for (let k = 0; k < nlead; k++) {
    for (let y = 0; y < sci.ysize; y++) {
      const s = k * rny * rnx + (y0 + y) * rnx + x0;
      out.set(src.subarray(s, s + sci.xsize), (k * sci.ysize + y) * sci.xsize);
    }
  }
  return ndarray(out as never, [...lead, sci.ysize, sci.xsize]) as NDArray<D>;
}
