/** Helpers for the simulator tests: OLS slopes and robust statistics. */

/** Ordinary least-squares slope of y[g] against t[g] = (g + 1) * tgroup, groups [g0, g1). */
export function olsSlope(y: ArrayLike<number>, tgroup: number, g0 = 0, g1 = y.length): number {
  const n = g1 - g0;
  let st = 0, sy = 0, stt = 0, sty = 0;
  for (let g = g0; g < g1; g++) {
    const t = (g + 1) * tgroup;
    st += t; sy += y[g]!; stt += t * t; sty += t * y[g]!;
  }
  return (n * sty - st * sy) / (n * stt - st * st);
}

/** Variance of the OLS slope (DN/s)^2 for per-read noise s (DN), rate r (DN/s), gain (e/DN), n equally spaced reads. */
export function olsSlopeVariance(n: number, tgroup: number, readSigma: number, rate: number, gain: number): number {
  const read = (12 * readSigma * readSigma) / (n * (n * n - 1) * tgroup * tgroup);
  const poisson = ((6 * (n * n + 1)) / (5 * n * (n * n - 1))) * (rate / gain) / tgroup;
  return read + poisson;
}

export function meanStd(a: readonly number[]): { mean: number; std: number } {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1);
  return { mean: m, std: Math.sqrt(v) };
}
