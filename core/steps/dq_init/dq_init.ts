/**
 * dq_init kernel (jwst docs, "DQ Initialization"): PIXELDQ = PIXELDQ OR the
 * MASK reference DQ (already translated to standard flags through DQ_DEF).
 */
import { DQ } from '../../datamodels/dq.ts';

/** New pixel DQ: input OR mask, element-wise (lengths must match). */
export function orPixelDq(pixeldq: Uint32Array, mask: Uint32Array): Uint32Array {
  const out = new Uint32Array(pixeldq.length);
  for (let i = 0; i < out.length; i++) out[i] = (pixeldq[i] | mask[i]) >>> 0;
  return out;
}

/**
 * Mask DO_NOT_USE is also set in every group of GROUPDQ (jwst dq_init:
 * "propagate mask DO_NOT_USE flags to groupdq to ensure no ramps are fit to
 * bad pixels"). gdq: (nplanes, npix); returns a new array.
 */
export function propagateDoNotUse(gdq: Uint8Array, mask: Uint32Array): Uint8Array {
  const out = new Uint8Array(gdq);
  const npix = mask.length;
  for (let p = 0; p < npix; p++) {
    if (!(mask[p] & DQ.DO_NOT_USE)) continue;
    for (let k = p; k < out.length; k += npix) out[k] |= DQ.DO_NOT_USE;
  }
  return out;
}
