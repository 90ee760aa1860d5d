/**
 * Bad-pixel replacement by profile fit (jwst docs, pixel_replace
 * "fit_profile"): for each dispersion element holding DO_NOT_USE pixels, the
 * cross-dispersion profiles of up to n_adjacent_cols elements on each side
 * (taking more from one side at the array edges) are normalized to unit sum
 * and median-combined; that profile is scaled to the good pixels of the
 * element by least squares and the scaled value replaces each bad pixel,
 * whose DQ gets FLUX_ESTIMATED and loses DO_NOT_USE. Planes are in
 * (cross, disp) order: c * ndisp + d.
 */
import { DQ } from '../../datamodels/dq.ts';

function median(v: number[]): number {
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Neighbouring dispersion indices used for element d: n on each side, shifted inward at the edges. */
export function neighbours(d: number, ndisp: number, n: number): number[] {
  let lo = d - n;
  let hi = d + n;
  if (lo < 0) { hi = Math.min(ndisp - 1, hi - lo); lo = 0; }
  if (hi > ndisp - 1) { lo = Math.max(0, lo - (hi - (ndisp - 1))); hi = ndisp - 1; }
  const out: number[] = [];
  for (let k = lo; k <= hi; k++) if (k !== d) out.push(k);
  return out;
}

/** Replace bad pixels in place; returns the number replaced. */
export function fitProfileReplace(data: Float64Array, dq: Uint32Array, ncross: number, ndisp: number, nAdjacent: number): number {
  const bad = (i: number): boolean => (dq[i] & DQ.DO_NOT_USE) !== 0 || Number.isNaN(data[i]);
  let replaced = 0;
  const orig = Float64Array.from(data);
  for (let d = 0; d < ndisp; d++) {
    const badC: number[] = [];
    for (let c = 0; c < ncross; c++) if (bad(c * ndisp + d)) badC.push(c);
    if (badC.length === 0 || badC.length === ncross) continue;
    const profiles: Float64Array[] = [];
    for (const k of neighbours(d, ndisp, nAdjacent)) {
      let s = 0;
      for (let c = 0; c < ncross; c++) { const v = orig[c * ndisp + k]; if (!bad(c * ndisp + k)) s += v; }
      if (s === 0 || !Number.isFinite(s)) continue;
      profiles.push(Float64Array.from({ length: ncross }, (_, c) => (bad(c * ndisp + k) ? NaN : orig[c * ndisp + k] / s)));
    }
    if (profiles.length === 0) continue;
    const prof = Float64Array.from({ length: ncross }, (_, c) => {
      const v = profiles.map((p) => p[c]).filter((x) => !Number.isNaN(x));
      return v.length ? median(v) : NaN;
    });
    let num = 0; let den = 0;
    for (let c = 0; c < ncross; c++) {
      const i = c * ndisp + d;
      if (bad(i) || Number.isNaN(prof[c])) continue;
      num += orig[i] * prof[c]; den += prof[c] * prof[c];
    }
    if (den === 0) continue;
    const scale = num / den;
    for (const c of badC) {
      if (Number.isNaN(prof[c])) continue;
      const i = c * ndisp + d;
      data[i] = scale * prof[c];
      dq[i] = ((dq[i] & ~DQ.DO_NOT_USE) | DQ.FLUX_ESTIMATED) >>> 0;
      replaced++;
    }
  }
  return replaced;
}
