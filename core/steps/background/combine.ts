/**
 * Image-from-image background subtraction (jwst docs, background step
 * "Imaging and spectroscopic modes"): the background members are combined
 * per pixel as the sigma-clipped mean (astropy sigma_clip: median centre,
 * standard deviation, `sigma` threshold, up to `maxiters` iterations or until
 * nothing changes); the combined ERR is sqrt(sum err^2 over kept members) / N
 * kept; DQ is the OR of all members. The result is science - background with
 * DQ OR'ed. Arrays are flattened planes of equal length.
 */
export interface Plane { data: ArrayLike<number>; err?: ArrayLike<number>; dq?: ArrayLike<number> }

export interface Combined { data: Float32Array; err: Float32Array; dq: Uint32Array }

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Indices of values kept by iterative sigma clipping (NaN never kept). */
export function sigmaClipKeep(v: readonly number[], sigma: number, maxiters: number | null): boolean[] {
  const keep = v.map((x) => !Number.isNaN(x));
  for (let it = 0; maxiters === null || it < maxiters; it++) {
    const kept = v.filter((_, i) => keep[i]);
    if (kept.length === 0) break;
    const c = median(kept);
    const mean = kept.reduce((s, x) => s + x, 0) / kept.length;
    const std = Math.sqrt(kept.reduce((s, x) => s + (x - mean) ** 2, 0) / kept.length);
    let changed = false;
    v.forEach((x, i) => { if (keep[i] && Math.abs(x - c) > sigma * std) { keep[i] = false; changed = true; } });
    if (!changed) break;
  }
  return keep;
}

/** Combine background planes into one (sigma-clipped mean). */
export function combineBackground(bkgs: readonly Plane[], sigma: number, maxiters: number | null): Combined {
  const n = bkgs[0].data.length;
  const out: Combined = { data: new Float32Array(n), err: new Float32Array(n), dq: new Uint32Array(n) };
  const v: number[] = new Array(bkgs.length);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < bkgs.length; k++) v[k] = bkgs[k].data[p];
    const keep = sigmaClipKeep(v, sigma, maxiters);
    let s = 0; let e2 = 0; let m = 0; let dq = 0;
    for (let k = 0; k < bkgs.length; k++) {
      dq |= Number(bkgs[k].dq?.[p] ?? 0);
      if (!keep[k]) continue;
      s += v[k]; m++;
      const e = Number(bkgs[k].err?.[p] ?? 0);
      e2 += e * e;
    }
    out.data[p] = m > 0 ? s / m : 0;
    out.err[p] = m > 0 ? Math.sqrt(e2) / m : 0;
    out.dq[p] = dq >>> 0;
  }
  return out;
}

/** science - background (per plane of a cube), DQ OR'ed. */
export function subtractBackground(sci: Float32Array, dq: Uint32Array, bkg: Combined): { data: Float32Array; dq: Uint32Array } {
  const data = new Float32Array(sci.length);
  const outDq = new Uint32Array(sci.length);
  const n = bkg.data.length;
  for (let i = 0; i < sci.length; i++) {
    data[i] = sci[i] - bkg.data[i % n];
    outDq[i] = (dq[i] | bkg.dq[i % n]) >>> 0;
  }
  return { data, dq: outDq };
}
