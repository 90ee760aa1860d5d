/**
 * firstframe kernel (jwst docs, "First Frame Correction", MIRI): when
 * ngroups > 3 the first group of every integration gets DO_NOT_USE; with
 * bright_use_group1, pixels whose third group is SATURATED keep their first
 * group (and get FLUX_ESTIMATED in PIXELDQ).
 */
import { DQ } from '../../datamodels/dq.ts';

/**
 * Flag in place. gdq: (nints, ngroups, ny, nx); pdq: (ny, nx).
 * @returns number of kept (bright) pixels not flagged DO_NOT_USE in PIXELDQ
 */
export function flagFirstFrame(gdq: Uint8Array, pdq: Uint32Array, nints: number, ngroups: number, npix: number, brightUseGroup1: boolean): number {
  const kept = new Uint8Array(npix);
  for (let i = 0; i < nints; i++) {
    const o0 = i * ngroups * npix;
    for (let p = 0; p < npix; p++) {
      if (brightUseGroup1 && ngroups > 2 && gdq[o0 + 2 * npix + p] & DQ.SATURATED) { kept[p] = 1; continue; }
      gdq[o0 + p] |= DQ.DO_NOT_USE;
    }
  }
  let good = 0;
  for (let p = 0; p < npix; p++) {
    if (!kept[p]) continue;
    pdq[p] = (pdq[p] | DQ.FLUX_ESTIMATED) >>> 0;
    if (!(pdq[p] & DQ.DO_NOT_USE)) good++;
  }
  return good;
}
