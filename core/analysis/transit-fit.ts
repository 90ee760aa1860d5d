/**
 * Fit of a white-light transit curve with the limb-darkened transit model of
 * core/simulate/transit.ts (quadratic law, straight-line crossing):
 *
 *   model(t) = (c0 + c1 (t - tRef)) * F(t; rp_rs = sqrt(depth), tMid, t14, b, u1, u2)
 *
 * Free parameters: depth = (Rp/Rs)^2 (the uniform-disk depth, the `depth` of
 * the simulator's truth.json; NOT the limb-darkened central drop, which is
 * reported separately as `centralDepth`), tMid, the baseline c0 and a linear
 * slope c1 (flux per time unit). t14, b, u1, u2 are held fixed.
 *
 * Method: a coarse grid over tMid (each with a linear least-squares solve of
 * baseline, slope and an amplitude for the transit shape) gives the start;
 * Levenberg-Marquardt (Marquardt's diagonal scaling) refines all four
 * parameters, with analytic derivatives for c0, c1 and central finite
 * differences for depth and tMid. The 1-sigma errors are the square roots of
 * the diagonal of (J^T W J)^-1 at the solution; without per-point errors
 * (W = 1) the covariance is scaled by the reduced chi^2.
 *
 * A negative depth is allowed (the model is continued as 1 + (1 - F(sqrt|depth|)))
 * so that a shallow transit in noise gives an unbiased, Gaussian estimate.
 */
import { centralDepth, occultedFlux, separation, type TransitParams } from '../simulate/transit.ts';
import { invert, normalEquations, solve } from './linalg.ts';

export interface TransitFitOptions {
  /** First-to-fourth contact duration, same unit as the times (days for MJD). */
  readonly t14: number;
  /** Impact parameter (stellar radii), default 0. */
  readonly b?: number;
  readonly u1: number;
  readonly u2: number;
  /** Starting depth (default 0.01); the start tMid comes from a grid search unless given. */
  readonly depth0?: number;
  readonly tMid0?: number;
  readonly maxIterations?: number;
  /** Gauss-Legendre nodes of the transit integral (default 48). */
  readonly nodes?: number;
}

export interface TransitFitResult {
  /** (Rp/Rs)^2 and its 1-sigma error. */
  readonly depth: number;
  readonly depthErr: number;
  /** sqrt(depth) (signed) and its 1-sigma error (from depthErr by propagation). */
  readonly rpRs: number;
  readonly rpRsErr: number;
  /** Limb-darkened drop at mid-transit for the fitted depth: 1 - F(z = b). */
  readonly centralDepth: number;
  readonly tMid: number;
  readonly tMidErr: number;
  /** Baseline flux at tRef and its error. */
  readonly baseline: number;
  readonly baselineErr: number;
  /** Baseline slope, flux per time unit, and its error. */
  readonly slope: number;
  readonly slopeErr: number;
  /** Reference time of the slope (mean of the fitted times). */
  readonly tRef: number;
  readonly chi2: number;
  readonly dof: number;
  /** Points used (finite time, flux and, if given, positive finite error). */
  readonly npoints: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** True when the covariance was scaled by chi2/dof (no errors given). */
  readonly errorsScaled: boolean;
  /** Covariance of [depth, tMid, baseline, slope], row-major 4 x 4. */
  readonly covariance: Float64Array;
}

type Params = [depth: number, tMid: number, c0: number, c1: number];

interface Data { t: Float64Array; f: Float64Array; w: Float64Array | undefined; tRef: number }

/** Relative transit flux with the signed-depth continuation. */
function shape(t: number, depth: number, tMid: number, o: TransitFitOptions, nodes: number): number {
  if (depth === 0) return 1;
  const tp: TransitParams = { rpRs: Math.sqrt(Math.abs(depth)), tMid, t14: o.t14, b: o.b ?? 0, u1: o.u1, u2: o.u2 };
  const lost = 1 - occultedFlux(separation(t, tp), tp.rpRs, o.u1, o.u2, nodes);
  return depth > 0 ? 1 - lost : 1 + lost;
}

