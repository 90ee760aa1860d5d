/**
 * rscd kernel (jwst docs, "RSCD Correction", MIRI): the first group_skip1
 * groups of integration 1 and the first group_skip groups of integrations
 * 2+ are flagged DO_NOT_USE (counts from the RSCD_GROUP_SKIP table row that
 * matches SUBARRAY and READPATT). Each count is first capped so that three
 * groups remain (ngroups - 3). For bright pixels that saturate early, the
 * count is lowered per pixel until the group right after the skipped ones
 * plus one (group skip+2, 1-based) is not saturated, keeping 2 usable groups;
 * such pixels get FLUX_ESTIMATED in PIXELDQ.
 */
import { DQ } from '../../datamodels/dq.ts';

export interface RscdSkip { readonly int1: number; readonly int2p: number }

/** Cap a skip count so that at least 3 groups remain. */
export function capSkip(skip: number, ngroups: number): number {
  return ngroups < skip + 3 ? Math.max(0, ngroups - 3) : skip;
}

/**
 * Per-pixel skip counts for one integration range (bright-pixel rule) and the
 * number of (integration, pixel) cases lowered. gdq: (nints, ngroups, npix).
 */
export function skipCounts(gdq: Uint8Array, ints: readonly number[], ngroups: number, npix: number, skip: number, brightUse2Groups: boolean):
{ counts: Uint8Array; lowered: number; fluxEstimated: Uint8Array } {
  const counts = new Uint8Array(ints.length * npix).fill(skip);
  const fluxEstimated = new Uint8Array(npix);
  let lowered = 0;
  if (!brightUse2Groups) return { counts, lowered, fluxEstimated };
  const satAt = (k: number, g: number, p: number) => g >= 0 && g < ngroups && (gdq[(ints[k] * ngroups + g) * npix + p] & DQ.SATURATED) !== 0;
  let minGroup = skip + 2; // 1-based
  for (let k = 0; k < ints.length; k++) for (let p = 0; p < npix; p++) if (satAt(k, minGroup - 1, p)) lowered++;
  let any = lowered > 0;
  while (any && minGroup > 0) {
    any = false;
    for (let k = 0; k < ints.length; k++) {
      for (let p = 0; p < npix; p++) {
        if (!satAt(k, minGroup - 1, p)) continue;
        const c = k * npix + p;
        counts[c] = Math.max(counts[c] - 1, 0);
        fluxEstimated[p] = 1;
      }
    }
    minGroup--;
    if (minGroup <= 0) break;
    for (let k = 0; k < ints.length && !any; k++) for (let p = 0; p < npix; p++) if (satAt(k, minGroup - 1, p)) { any = true; break; }
  }
  return { counts, lowered, fluxEstimated };
}

/** Set DO_NOT_USE on groups g < counts[k, p] of the listed integrations (in place). */
export function applySkip(gdq: Uint8Array, ints: readonly number[], ngroups: number, npix: number, counts: Uint8Array): void {
  for (let k = 0; k < ints.length; k++) {
    for (let p = 0; p < npix; p++) {
      const n = counts[k * npix + p];
      for (let g = 0; g < n && g < ngroups; g++) gdq[(ints[k] * ngroups + g) * npix + p] |= DQ.DO_NOT_USE;
    }
  }
}
