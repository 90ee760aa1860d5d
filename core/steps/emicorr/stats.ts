/** Small numeric helpers for the EMI correction (pure). */

/** Median of the finite values of `a` (NaN when none). Does not modify `a`. */
export function median(a: ArrayLike<number>): number {
  const v = new Float64Array(a.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) v[n++] = a[i];
  if (n === 0) return NaN;
  const s = v.subarray(0, n).sort();
  const h = n >> 1;
  return n % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
}

/**
 * Sigma-clipped mean: repeatedly drop values farther than `sigma` standard
 * deviations from the median (at most `maxiters` rounds), then average the
 * rest. Defaults as astropy's sigma_clipped_stats (sigma 3, 5 iterations),
 * which jwst's emicorr docs use for the phased amplitude bins.
 */
export function sigmaClippedMean(values: Float64Array, sigma = 3, maxiters = 5): number {
  let kept = values.filter(Number.isFinite);
  for (let it = 0; it < maxiters && kept.length > 0; it++) {
    const med = median(kept);
    let s = 0;
    let s2 = 0;
    for (const x of kept) { s += x; s2 += x * x; }
    const mean = s / kept.length;
    const std = Math.sqrt(Math.max(0, s2 / kept.length - mean * mean));
    const lo = med - sigma * std;
    const hi = med + sigma * std;
    const next = kept.filter((x) => x >= lo && x <= hi);
    if (next.length === kept.length) break;
    kept = next;
  }
  if (kept.length === 0) return NaN;
  let s = 0;
  for (const x of kept) s += x;
  return s / kept.length;
}

/** Least-squares line y = m x + b. */
export function lineFit(x: ArrayLike<number>, y: ArrayLike<number>): { m: number; b: number } {
  const n = x.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; }
  const d = n * sxx - sx * sx;
  if (d === 0) return { m: 0, b: n ? sy / n : 0 };
  return { m: (n * sxy - sx * sy) / d, b: (sxx * sy - sx * sxy) / d };
}

/** Pearson correlation coefficient (NaN when either side is constant). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx, b = y[i] - my;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Nearest-lower resampling of a 1-D array to `newLen` samples spanning the
 * same extent (IDL congrid without interpolation): out[j] = a[floor(j * n / scale)],
 * where `scale` (default newLen) may be fractional (e.g. a period in pixels).
 */
export function congrid(a: ArrayLike<number>, newLen: number, scale = newLen): Float64Array {
  const n = a.length;
  const out = new Float64Array(newLen);
  for (let j = 0; j < newLen; j++) out[j] = a[Math.min(n - 1, Math.floor((j * n) / scale))];
  return out;
}

/**
 * A periodic waveform sampled at phases (j + 0.5)/M evaluated at `phase`
 * (any real; wrapped) with cubic (Catmull-Rom) interpolation.
 */
export function waveAt(w: ArrayLike<number>, phase: number): number {
  const m = w.length;
  const x = (phase - Math.floor(phase)) * m - 0.5;
  const i1 = Math.floor(x);
  const t = x - i1;
  const at = (i: number): number => w[((i % m) + m) % m];
  const p0 = at(i1 - 1), p1 = at(i1), p2 = at(i1 + 1), p3 = at(i1 + 2);
  return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}
