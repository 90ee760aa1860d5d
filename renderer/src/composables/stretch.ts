/**
 * Display limits and stretches for the image viewer (pure: unit-tested in
 * Node, also used by the WebGL shader's uniforms).
 * zscale follows the IRAF algorithm as documented for `display` (sample the
 * image, fit a line to the sorted sample with k-sigma rejection, limits =
 * median -/+ slope / contrast over the sample range).
 */
export type Stretch = 'linear' | 'sqrt' | 'log' | 'asinh';
export type LimitMode = 'minmax' | 'percentile' | 'zscale';
export const STRETCHES: readonly Stretch[] = ['linear', 'sqrt', 'log', 'asinh'];
export const STRETCH_CODE: Readonly<Record<Stretch, number>> = { linear: 0, sqrt: 1, log: 2, asinh: 3 };

/** Finite values of up to `max` evenly spaced samples. */
export function sample(data: ArrayLike<number>, max = 20000): Float64Array {
  const step = Math.max(1, Math.floor(data.length / max));
  const out: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) out.push(data[i]);
  return Float64Array.from(out).sort();
}

/** The p-th percentile (0..100) of sorted values, linear interpolation. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  const x = (p / 100) * (sorted.length - 1);
  const i = Math.floor(x);
  return i + 1 < sorted.length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** IRAF zscale limits (contrast 0.25, 5 rejection iterations at 2.5 sigma). */
export function zscale(sorted: Float64Array, contrast = 0.25): [number, number] {
  const n = sorted.length;
  if (n < 2) return [sorted[0] ?? 0, sorted[0] ?? 1];
  const center = (n - 1) / 2;
  const median = percentileSorted(sorted, 50);
  let keep = new Uint8Array(n).fill(1);
  let slope = 0, intercept = median;
  for (let iter = 0; iter < 5; iter++) {
    let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
    for (let i = 0; i < n; i++) if (keep[i]) { const x = i - center; sx += x; sy += sorted[i]; sxx += x * x; sxy += x * sorted[i]; m++; }
    if (m < Math.max(5, n / 2)) break;
    const d = m * sxx - sx * sx;
    slope = d ? (m * sxy - sx * sy) / d : 0;
    intercept = (sy - slope * sx) / m;
    let ss = 0;
    for (let i = 0; i < n; i++) if (keep[i]) ss += (sorted[i] - (intercept + slope * (i - center))) ** 2;
    const sigma = Math.sqrt(ss / m);
    const next = new Uint8Array(n);
    let changed = false;
    for (let i = 0; i < n; i++) {
      next[i] = Math.abs(sorted[i] - (intercept + slope * (i - center))) <= 2.5 * sigma ? 1 : 0;
      if (next[i] !== keep[i]) changed = true;
    }
    keep = next;
    if (!changed) break;
  }
  const s = slope / contrast;
  return [Math.max(sorted[0], median - center * s), Math.min(sorted[n - 1], median + center * s)];
}

/** Display limits for a mode (samples the image: one strided pass). */
export function limits(data: ArrayLike<number>, mode: LimitMode, percentile = 99.5): [number, number] {
  return limitsFromSample(sample(data), mode, percentile);
}

/**
 * Display limits for a mode from a sorted sample (`sample(data)`, computed once
 * per image and cached by the viewer, so a limits-mode change never touches
 * the pixels).
 */
export function limitsFromSample(s: Float64Array, mode: LimitMode, percentile = 99.5): [number, number] {
  if (!s.length) return [0, 1];
  if (mode === 'minmax') return [s[0], s[s.length - 1]];
  if (mode === 'zscale') return zscale(s);
  return [percentileSorted(s, 100 - percentile), percentileSorted(s, percentile)];
}

/** Stretch of a value already scaled to 0..1 (the shader computes the same). */
export function applyStretch(t: number, stretch: Stretch): number {
  const x = Math.min(1, Math.max(0, t));
  switch (stretch) {
    case 'linear': return x;
    case 'sqrt': return Math.sqrt(x);
    case 'log': return Math.log10(1000 * x + 1) / Math.log10(1001);
    case 'asinh': return Math.asinh(10 * x) / Math.asinh(10);
  }
}
