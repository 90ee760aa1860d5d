/** Light-curve arithmetic for the TSO view (pure). */

export type TimeAxis = 'mjd' | 'bjd' | 'hours';

/** Times on the chosen axis; 'hours' counts from `midMjd` (default: the middle of the series). */
export function timeAxis(mjd: readonly number[], bjd: readonly number[] | null, axis: TimeAxis, midMjd?: number): number[] {
  if (axis === 'bjd' && bjd) return [...bjd];
  if (axis === 'hours') {
    const t0 = midMjd ?? (mjd[0] + mjd[mjd.length - 1]) / 2;
    return mjd.map((t) => (t - t0) * 24);
  }
  return [...mjd];
}

/** Flux divided by the median of the points kept (outliers excluded). */
export function normalise(flux: readonly number[], excluded: ReadonlySet<number> = new Set()): number[] {
  const kept = flux.filter((f, i) => !excluded.has(i) && Number.isFinite(f)).sort((a, b) => a - b);
  const m = kept.length ? kept[Math.floor((kept.length - 1) / 2)] * 0.5 + kept[Math.ceil((kept.length - 1) / 2)] * 0.5 : 1;
  return flux.map((f) => f / m);
}

/** Mean in consecutive bins of `size` points (last bin may be shorter); excluded points are left out. */
export function binSeries(t: readonly number[], f: readonly number[], size: number, excluded: ReadonlySet<number> = new Set()): { t: number[]; f: number[] } {
  const out = { t: [] as number[], f: [] as number[] };
  if (size <= 1) {
    t.forEach((x, i) => { if (!excluded.has(i)) { out.t.push(x); out.f.push(f[i]); } });
    return out;
  }
  for (let i = 0; i < t.length; i += size) {
    let st = 0, sf = 0, n = 0;
    for (let j = i; j < Math.min(t.length, i + size); j++) if (!excluded.has(j) && Number.isFinite(f[j])) { st += t[j]; sf += f[j]; n++; }
    if (n) { out.t.push(st / n); out.f.push(sf / n); }
  }
  return out;
}

/** Median of the values (mean of the two middle ones for an even count); NaN when empty. */
export function median(a: readonly number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median absolute deviation of point-to-point differences / sqrt(2), scaled to sigma (1.4826). */
export function madNoise(x: readonly number[]): number {
  const d = [];
  for (let i = 1; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(x[i - 1])) d.push(x[i] - x[i - 1]);
  if (!d.length) return NaN;
  const med = (a: number[]) => { const s = [...a].sort((p, q) => p - q); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
  const m = med(d);
  return (1.4826 * med(d.map((v) => Math.abs(v - m)))) / Math.SQRT2;
}

/** Light curves summed over wavelength bins [lo, hi) of a spectra payload (nspec x nwave, row-major). */
export function binnedLightCurves(wave: Float64Array, flux: Float64Array, nspec: number, nwave: number, edges: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lc: number[] = [];
    for (let k = 0; k < nspec; k++) {
      let s = 0;
      for (let j = 0; j < nwave; j++) {
        const w = wave[k * nwave + j], f = flux[k * nwave + j];
        if (w >= edges[b] && w < edges[b + 1] && Number.isFinite(f)) s += f;
      }
      lc.push(s);
    }
    out.push(lc);
  }
  return out;
}

/** CSV text of columns with a header row. */
export function toCsv(columns: Record<string, readonly (number | string)[]>): string {
  const names = Object.keys(columns);
  const n = Math.max(...names.map((k) => columns[k].length));
  const rows = [names.join(',')];
  for (let i = 0; i < n; i++) rows.push(names.map((k) => String(columns[k][i] ?? '')).join(','));
  return rows.join('\n') + '\n';
}
