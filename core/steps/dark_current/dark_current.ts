/**
 * dark_current kernel (stcal docs, "Dark Current Subtraction"). The DARK
 * reference holds single frames (nframes=1, groupgap=0) or frames grouped
 * like some science readout. When the science NFRAMES/GROUPGAP equal the
 * dark's, the dark groups are subtracted directly; otherwise each science
 * group g is matched by averaging dark frames [g*(nframes+groupgap),
 * g*(nframes+groupgap)+nframes) (the dark must then be single-frame data,
 * i.e. its nframes/groupgap not larger than the science ones).
 * MIRI darks are 4-D (nints_dark, ngroups, ny, nx): science integration i
 * uses dark integration min(i, nints_dark-1). NaN dark values count as 0.
 */

export interface DarkLayout {
  /** Dark integrations (1 for 3-D darks). */
  readonly nints: number;
  readonly ngroups: number;
  readonly nframes: number;
  readonly groupgap: number;
}

/** Why the dark cannot be used for this science readout, or undefined when it can. */
export function darkMismatch(sciNgroups: number, sciNframes: number, sciGap: number, d: DarkLayout): string | undefined {
  const sciTotal = sciNgroups * sciNframes + (sciNgroups - 1) * sciGap;
  const drkTotal = d.ngroups * d.nframes + (d.ngroups - 1) * d.groupgap;
  if (sciTotal > drkTotal) return `Not enough data in dark reference file to match to science data (science needs ${sciTotal} frames, dark has ${drkTotal})`;
  if (d.nframes > sciNframes || d.groupgap > sciGap) return 'The value of nframes or groupgap in the dark data is greater than that of the science data';
  return undefined;
}

/**
 * The dark frames to subtract for one dark integration: (sciNgroups, npix),
 * copied directly when the readouts match, else averaged from single frames.
 * @param dark all dark data (nints, ngroups, npix)
 */
export function darkForScience(dark: Float32Array, d: DarkLayout, dInt: number, npix: number,
  sciNgroups: number, sciNframes: number, sciGap: number): Float32Array {
  const out = new Float32Array(sciNgroups * npix);
  const base = dInt * d.ngroups * npix;
  const direct = sciNframes === d.nframes && sciGap === d.groupgap;
  for (let g = 0; g < sciNgroups; g++) {
    if (direct || sciNframes === 1) {
      const f = direct ? g : g * (sciNframes + sciGap);
      for (let p = 0; p < npix; p++) {
        const v = dark[base + f * npix + p];
        out[g * npix + p] = Number.isNaN(v) ? 0 : v;
      }
      continue;
    }
    const start = g * (sciNframes + sciGap);
    for (let p = 0; p < npix; p++) {
      let s = 0;
      for (let f = start; f < start + sciNframes; f++) {
        const v = dark[base + f * npix + p];
        s += Number.isNaN(v) ? 0 : v;
      }
      out[g * npix + p] = s / sciNframes;
    }
  }
  return out;
}

/** data (ngroups, npix) -= dark (ngroups, npix), in place. */
export function subtractInt(data: Float32Array, dark: Float32Array): void {
  for (let i = 0; i < data.length; i++) data[i] -= dark[i];
}
