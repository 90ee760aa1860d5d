/**
 * group_scale kernel (jwst docs, "Group Scale Correction"): when on-board
 * frame averaging divided each group sum by FRMDIVSR instead of NFRAMES, the
 * data are rescaled by FRMDIVSR / NFRAMES.
 */

/** The factor to apply, or undefined when no correction is needed (equal or missing values). */
export function groupScaleFactor(nframes: number | undefined, frameDivisor: number | undefined): number | undefined {
  if (nframes === undefined || frameDivisor === undefined || nframes <= 0) return undefined;
  if (nframes === frameDivisor) return undefined;
  return frameDivisor / nframes;
}

/** out[i] = src[i] * factor (float32 arrays; out may be src). */
export function scaleArray(src: Float32Array, factor: number, out: Float32Array = new Float32Array(src.length)): Float32Array {
  for (let i = 0; i < src.length; i++) out[i] = src[i] * factor;
  return out;
}