function modelAt(d: Data, p: Params, o: TransitFitOptions, nodes: number, out: Float64Array): Float64Array {
  for (let k = 0; k < d.t.length; k++) out[k] = (p[2] + p[3] * (d.t[k]! - d.tRef)) * shape(d.t[k]!, p[0], p[1], o, nodes);
  return out;
}

function chi2Of(d: Data, m: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < d.t.length; k++) s += (d.f[k]! - m[k]!) ** 2 * (d.w ? d.w[k]! : 1);
  return s;
}

/** Jacobian columns [d/ddepth, d/dtMid, d/dc0, d/dc1] at p. */
function jacobian(d: Data, p: Params, o: TransitFitOptions, nodes: number): Float64Array[] {
  const n = d.t.length;
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n));
  const hd = 1e-4 * Math.max(Math.abs(p[0]), 1e-3), ht = 1e-4 * o.t14;
  for (let k = 0; k < n; k++) {
    const t = d.t[k]!, base = p[2] + p[3] * (t - d.tRef);
    const s = shape(t, p[0], p[1], o, nodes);
    cols[0]![k] = (base * (shape(t, p[0] + hd, p[1], o, nodes) - shape(t, p[0] - hd, p[1], o, nodes))) / (2 * hd);
    cols[1]![k] = (base * (shape(t, p[0], p[1] + ht, o, nodes) - shape(t, p[0], p[1] - ht, o, nodes))) / (2 * ht);
    cols[2]![k] = s;
    cols[3]![k] = (t - d.tRef) * s;
  }
  return cols;
}

/** Start values: grid over tMid, linear solve of baseline, slope and transit amplitude at each. */
function startParams(d: Data, o: TransitFitOptions, nodes: number): Params {
  const depth0 = o.depth0 ?? 0.01;
  let tMin = Infinity, tMax = -Infinity;
  for (const t of d.t) { tMin = Math.min(tMin, t); tMax = Math.max(tMax, t); }
  const grid = o.tMid0 !== undefined ? [o.tMid0] : [];
  if (grid.length === 0) {
    const step = o.t14 / 8; // LM converges from within a few percent of t14
    for (let tm = tMin; tm <= tMax + step / 2; tm += step) grid.push(tm);
  }
  let best: { chi2: number; p: Params } | undefined;
  const one = new Float64Array(d.t.length).fill(1), lin = d.t.map((t) => t - d.tRef);
  for (const tm of grid) {
    const s = d.t.map((t) => shape(t, depth0, tm, o, nodes) - 1);
    const { ata, atb } = normalEquations([one, lin, s], d.f, d.w);
    const x = solve(ata, atb, 3);
    if (!x) continue;
    const c0 = x[0]!, amp = x[2]! / c0; // amp ~ depth / depth0
    const m = d.t.map((_, k) => x[0]! + x[1]! * lin[k]! + x[2]! * s[k]!);
    const c = chi2Of(d, m);
    if (!best || c < best.chi2) best = { chi2: c, p: [depth0 * (Number.isFinite(amp) && amp > 0 ? amp : 1), tm, c0, x[1]!] };
  }
  if (!best) throw new RangeError('transit fit: the start-value solve is singular (too few points?)');
  return best.p;
}

function selectData(time: ArrayLike<number>, flux: ArrayLike<number>, error?: ArrayLike<number>): Data {
  const keep: number[] = [];
  for (let k = 0; k < time.length; k++) {
    const e = error ? error[k]! : 1;
    if (Number.isFinite(time[k]!) && Number.isFinite(flux[k]!) && Number.isFinite(e) && e > 0) keep.push(k);
  }
  const t = Float64Array.from(keep, (k) => time[k]!);
  const f = Float64Array.from(keep, (k) => flux[k]!);
  const w = error ? Float64Array.from(keep, (k) => 1 / error[k]! ** 2) : undefined;
  const tRef = t.reduce((a, b) => a + b, 0) / Math.max(1, t.length);
  return { t, f, w, tRef };
}

/**
 * Fit depth, tMid, baseline and slope to (time, flux[, error]) (all the same
 * length; error is the 1-sigma flux error). Points with a non-finite time or
 * flux, or a non-positive/non-finite error, are skipped. Throws RangeError
 * with fewer than 6 usable points or a singular problem.
 */
