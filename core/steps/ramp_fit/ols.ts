/**
 * Ordinary least squares ramp fitting with optimal weighting (stcal docs,
 * "Ramp Fitting": Fixsen et al. 2000, Regan 2007), per pixel over a block of
 * rows. Arrays are C order: data/groupdq [nints, ngroups, ny, nx], pixel
 * arrays [ny, nx], rateints outputs [nints, ny, nx]. Rates in DN/s.
 *
 * Per integration the ramp is cut into segments of good groups (GROUPDQ 0);
 * a group flagged only JUMP_DET starts the next segment. Each segment gets an
 * optimally weighted slope and the variances
 *   var_r = 12 rn^2 / ((n^3 - n) tgroup^2)   (rn = per-read noise = R/sqrt(2 nframes), R the CDS READNOISE)
 *   var_p = (rate_med + dark) / (tgroup gain (n - 1))  (rate_med: median first difference over all
 *   integrations, negative -> 0; dark: the RampModel's average_dark_current, stcal 1.6.1 changelog
 *   "Add average_dark_current to calculations of poisson variance")
 * and segments combine by inverse variance into the integration (rateints),
 * integrations into the exposure (rate).
 */
import { fillSegments, medianRate, type PixelRamp } from './segments.ts';
import { NO_GAIN_VALUE, type RampCube } from './cube.ts';

export const DNU = 1;
export const SAT = 2;
export const JUMP = 4;
const LARGE_VARIANCE_THRESHOLD = 1e6;

export interface RampParams {
  groupTime: number;
  frameTime: number;
  nframes: number;
  suppressOneGroup: boolean;
}

/** The products of one plane: SCI, DQ, VAR_POISSON, VAR_RNOISE, ERR. */
export interface RateArrays {
  sci: Float32Array;
  dq: Uint32Array;
  varPoisson: Float32Array;
  varRnoise: Float32Array;
  err: Float32Array;
}

export interface RampArrays extends RampCube {
  /** average_dark_current [ny, nx] added to the median rate of the Poisson variance (absent: 0). */
  darkCurrent?: Float32Array;
  rate: RateArrays;
  rateints: RateArrays;
}

/**
 * Fit the ramps of rows [row0, row1). Each row is first copied pixel-major
 * (reads contiguous along x, plane by plane), then fitted pixel by pixel.
 */
export function fitRampsRows(a: RampArrays, p: RampParams, row0: number, row1: number): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const plane = ny * nx;
  const KK = nints * ngroups;
  const pr = newPixelRamp(nints, ngroups);
  // float32 like SCI (exact); each pixel works on its own slice in place (scratch, rewritten every row).
  const rowData = new Float32Array(nx * KK);
  const rowGdq = new Uint8Array(nx * KK);
  const src = a.data;
  const gdq = a.groupdq;
  const rnScale = Math.fround(1 / Math.sqrt(2 * p.nframes));
  for (let y = row0; y < row1; y++) {
    for (let k = 0; k < KK; k++) {
      const base = k * plane + y * nx;
      for (let x = 0, o = k; x < nx; x++, o += KK) {
        rowData[o] = src[base + x];
        rowGdq[o] = gdq[base + x];
      }
    }
    for (let x = 0; x < nx; x++) {
      const pix = y * nx + x;
      const off = x * KK;
      pr.data = rowData.subarray(off, off + KK);
      pr.gdq = rowGdq.subarray(off, off + KK);
      const gain = a.gain[pix];
      pr.gain = gain;
      pr.rn = Math.fround(a.readnoise[pix] * Math.fround(gain * rnScale));
      pr.pixeldq = a.pixeldq[pix];
      pr.dark = a.darkCurrent ? a.darkCurrent[pix] : 0;
      fitPixel(pr, p);
      storePixel(a, pr, pix, plane);
    }
  }
}

function newPixelRamp(nints: number, ngroups: number): Pix {
  return {
    dark: 0, intDnuSat: new Int32Array(nints), intSatN: new Int32Array(nints),
    nints, ngroups,
    data: new Float32Array(nints * ngroups), gdq: new Uint8Array(nints * ngroups),
    gain: 0, rn: 0, pixeldq: 0, medianRate: 0, is0th: new Uint8Array(nints), intSat: new Uint8Array(nints),
    segStart: new Int32Array(ngroups), segLen: new Int32Array(ngroups), nseg: 0,
    intSlope: new Float64Array(nints), intDq: new Uint32Array(nints), intVarP: new Float64Array(nints),
    intVarR: new Float64Array(nints), intErr: new Float64Array(nints),
    rateSlope: 0, rateDq: 0, rateVarP: 0, rateVarR: 0, rateErr: 0, invvarESum: 0,
  };
}

/** Prepare a pixel: suppress one-good-group ramps, NaN saturated groups, DQ start values. */
/** Working state of a pixel: segments.ts's PixelRamp plus per-integration group counts. */
type Pix = PixelRamp & { dark: number; intDnuSat: Int32Array; intSatN: Int32Array };

/**
 * Prepare a pixel in one pass over each integration's groups: suppress
 * one-good-group ramps, NaN saturated groups, DQ start values, and the counts
 * of DO_NOT_USE/SATURATED groups.
 */
