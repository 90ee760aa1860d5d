/**
 * Small dense linear algebra for least-squares fits (a handful of
 * parameters): Gauss-Jordan elimination with partial pivoting. Matrices are
 * row-major Float64Array of n*n.
 */

/**
 * Inverse of the n x n row-major matrix `a` (not modified), or undefined when
 * it is singular to working precision (a pivot below 1e-14 of the largest
 * absolute entry of its column at the start).
 */
export function invert(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[i]!));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
    const p = m[piv * n + c]!;
    if (Math.abs(p) <= 1e-14 * scale) return undefined;
    if (piv !== c) swapRows(m, inv, n, piv, c);
    for (let k = 0; k < n; k++) {
      m[c * n + k] = m[c * n + k]! / p;
      inv[c * n + k] = inv[c * n + k]! / p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
        inv[r * n + k] = inv[r * n + k]! - f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}

function swapRows(m: Float64Array, inv: Float64Array, n: number, a: number, b: number): void {
  for (let k = 0; k < n; k++) {
    const t = m[a * n + k]!; m[a * n + k] = m[b * n + k]!; m[b * n + k] = t;
    const u = inv[a * n + k]!; inv[a * n + k] = inv[b * n + k]!; inv[b * n + k] = u;
  }
}

/** x = A^-1 b for the n x n row-major `a`, or undefined when singular. */
export function solve(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | undefined {
  const inv = invert(a, n);
  if (!inv) return undefined;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += inv[i * n + k]! * b[k]!;
    x[i] = s;
  }
  return x;
}

/**
 * Weighted normal equations of a design matrix given by columns:
 * returns {ata: J^T W J (n x n), atb: J^T W r} with weights w (1 when absent).
 */
export function normalEquations(cols: readonly ArrayLike<number>[], r: ArrayLike<number>, w?: ArrayLike<number>): { ata: Float64Array; atb: Float64Array } {
  const n = cols.length, m = r.length;
  const ata = new Float64Array(n * n), atb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = cols[i]!;
    for (let j = i; j < n; j++) {
      const cj = cols[j]!;
      let s = 0;
      for (let k = 0; k < m; k++) s += ci[k]! * cj[k]! * (w ? w[k]! : 1);
      ata[i * n + j] = s;
      ata[j * n + i] = s;
    }
    let s = 0;
    for (let k = 0; k < m; k++) s += ci[k]! * r[k]! * (w ? w[k]! : 1);
    atb[i] = s;
  }
  return { ata, atb };
}
