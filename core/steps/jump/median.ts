/**
 * Median of the first `n` values of a scratch array (reordered in place), as
 * numpy's float32 median computes it: the mean of the two middle values for
 * an even count, rounded to float32. NaN when n is 0.
 */
export function nanMedianInPlace(a: Float64Array, n: number): number {
  return nanMedianAt(a, 0, n);
}

/** nanMedianInPlace on the n values a[off .. off+n) (reordered in place). */
export function nanMedianAt(a: Float64Array, off: number, n: number): number {
  if (n <= 0) return NaN;
  const k = off + (n >> 1);
  select(a, off, off + n - 1, k);
  if (n & 1) return a[k];
  // After selecting k, the (k-1)th smallest is the largest of a[off..k).
  let lo = -Infinity;
  for (let i = off; i < k; i++) if (a[i] > lo) lo = a[i];
  return Math.fround(lo + a[k]) / 2;
}

/** Median of the first `n` values (reordered in place), in double precision; NaN when n is 0. */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n <= 0) return NaN;
  const k = n >> 1;
  select(a, 0, n - 1, k);
  if (n & 1) return a[k];
  let lo = -Infinity;
  for (let i = 0; i < k; i++) if (a[i] > lo) lo = a[i];
  return (lo + a[k]) / 2;
}

/** Hoare quickselect on a[l0..r0]: afterwards a[k] is the (k-l0)-th smallest, smaller ones before it. */
function select(a: Float64Array, l0: number, r0: number, k: number): void {
  let l = l0;
  let r = r0;
  while (r > l) {
    if (r - l < 16) {
      for (let i = l + 1; i <= r; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= l && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
      }
      return;
    }
    const m = (l + r) >> 1;
    // median of three pivot
    if (a[m] < a[l]) swap(a, m, l);
    if (a[r] < a[l]) swap(a, r, l);
    if (a[r] < a[m]) swap(a, r, m);
    const pivot = a[m];
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}
