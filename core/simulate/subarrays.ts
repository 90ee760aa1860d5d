/**
 * MIRI imager (MIRIMAGE) subarrays and their frame times.
 *
 * Corners and sizes follow the JWST user documentation (JDox, "MIRI Detector
 * Subarrays"), 1-based full-frame pixels as the SUBSTRT1/2 and SUBSIZE1/2
 * keywords give them. Frame times are the FAST values of the same table;
 * SLOW frame times are approximated by the FULL-frame SLOW/FAST ratio
 * (23.89 s / 2.775 s), which is close for the large subarrays and only an
 * approximation for the small ones (documented limitation of the simulator).
 */
import { WebbError } from '../errors/index.ts';

export interface MiriSubarray {
  readonly name: string;
  /** SUBSTRT1, SUBSTRT2 (1-based full-frame column, row). */
  readonly xstart: number;
  readonly ystart: number;
  /** SUBSIZE1 (columns, nx) and SUBSIZE2 (rows, ny). */
  readonly xsize: number;
  readonly ysize: number;
  /** FASTR1 frame time, seconds. */
  readonly tframeFast: number;
}

export const MIRI_SUBARRAYS: Readonly<Record<string, MiriSubarray>> = Object.freeze({
  FULL: { name: 'FULL', xstart: 1, ystart: 1, xsize: 1032, ysize: 1024, tframeFast: 2.77504 },
  BRIGHTSKY: { name: 'BRIGHTSKY', xstart: 457, ystart: 51, xsize: 512, ysize: 512, tframeFast: 0.86528 },
  SUB256: { name: 'SUB256', xstart: 413, ystart: 51, xsize: 256, ysize: 256, tframeFast: 0.29952 },
  SUB128: { name: 'SUB128', xstart: 1, ystart: 889, xsize: 136, ysize: 128, tframeFast: 0.11904 },
  SUB64: { name: 'SUB64', xstart: 1, ystart: 779, xsize: 72, ysize: 64, tframeFast: 0.08512 },
  SLITLESSPRISM: { name: 'SLITLESSPRISM', xstart: 1, ystart: 529, xsize: 72, ysize: 416, tframeFast: 0.15904 },
  MASK1065: { name: 'MASK1065', xstart: 1, ystart: 19, xsize: 288, ysize: 224, tframeFast: 0.23968 },
  MASK1140: { name: 'MASK1140', xstart: 1, ystart: 245, xsize: 288, ysize: 224, tframeFast: 0.23968 },
  MASK1550: { name: 'MASK1550', xstart: 1, ystart: 467, xsize: 288, ysize: 224, tframeFast: 0.23968 },
  MASKLYOT: { name: 'MASKLYOT', xstart: 1, ystart: 717, xsize: 320, ysize: 304, tframeFast: 0.49408 },
});

export type ReadPattern = 'FASTR1' | 'SLOWR1';
const SLOW_OVER_FAST = 23.88992 / 2.77504;

export function miriSubarray(name: string): MiriSubarray {
  const s = MIRI_SUBARRAYS[name.toUpperCase()];
  if (!s) {
    throw new WebbError('bad-subarray', `unknown MIRI subarray '${name}' (known: ${Object.keys(MIRI_SUBARRAYS).join(', ')})`, { parameter: 'subarray' });
  }
  return s;
}

/** Frame time in seconds for a subarray and readout pattern. */
export function frameTime(sub: MiriSubarray, readpatt: ReadPattern): number {
  return readpatt === 'SLOWR1' ? sub.tframeFast * SLOW_OVER_FAST : sub.tframeFast;
}

/**
 * Full-frame columns 1-4 and 1029-1032 are the MIRI reference pixels; returns
 * whether 0-based subarray column x is one of them.
 */
export function isReferenceColumn(sub: MiriSubarray, x: number): boolean {
  const full = sub.xstart + x; // 1-based full-frame column
  return full <= 4 || full >= 1029;
}
