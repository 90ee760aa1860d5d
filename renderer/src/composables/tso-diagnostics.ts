/**
 * Per-integration diagnostics of a time series (pure): background level from
 * the x1dints BACKGROUND column, trace position and width from calints
 * planes, the fraction of pixels flagged as outliers in crfints DQ.
 * Arrays are row-major, slowest axis first (a plane is [ny][nx]).
 */

/** Median of the finite values of `v` (NaN when none). */
export function median(v: ArrayLike<number>): number {
  const a = Array.from(v).filter(Number.isFinite).sort((p, q) => p - q);
  if (!a.length) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/** Median of each row of a [nrows][ncell] table column (e.g. BACKGROUND per integration, in the column's unit). */
export function rowMedians(values: ArrayLike<number>, nrows: number, ncell: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < nrows; r++) out.push(median(Array.prototype.slice.call(values, r * ncell, (r + 1) * ncell) as number[]));
  return out;
}

/**
 * Cross-dispersion profile of a plane: the mean of the finite values along the
 * dispersion axis (dispaxis 1 = x, so the profile runs along y; 2 = y, profile along x).
 */
export function crossProfile(plane: ArrayLike<number>, ny: number, nx: number, dispaxis: 1 | 2): Float64Array {
  const n = dispaxis === 2 ? nx : ny, m = dispaxis === 2 ? ny : nx;
  const out = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let s = 0, k = 0;
    for (let d = 0; d < m; d++) {
      const v = dispaxis === 2 ? plane[d * nx + c] : plane[c * nx + d];
      if (Number.isFinite(v)) { s += v; k++; }
    }
    out[c] = k ? s / k : NaN;
  }
  return out;
}

/**
 * Trace centre and width (pixels, 0-based) of a cross-dispersion profile: the
 * profile's median is taken as background, then the first and second moments
 * of the background-subtracted profile within +-halfWidth of its peak.
 * `sigma` is the RMS width (a Gaussian of sigma s gives ~s when halfWidth >> s).
 */
export function traceMoments(profile: ArrayLike<number>, halfWidth = 6): { center: number; sigma: number } {
  const bkg = median(profile);
  let peak = -1;
  for (let i = 0; i < profile.length; i++) if (Number.isFinite(profile[i]) && (peak < 0 || profile[i] > profile[peak])) peak = i;
  if (peak < 0) return { center: NaN, sigma: NaN };
  let s0 = 0, s1 = 0, s2 = 0;
  for (let i = Math.max(0, peak - halfWidth); i <= Math.min(profile.length - 1, peak + halfWidth); i++) {
    const w = profile[i] - bkg;
    if (!Number.isFinite(w) || w <= 0) continue;
    s0 += w; s1 += w * i; s2 += w * i * i;
  }
  if (s0 <= 0) return { center: NaN, sigma: NaN };
  const center = s1 / s0;
  return { center, sigma: Math.sqrt(Math.max(0, s2 / s0 - center * center)) };
}

/** Fraction (0..1) of the pixels of a DQ plane with any bit of `mask` set. */
export function flaggedFraction(dq: ArrayLike<number>, mask: number): number {
  if (!dq.length) return NaN;
  let n = 0;
  for (let i = 0; i < dq.length; i++) if ((dq[i] & mask) !== 0) n++;
  return n / dq.length;
}

/** 0-based integrations to read when at most `max` planes should be fetched (every k-th, always the last). */
export function sampledIntegrations(nints: number, max = 300): number[] {
  const step = Math.max(1, Math.ceil(nints / max));
  const out: number[] = [];
  for (let k = 0; k < nints; k += step) out.push(k);
  if (out[out.length - 1] !== nints - 1) out.push(nints - 1);
  return out;
}
