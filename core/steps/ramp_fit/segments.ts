/**
 * Per-pixel helpers of the OLS ramp fit (stcal docs, "Ramp Fitting"):
 * segment finding and the median rate used for the Poisson variance.
 */
import { medianInPlace } from '../jump/median.ts';
import type { RampParams } from './ols.ts';

const DNU = 1;
const JUMP = 4;

/** Working state of one pixel's ramps (all integrations). */
export interface PixelRamp {
  nints: number;
  ngroups: number;
  /** [nints*ngroups] DN (float32 as SCI); NaN where SATURATED. */
  data: Float32Array;
  gdq: Uint8Array;
  gain: number;
  /** Per-read noise in electrons. */
  rn: number;
  pixeldq: number;
  medianRate: number;
  is0th: Uint8Array;
  /** 1 where the integration has a SATURATED group. */
  intSat: Uint8Array;
  segStart: Int32Array;
  segLen: Int32Array;
  nseg: number;
  intSlope: Float64Array;
  intDq: Uint32Array;
  intVarP: Float64Array;
  intVarR: Float64Array;
  intErr: Float64Array;
  rateSlope: number;
  rateDq: number;
  rateVarP: number;
  rateVarR: number;
  rateErr: number;
  invvarESum: number;
}

/**
 * Segments of integration i: runs of groups with GROUPDQ 0; a group flagged
 * exactly JUMP_DET just before a run starts it. One-group segments are dropped
 * when a longer one exists; if all have one group only the first is kept.
 */
export function fillSegments(pr: PixelRamp, i: number): void {
  const o = i * pr.ngroups;
  let n = 0;
  let maxLen = 0;
  let start = -1;
  for (let g = 0; g <= pr.ngroups; g++) {
    const good = g < pr.ngroups && pr.gdq[o + g] === 0;
    if (good) {
      if (start < 0) start = g > 0 && pr.gdq[o + g - 1] === JUMP ? g - 1 : g;
      continue;
    }
    if (start < 0) continue;
    const len = g - start;
    if (!(len === 1 && maxLen > 1)) {
      pr.segStart[n] = start;
      pr.segLen[n] = len;
      n++;
      if (len > maxLen) maxLen = len;
    }
    start = -1;
  }
  if (n >= 2) {
    if (maxLen < 2) n = 1;
    else {
      let m = 0;
      for (let s = 0; s < n; s++) {
        if (pr.segLen[s] === 1) continue;
        pr.segStart[m] = pr.segStart[s];
        pr.segLen[m] = pr.segLen[s];
        m++;
      }
      n = m;
    }
  }
  pr.nseg = n;
}

const scratch = { buf: new Float64Array(0) };

/** Median first difference per integration (DN/s), averaged over integrations; NaN counts as 0. */
export function medianRate(pr: PixelRamp, p: RampParams): number {
  const { nints, ngroups } = pr;
  const oneGroupTime = ((p.nframes + 1) * Math.fround(p.frameTime)) / 2;
  if (ngroups === 1) {
    let acc = 0;
    for (let i = 0; i < nints; i++) acc += pr.data[i] / oneGroupTime;
    return acc / nints;
  }
  if (scratch.buf.length < ngroups) scratch.buf = new Float64Array(ngroups);
  const loc = scratch.buf;
  let acc = 0;
  for (let i = 0; i < nints; i++) {
    const o = i * ngroups;
    let m: number;
    if (pr.is0th[i]) m = pr.data[o] / oneGroupTime;
    else m = integrationMedian(pr, p, o, loc);
    acc += Number.isNaN(m) ? 0 : m;
  }
  return acc / nints;
}

function integrationMedian(pr: PixelRamp, p: RampParams, o: number, loc: Float64Array): number {
  const ngroups = pr.ngroups;
  const tg = p.groupTime;
  // Rates per group (NaN where DO_NOT_USE) and their first differences (NaN after a JUMP_DET group), in one pass.
  const loc0 = pr.gdq[o] & DNU ? NaN : pr.data[o] / tg;
  let prev = loc0;
  let n = 0;
  for (let k = 1; k < ngroups; k++) {
    const q = pr.gdq[o + k];
    const cur = q & DNU ? NaN : pr.data[o + k] / tg;
    if ((q & JUMP) === 0) {
      const d = cur - prev;
      if (d === d) loc[n++] = d;
    }
    prev = cur;
  }
  if (n === 0 && !Number.isNaN(loc0)) { loc[0] = loc0; n = 1; }
  return medianInPlace(loc, n);
}
