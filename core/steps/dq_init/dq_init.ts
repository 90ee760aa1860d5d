/**
 * dq_init kernel (jwst docs, "DQ Initialization"): PIXELDQ = PIXELDQ OR the
 * MASK reference DQ (already translated to standard flags through DQ_DEF).
 */

/** New pixel DQ: input OR mask, element-wise (lengths must match). */
export function orPixelDq(pixeldq: Uint32Array, mask: Uint32Array): Uint32Array {
  const out = new Uint32Array(pixeldq.length);
  for (let i = 0; i < out.length; i++) out[i] = (pixeldq[i] | mask[i]) >>> 0;
  return out;
}