function preparePixel(pr: Pix, p: RampParams): void {
  const { nints, ngroups } = pr;
  let pdq = pr.pixeldq;
  if (!(pr.gain > 0)) pdq |= DNU | NO_GAIN_VALUE;
  pr.rateDq = pdq;
  for (let i = 0; i < nints; i++) {
    const o = i * ngroups;
    let jump = false;
    let good = 0;
    let at = -1;
    let dnuSat = 0;
    let sat = 0;
    for (let g = 0; g < ngroups; g++) {
      const q = pr.gdq[o + g];
      if (q === 0) { good++; at = g; continue; }
      if (q & JUMP) jump = true;
      if (q & (DNU | SAT)) dnuSat++;
      if (q & SAT) { sat++; pr.data[o + g] = NaN; }
    }
    if (p.suppressOneGroup && good === 1) {
      pr.gdq[o + at] = DNU;
      good = 0;
      dnuSat++;
    }
    pr.is0th[i] = !p.suppressOneGroup && good === 1 && pr.gdq[o] === 0 ? 1 : 0;
    pr.intDq[i] = pdq | (jump ? JUMP : 0);
    if (jump) pr.rateDq |= JUMP;
    pr.intSat[i] = sat > 0 ? 1 : 0;
    pr.intDnuSat[i] = dnuSat;
    pr.intSatN[i] = sat;
    pr.intSlope[i] = 0; pr.intVarP[i] = 0; pr.intVarR[i] = 0; pr.intErr[i] = 0;
  }
  pr.rateSlope = 0; pr.rateVarP = 0; pr.rateVarR = 0; pr.rateErr = 0; pr.invvarESum = 0;
}

function fitPixel(pr: Pix, p: RampParams): void {
  preparePixel(pr, p);
  const med = medianRate(pr, p);
  pr.medianRate = (med > 0 ? med : 0) + pr.dark;
  const { nints, ngroups } = pr;
  let dnuCnt = 0;
  let satCnt = 0;
  for (let i = 0; i < nints; i++) {
    const o = i * ngroups;
    const dnuSat = pr.intDnuSat[i];
    const sat = pr.intSatN[i];
    if (pr.gdq[o] & SAT) {
      pr.intDq[i] |= DNU | SAT;
      pr.nseg = 0;
    } else {
      fillSegments(pr, i);
    }
    if (dnuSat === ngroups) {
      pr.intDq[i] |= DNU;
      if (sat === ngroups) pr.intDq[i] |= SAT;
    } else if (pr.nseg > 0) {
      fitIntegration(pr, p, i);
    }
    if (pr.intDq[i] & DNU) { dnuCnt++; pr.intSlope[i] = NaN; }
    if (pr.intDq[i] & SAT) { satCnt++; pr.intSlope[i] = NaN; }
  }
  finishRate(pr, dnuCnt, satCnt);
  // Any saturated group flags the integration, any such integration the rate (stcal docs, "Data Quality Propagation").
  for (let i = 0; i < nints; i++) {
    if (pr.intSat[i]) { pr.intDq[i] |= SAT; pr.rateDq |= SAT; }
  }
}

function finishRate(pr: PixelRamp, dnuCnt: number, satCnt: number): void {
  if (dnuCnt === pr.nints) pr.rateDq |= DNU;
  if (satCnt === pr.nints) pr.rateDq |= SAT;
  let vp = pr.rateVarP > 0 ? 1 / pr.rateVarP : pr.rateVarP;
  if (vp >= LARGE_VARIANCE_THRESHOLD || vp < 0) vp = 0;
  let vr = pr.rateVarR > 0 ? 1 / pr.rateVarR : pr.rateVarR;
  if (vr >= LARGE_VARIANCE_THRESHOLD) vr = 0;
  pr.rateVarP = vp;
  pr.rateVarR = vr;
  pr.rateErr = Math.sqrt(vp + vr);
  if (pr.rateDq & (DNU | SAT)) {
    pr.rateSlope = NaN; pr.rateVarP = 0; pr.rateVarR = 0; pr.rateErr = 0;
  }
  if (!Number.isNaN(pr.rateSlope)) pr.rateSlope /= pr.invvarESum;
}

/** Fit every segment of integration i and combine them by inverse variance. */
function fitIntegration(pr: PixelRamp, p: RampParams, i: number): void {
  let invR = 0, invP = 0, invE = 0, num = 0;
  for (let s = 0; s < pr.nseg; s++) {
    const seg = fitSegment(pr, p, i, pr.segStart[s], pr.segLen[s]);
    invR += 1 / seg.varR;
    if (seg.varP > 0) invP += 1 / seg.varP;
    invE += 1 / (seg.varP + seg.varR);
    // Segments and integrations are averaged with read-noise weights (matches jwst 3.0 / stcal 1.19 outputs).
    num += seg.slope / seg.varR;
  }
  if (invP > 0) pr.intVarP[i] = 1 / invP;
  if (pr.intVarP[i] >= LARGE_VARIANCE_THRESHOLD) pr.intVarP[i] = 0;
  pr.intVarR[i] = 1 / invR;
  if (pr.intVarR[i] >= LARGE_VARIANCE_THRESHOLD) pr.intVarR[i] = 0;
  if (pr.intDq[i] & (DNU | SAT)) {
    pr.intSlope[i] = NaN; pr.intVarP[i] = 0; pr.intVarR[i] = 0; pr.intErr[i] = 0;
  } else {
    const varErr = 1 / invE;
    pr.intSlope[i] = num / invR;
    pr.intErr[i] = varErr > LARGE_VARIANCE_THRESHOLD ? 0 : Math.sqrt(varErr);
  }
  if (invP > 0) pr.rateVarP += invP;
  pr.rateVarR += invR;
  pr.invvarESum += invR;
  pr.rateSlope += invR > 0 ? (num / invR) * invR : 0;
}

