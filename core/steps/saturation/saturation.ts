/**
 * saturation kernel (jwst/stcal docs, "Saturation Detection"): a group at or
 * above the pixel's saturation level is flagged SATURATED together with all
 * later groups of the integration; a group at or below 0 DN gets AD_FLOOR |
 * DO_NOT_USE (that group only); SATURATED flags are grown to the
 * (2n+1)x(2n+1) box around each saturated pixel, group by group.
 * Pixels flagged NO_SAT_CHECK, or with a NaN level, are never flagged
 * saturated (their level is set above the A/D limit) and NaN levels gain
 * NO_SAT_CHECK in PIXELDQ.
 */
import { DQ } from '../../datamodels/dq.ts';

/** Hard limit of the 16-bit A/D converter (DN). */
export const ATOD_LIMIT = 65535;

/**
 * Effective thresholds and the saturation DQ to OR into PIXELDQ.
 * @param level saturation level per pixel (DN), ny*nx
 * @param satDq reference DQ translated to standard flags, ny*nx
 */
export function prepareThresholds(level: Float32Array, satDq: Uint32Array): { thresh: Float32Array; dq: Uint32Array } {
  const thresh = new Float32Array(level.length);
  const dq = new Uint32Array(satDq);
  for (let i = 0; i < level.length; i++) {
    const nan = Number.isNaN(level[i]);
    if (nan) dq[i] = (dq[i] | DQ.NO_SAT_CHECK) >>> 0;
    thresh[i] = nan || (satDq[i] & DQ.NO_SAT_CHECK) ? ATOD_LIMIT + 1 : level[i];
  }
  return { thresh, dq };
}

/**
 * Flag one integration in place.
 * @param data SCI of one integration (ngroups, ny, nx)
 * @param gdq GROUPDQ of that integration, modified in place
 * @param nGrow n_pix_grow_sat
 */
export function flagSaturationInt(data: Float32Array, gdq: Uint8Array, thresh: Float32Array, ngroups: number, ny: number, nx: number, nGrow: number): void {
  const npix = ny * nx;
  const satNow = new Uint8Array(npix), sat = new Uint8Array(npix);
  const rows = nGrow > 0 ? new Uint8Array(npix) : sat, grown = nGrow > 0 ? new Uint8Array(npix) : sat;
  const low = DQ.AD_FLOOR | DQ.DO_NOT_USE;
  for (let g = 0; g < ngroups; g++) {
    const o = g * npix;
    let any = 0;
    for (let p = 0; p < npix; p++) {
      const v = data[o + p];
      if (v >= thresh[p]) satNow[p] = 1;
      if (v <= 0) gdq[o + p] |= low;
      // Existing SATURATED flags in this group (e.g. from the input) also count.
      const s = satNow[p] | (gdq[o + p] & DQ.SATURATED ? 1 : 0);
      sat[p] = s;
      any |= s;
    }
    if (!any) continue;
    if (nGrow > 0) dilateInto(sat, ny, nx, nGrow, rows, grown);
    for (let p = 0; p < npix; p++) if (grown[p]) gdq[o + p] |= DQ.SATURATED;
  }
}

/** Binary dilation with a (2n+1)x(2n+1) box; edges are not wrapped. */
export function dilate(mask: Uint8Array, ny: number, nx: number, n: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  dilateInto(mask, ny, nx, n, new Uint8Array(mask.length), out);
  return out;
}

/** dilate into `out`, with `rows` as scratch (both overwritten, same length as `mask`). */
function dilateInto(mask: Uint8Array, ny: number, nx: number, n: number, rows: Uint8Array, out: Uint8Array): void {
  rows.fill(0);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      if (!mask[y * nx + x]) continue;
      const x0 = Math.max(0, x - n), x1 = Math.min(nx - 1, x + n);
      for (let xx = x0; xx <= x1; xx++) rows[y * nx + xx] = 1;
    }
  }
  out.fill(0);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      if (!rows[y * nx + x]) continue;
      const y0 = Math.max(0, y - n), y1 = Math.min(ny - 1, y + n);
      for (let yy = y0; yy <= y1; yy++) out[yy * nx + x] = 1;
    }
  }
}
