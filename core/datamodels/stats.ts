/** Image statistics over finite values, in one pass. */
import type { NDArray } from '../ndarray/index.ts';

export interface ImageStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  finite_count: number;
  nan_count: number;
  posinf_count: number;
  neginf_count: number;
  /** For DQ arrays: number of elements carrying each flag. */
  flag_counts?: Record<string, number>;
}

export function imageStats(a: NDArray): ImageStats {
  const d = a.data;
  let min = Infinity, max = -Infinity, sum = 0, n = 0, nan = 0, pinf = 0, ninf = 0;
  if (typeof d[0] === 'bigint' || d instanceof BigInt64Array || d instanceof BigUint64Array) {
    for (let i = 0; i < d.length; i++) {
      const v = Number(d[i]);
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      n++;
    }
  } else {
    const nd = d as Exclude<typeof d, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < nd.length; i++) {
      const v = nd[i];
      if (v === v && v !== Infinity && v !== -Infinity) {
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        n++;
      } else if (v !== v) nan++;
      else if (v > 0) pinf++;
      else ninf++;
    }
  }
  return {
    min: n ? min : null, max: n ? max : null, mean: n ? sum / n : null,
    finite_count: n, nan_count: nan, posinf_count: pinf, neginf_count: ninf,
  };
}
