/**
 * lastframe kernel (jwst docs, "Last Frame Correction", MIRI): when
 * ngroups > 2 the final group of every integration gets DO_NOT_USE.
 */
import { DQ } from '../../datamodels/dq.ts';

/** Flag in place; gdq is (nints, ngroups, npix). */
export function flagLastFrame(gdq: Uint8Array, nints: number, ngroups: number, npix: number): void {
  for (let i = 0; i < nints; i++) {
    const o = (i * ngroups + ngroups - 1) * npix;
    for (let p = 0; p < npix; p++) gdq[o + p] |= DQ.DO_NOT_USE;
  }
}
