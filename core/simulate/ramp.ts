/**
 * Ramps of one integration: Poisson-distributed charge in electrons from
 * per-pixel slopes, dark, cosmic-ray jumps, non-linearity, reset anomaly,
 * IPC, per-read noise (CDS / sqrt 2), saturation and 16-bit digitisation.
 *
 * The forward model of group g (0-based) of integration i, pixel p:
 *   T   = pedestal + dark(i, g) + Q(g) / gain + jumps up to g          (linear DN)
 *   R   = nonlinearRaw(T)                     (R + b2 R^2 = T, so LINEARITY inverts it)
 *   raw = IPC * (R + reset(i, g)) + N(0, readnoise / sqrt 2)
 * where Q(g) is the Poisson charge collected during g + 1 group times.
 * calwebb_detector1 undoes it in its MIRI order: ipc, reset, linearity, dark.
 */
import { nonlinearRaw, resetAnomaly, type DetectorModel } from './detector.ts';

export interface Jump {
  /** 0-based integration, group (the first group that contains the jump), row and column. */
  readonly integration: number;
  readonly group: number;
  readonly y: number;
  readonly x: number;
  /** Amplitude in linear DN. */
  readonly amplitude_dn: number;
}

export interface RampRandom {
  uniform(): number;
  normal(): number;
}

/** Poisson deviate: Knuth's product method below 30, a rounded normal above. */
export function poisson(lambda: number, rnd: RampRandom): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const l = Math.exp(-lambda);
    let k = 0, prod = rnd.uniform();
    while (prod > l) {
      k++;
      prod *= rnd.uniform();
    }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rnd.normal()));
}

/** 3x3 convolution with edge clamping, in place through a scratch buffer. */
export function convolve3x3(plane: Float64Array, ny: number, nx: number, k: Float32Array, scratch: Float64Array): void {
  scratch.set(plane);
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8] = k as unknown as number[];
  for (let y = 0; y < ny; y++) {
    const ym = Math.max(0, y - 1) * nx, y0 = y * nx, yp = Math.min(ny - 1, y + 1) * nx;
    for (let x = 0; x < nx; x++) {
      const xm = Math.max(0, x - 1), xp = Math.min(nx - 1, x + 1);
      plane[y0 + x] = k0! * scratch[ym + xm]! + k1! * scratch[ym + x]! + k2! * scratch[ym + xp]!
        + k3! * scratch[y0 + xm]! + k4! * scratch[y0 + x]! + k5! * scratch[y0 + xp]!
        + k6! * scratch[yp + xm]! + k7! * scratch[yp + x]! + k8! * scratch[yp + xp]!;
    }
  }
}

export interface RampInput {
  readonly det: DetectorModel;
  readonly ngroups: number;
  readonly tgroup: number;
  /** Integration index (0-based): selects the dark and reset planes. */
  readonly integration: number;
  /** Linear-DN slope per pixel (DN/s), (ny, nx). */
  readonly slope: Float32Array;
  /** Jumps of this integration. */
  readonly jumps: readonly Jump[];
  readonly rnd: RampRandom;
}

const IDENTITY = (k: Float32Array) => k[4] === 1;

/** One integration's ramps as uint16 (ngroups, ny, nx). */
export function simulateIntegration(inp: RampInput): Uint16Array {
  const { det, ngroups, tgroup, slope, rnd } = inp;
  const n = det.ny * det.nx;
  const raw = new Float64Array(ngroups * n);
  const jumpAt = new Map<number, number>();
  const jumpPix = new Set<number>();
  for (const j of inp.jumps) {
    const k = j.group * n + j.y * det.nx + j.x;
    jumpAt.set(k, (jumpAt.get(k) ?? 0) + j.amplitude_dn);
    jumpPix.add(j.y * det.nx + j.x);
  }
  const ci = inp.integration === 0 ? 0 : 1;
  const darkScale = (ci === 0 ? det.firstIntDarkScale : 1) * tgroup;
  const resetShape = Float64Array.from({ length: ngroups }, (_, g) => resetAnomaly(det, ci, g, -1));
  const resetAmp = det.resetAmp[ci];
  for (let p = 0; p < n; p++) {
    const gain = det.gain[p]!, b2 = det.linB2[p]!, ped = det.pedestal[p]!, dark = det.darkRate[p]! * darkScale, ra = resetAmp[p]!;
    const lambda = Math.max(0, slope[p]!) * gain * tgroup;
    const expNeg = lambda < 30 ? Math.exp(-lambda) : 0;
    const hasJump = jumpPix.has(p);
    let q = 0, jumpDn = 0;
    for (let g = 0; g < ngroups; g++) {
      q += lambda < 30 ? knuth(expNeg, rnd) : Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rnd.normal()));
      if (hasJump) jumpDn += jumpAt.get(g * n + p) ?? 0;
      const T = ped + dark * (g + 1) + q / gain + jumpDn;
      raw[g * n + p] = nonlinearRaw(T, b2) + ra * resetShape[g]!;
    }
  }
  const out = new Uint16Array(ngroups * n);
  const scratch = new Float64Array(n);
  for (let g = 0; g < ngroups; g++) {
    const plane = raw.subarray(g * n, (g + 1) * n);
    if (!IDENTITY(det.ipc)) convolve3x3(plane, det.ny, det.nx, det.ipc, scratch);
    for (let p = 0; p < n; p++) {
      let v = plane[p]! + (det.readnoise[p]! / Math.SQRT2) * rnd.normal();
      const sat = det.saturation[p]!;
      if (plane[p]! >= sat) v = sat + 20 + 2 * rnd.normal(); // a saturated pixel reads just above its level
      out[g * n + p] = Math.min(65535, Math.max(0, Math.round(v)));
    }
  }
  return out;
}

/** Knuth's method with exp(-lambda) precomputed. */
function knuth(expNeg: number, rnd: RampRandom): number {
  if (expNeg >= 1) return 0;
  let k = 0, prod = rnd.uniform();
  while (prod > expNeg) {
    k++;
    prod *= rnd.uniform();
  }
  return k;
}

/**
 * Draw cosmic-ray jumps: a Poisson number with mean rate * pixels * nints *
 * integration time, uniform in pixel (reference columns excluded by the
 * caller's `usable`), integration and group 1..ngroups-1, log-uniform
 * amplitudes between 50 and 2000 DN.
 */
export function drawJumps(rate: number, nints: number, ngroups: number, tgroup: number, ny: number, nx: number,
  usable: (y: number, x: number) => boolean, rnd: RampRandom): Jump[] {
  const mean = rate * ny * nx * nints * ngroups * tgroup;
  const count = poisson(mean, rnd);
  const out: Jump[] = [];
  for (let k = 0; k < count && ngroups > 1; k++) {
    const y = Math.floor(rnd.uniform() * ny), x = Math.floor(rnd.uniform() * nx);
    if (!usable(y, x)) continue;
    out.push({
      integration: Math.floor(rnd.uniform() * nints),
      group: 1 + Math.floor(rnd.uniform() * (ngroups - 1)),
      y, x,
      amplitude_dn: Math.round(50 * Math.exp(rnd.uniform() * Math.log(40)) * 1000) / 1000,
    });
  }
  return out;
}
