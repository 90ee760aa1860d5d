/**
 * gain_scale kernel (jwst docs, "Gain Scale Correction"): count-rate products
 * made with a non-standard gain setting are multiplied by GAINFACT: SCI and
 * ERR by the factor, the variances (VAR_POISSON, VAR_RNOISE, VAR_FLAT) by its square.
 */
import type { NDArray } from '../../ndarray/index.ts';
import { ndarray } from '../../ndarray/index.ts';

/** Scaled copies of the arrays present in `arrays` (others are returned unchanged). */
export function gainScaleArrays(arrays: Readonly<Record<string, NDArray>>, factor: number): Record<string, NDArray> {
  const out: Record<string, NDArray> = { ...arrays };
  const scale = (name: string, f: number) => {
    const a = arrays[name];
    if (!a || !(a.data instanceof Float32Array || a.data instanceof Float64Array)) return;
    const d = a.data instanceof Float32Array ? new Float32Array(a.data.length) : new Float64Array(a.data.length);
    for (let i = 0; i < d.length; i++) d[i] = a.data[i] * f;
    out[name] = ndarray(d as Float32Array, a.shape);
  };
  scale('data', factor);
  scale('err', factor);
  for (const v of ['var_poisson', 'var_rnoise', 'var_flat']) scale(v, factor * factor);
  return out;
}