/** Fixsen et al. 2000 exponent of the weights for a segment's signal-to-noise ratio. */
export function snrPower(snr: number): number {
  if (snr < 5) return 0;
  if (snr < 10) return 0.4;
  if (snr < 20) return 1;
  if (snr < 50) return 3;
  if (snr < 100) return 6;
  return 10;
}

const segOut = { slope: 0, varP: 0, varR: 0 };

/** Slope and variances of one segment [start, start+len) of integration i. */
function fitSegment(pr: PixelRamp, p: RampParams, i: number, start: number, len: number): typeof segOut {
  const o = i * pr.ngroups + start;
  const { gain, rn } = pr;
  const rate = pr.medianRate > 0 ? pr.medianRate : 0;
  const tg = p.groupTime;
  if (len === 1) {
    const timing = pr.is0th[i] ? ((p.nframes + 1) * Math.fround(p.frameTime)) / 2 : tg;
    segOut.slope = pr.data[o] / timing;
    segOut.varP = rate / (timing * gain);
    const r = rn / timing;
    segOut.varR = (12 * r * r) / (6 * gain * gain);
    return segOut;
  }
  if (len === 2) {
    segOut.slope = (pr.data[o + 1] - pr.data[o]) / tg;
    segOut.varP = rate / (tg * gain);
    const r = rn / tg;
    segOut.varR = (12 * r * r) / (6 * gain * gain);
    return segOut;
  }
  segOut.slope = weightedSlope(pr, o, len, segmentPower(pr, o, len)) / tg;
  segOut.varP = rate / (tg * gain * (len - 1));
  if (!(gain > 0)) segOut.varR = 0;
  else {
    const r = rn / tg;
    segOut.varR = (12 * r * r) / ((len * len * len - len) * gain * gain);
  }
  return segOut;
}

function segmentPower(pr: PixelRamp, o: number, len: number): number {
  const data = pr.data[o + len - 1] - pr.data[o];
  const den = pr.rn * pr.rn + data * pr.gain;
  if (den <= 0 || pr.gain === 0) return snrPower(0);
  const s = (data * pr.gain) / Math.sqrt(den);
  return snrPower(s < 0 ? 0 : s);
}

const weightCache = new Map<number, Float64Array>();

/** Weights |(k - mid)/mid|^P for a segment of `len` groups (float32 pow, as stcal's C), cached by (len, P). */
function segmentWeights(len: number, power: number): Float64Array {
  const key = len * 64 + power * 4;
  let w = weightCache.get(key);
  if (!w) {
    w = new Float64Array(len);
    const mid = (len - 1) / 2;
    const invmid = 1 / mid;
    for (let k = 0; k < len; k++) w[k] = Math.fround(Math.pow(Math.fround(Math.abs((k - mid) * invmid)), power));
    weightCache.set(key, w);
  }
  return w;
}

/** Optimally weighted least-squares slope in DN/group (the 1/rn^2 weight factor is the same for every group). */
function weightedSlope(pr: PixelRamp, o: number, len: number, power: number): number {
  const wts = segmentWeights(len, power);
  const invrn2 = 1 / (pr.rn * pr.rn);
  const start = o % pr.ngroups;
  let sw = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
  for (let k = 0; k < len; k++) {
    const w = wts[k] * invrn2;
    const xv = k + start;
    let d = pr.data[o + k];
    if (d !== d) d = 0;
    const xw = xv * w;
    sw += w; sx += xw; sxx += xv * xw; sy += d * w; sxy += d * xw;
  }
  return (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
}

function storePixel(a: RampArrays, pr: PixelRamp, pix: number, plane: number): void {
  a.rate.sci[pix] = pr.rateSlope;
  a.rate.dq[pix] = pr.rateDq;
  a.rate.varPoisson[pix] = pr.rateVarP;
  a.rate.varRnoise[pix] = pr.rateVarR;
  a.rate.err[pix] = pr.rateErr;
  for (let i = 0; i < pr.nints; i++) {
    const q = i * plane + pix;
    a.rateints.sci[q] = pr.intSlope[i];
    a.rateints.dq[q] = pr.intDq[i];
    a.rateints.varPoisson[q] = pr.intVarP[i];
    a.rateints.varRnoise[q] = pr.intVarR[i];
    a.rateints.err[q] = pr.intErr[i];
  }
}