export function fitTransit(time: ArrayLike<number>, flux: ArrayLike<number>, error: ArrayLike<number> | undefined, o: TransitFitOptions): TransitFitResult {
  if (flux.length !== time.length || (error && error.length !== time.length)) {
    throw new RangeError(`transit fit: time (${time.length}), flux (${flux.length}) and error (${error?.length ?? '-'}) lengths differ`);
  }
  if (!(o.t14 > 0)) throw new RangeError(`transit fit: t14 must be > 0, got ${o.t14}`);
  const d = selectData(time, flux, error);
  if (d.t.length < 6) throw new RangeError(`transit fit: ${d.t.length} usable points, need at least 6`);
  const nodes = o.nodes ?? 48;
  const lm = levenbergMarquardt(d, startParams(d, o, nodes), o, nodes);
  const { ata } = normalEquations(jacobian(d, lm.p, o, nodes), new Float64Array(d.t.length), d.w);
  const cov = invert(ata, 4);
  if (!cov) throw new RangeError('transit fit: singular normal matrix at the solution (is the transit inside the time range?)');
  const dof = d.t.length - 4;
  const scale = d.w ? 1 : lm.chi2 / dof;
  for (let i = 0; i < 16; i++) cov[i] = cov[i]! * scale;
  const err = (i: number) => Math.sqrt(Math.max(0, cov[i * 4 + i]!));
  const [depth, tMid, c0, c1] = lm.p;
  const rpRs = Math.sign(depth) * Math.sqrt(Math.abs(depth));
  return {
    depth, depthErr: err(0), rpRs, rpRsErr: err(0) / (2 * Math.max(Math.abs(rpRs), 1e-12)),
    centralDepth: Math.sign(depth) * centralDepth({ rpRs: Math.abs(rpRs), tMid, t14: o.t14, b: o.b ?? 0, u1: o.u1, u2: o.u2 }),
    tMid, tMidErr: err(1), baseline: c0, baselineErr: err(2), slope: c1, slopeErr: err(3), tRef: d.tRef,
    chi2: lm.chi2, dof, npoints: d.t.length, iterations: lm.iterations, converged: lm.converged, errorsScaled: !d.w, covariance: cov,
  };
}

/** Levenberg-Marquardt with Marquardt's scaling (lambda * diag(J^T W J)). */
function levenbergMarquardt(d: Data, p0: Params, o: TransitFitOptions, nodes: number): { p: Params; chi2: number; iterations: number; converged: boolean } {
  const m = new Float64Array(d.t.length), r = new Float64Array(d.t.length);
  let p: Params = [...p0], chi2 = chi2Of(d, modelAt(d, p, o, nodes, m));
  let lambda = 1e-3, it = 0, converged = false;
  const maxIt = o.maxIterations ?? 100;
  while (it < maxIt && !converged) {
    it++;
    modelAt(d, p, o, nodes, m);
    for (let k = 0; k < r.length; k++) r[k] = d.f[k]! - m[k]!;
    const { ata, atb } = normalEquations(jacobian(d, p, o, nodes), r, d.w);
    let improved = false;
    while (lambda < 1e12) {
      const a = Float64Array.from(ata);
      for (let i = 0; i < 4; i++) a[i * 4 + i] = ata[i * 4 + i]! * (1 + lambda);
      const step = solve(a, atb, 4);
      if (!step) { lambda *= 10; continue; }
      const trial: Params = [p[0] + step[0]!, p[1] + step[1]!, p[2] + step[2]!, p[3] + step[3]!];
      const c = chi2Of(d, modelAt(d, trial, o, nodes, m));
      if (Number.isFinite(c) && c <= chi2) {
        const small = chi2 - c <= 1e-10 * Math.max(chi2, 1e-300) || stepIsTiny(step, trial, o.t14);
        p = trial;
        chi2 = c;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (small) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) converged = true; // no downhill step at any damping: at the minimum to precision
  }
  return { p, chi2, iterations: it, converged };
}

function stepIsTiny(step: Float64Array, p: Params, t14: number): boolean {
  return Math.abs(step[0]!) < 1e-9 * Math.max(Math.abs(p[0]), 1e-6) && Math.abs(step[1]!) < 1e-9 * t14
    && Math.abs(step[2]!) < 1e-12 * Math.abs(p[2]) + 1e-300;
}
