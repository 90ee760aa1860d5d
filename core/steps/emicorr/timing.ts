/**
 * MIRI readout timing for the EMI correction: the clock phase of every
 * sample at an EMI frequency.
 *
 * Timing model (jwst docs, "emicorr" description step 4, and the EmiModel
 * reference's rowclocks/frameclocks): the pixel clock ticks every 10 us; the
 * four output channels (columns 4k..4k+3) are read at the same time, so a
 * row takes `nx/4` pixel times of `nsamples` ticks each (1 FAST, 9 SLOW) and
 * the next row starts `rowclocks` ticks after the previous one. A frame
 * (= group, MIRI has nframes=1) lasts `ny*rowclocks + (1024-ny)*7` ticks
 * (the skipped non-ROI rows cost 4+3 ticks each; 0 for full frame). R1
 * patterns (FASTR1/SLOWR1) add one reset frame of `frameclocks` ticks between
 * integrations.
 */

/** Pixel clock period in seconds. */
export const PIXEL_CLOCK_S = 10e-6;

/**
 * Row/frame clock counts per subarray, used when the correction is made
 * on-the-fly (no EMICORR reference). Full frame is split by readout speed.
 * Values as documented for jwst's EMI correction (on-the-fly subarray cases).
 */
export const SUBARRAY_CLOCKS: Readonly<Record<string, { rowclocks: number; frameclocks: number }>> = {
  SLITLESSPRISM: { rowclocks: 28, frameclocks: 15904 },
  MASKLYOT: { rowclocks: 90, frameclocks: 32400 },
  SUB64: { rowclocks: 28, frameclocks: 8512 },
  SUB128: { rowclocks: 44, frameclocks: 11904 },
  MASK1140: { rowclocks: 82, frameclocks: 23968 },
  MASK1550: { rowclocks: 82, frameclocks: 23968 },
  MASK1065: { rowclocks: 82, frameclocks: 23968 },
  FULL_FAST: { rowclocks: 271, frameclocks: 277504 },
  FULL_SLOW: { rowclocks: 2333, frameclocks: 2388992 },
  BRIGHTSKY: { rowclocks: 162, frameclocks: 86528 },
  SUB256: { rowclocks: 96, frameclocks: 29952 },
};

/** Readout description of one exposure (all times in 10 us pixel-clock ticks). */
export interface Readout {
  readonly nints: number;
  readonly ngroups: number;
  readonly ny: number;
  /** Number of columns (multiple of 4: four outputs). */
  readonly nx: number;
  /** Clock ticks per pixel sample: 1 for FAST, 9 for SLOW. */
  readonly nsamples: number;
  /** Ticks from the start of one row to the start of the next. */
  readonly rowclocks: number;
  /** Ticks of the extra reset frame between integrations (0 unless FASTR1/SLOWR1). */
  readonly resetclocks: number;
  /** Extra ticks for the last column group of every row (right reference pixel of full-frame rows), usually 0. */
  readonly lastColumnDelay?: number;
}

/** Ticks per frame (group): rows of the subarray plus the skipped rows (7 ticks each). */
export function frameTicks(r: Readout): number {
  return r.ny * r.rowclocks + (1024 - r.ny) * 7;
}

/** Ticks per integration: its frames plus the reset frame of R1 patterns. */
export function integrationTicks(r: Readout): number {
  return r.ngroups * frameTicks(r) + r.resetclocks;
}

const frac = (x: number): number => x - Math.floor(x);

/**
 * Phase (0..1) at `periodTicks` of the first group of the first integration
 * for every (row, column group), shape (ny, nx/4), C order. Time 0 is the
 * first pixel of the image.
 */
export function basePhase(r: Readout, periodTicks: number): Float64Array {
  const nx4 = r.nx >> 2;
  const out = new Float64Array(r.ny * nx4);
  const extra = r.lastColumnDelay ?? 0;
  for (let j = 0; j < r.ny; j++) {
    for (let k = 0; k < nx4; k++) {
      const t = j * r.rowclocks + k * r.nsamples + (k === nx4 - 1 ? extra : 0);
      out[j * nx4 + k] = frac(t / periodTicks);
    }
  }
  return out;
}

/** Phase step between consecutive groups and between consecutive integrations (each 0..1). */
export function phaseSteps(r: Readout, periodTicks: number): { group: number; int: number } {
  return { group: frac(frameTicks(r) / periodTicks), int: frac(integrationTicks(r) / periodTicks) };
}

/** The phase (0..1) of sample (int i, group g) for a pixel whose base phase is `p0`. */
export function samplePhase(p0: number, i: number, g: number, steps: { group: number; int: number }): number {
  return frac(p0 + g * steps.group + i * steps.int);
}

/** EMI period in pixel-clock ticks for a frequency in Hz. */
export function periodTicks(freqHz: number): number {
  return 1 / freqHz / PIXEL_CLOCK_S;
}
