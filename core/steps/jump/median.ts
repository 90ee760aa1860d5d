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

/**
 * nanMedianAt on float32 values a[off .. off+n) (no NaN; reordered in place):
 * the same value as nanMedianAt on the same numbers. Large counts (a pixel's
 * differences over all integrations) pick their pivot with Floyd & Rivest's
 * sampling (CACM 18(3), 1975, "Algorithm 489"), so the partition passes touch
 * about n values instead of the 3n of a median-of-three quickselect.
 */
export function nanMedianAtF32(a: Float32Array, off: number, n: number): number {
  if (n <= 0) return NaN;
  const k = off + (n >> 1);
  selectF32(a, off, off + n - 1, k);
  if (n & 1) return a[k];
  let lo = -Infinity;
  for (let i = off; i < k; i++) if (a[i] > lo) lo = a[i];
  return Math.fround(lo + a[k]) / 2;
}

/** Floyd-Rivest select on a[l0..r0]: afterwards a[k] is the (k-l0)-th smallest, smaller ones before it, larger after. */
function selectF32(a: Float32Array, l0: number, r0: number, k: number): void {
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
    if (r - l > 400) {
      // Select k within a sample window first: a[k] becomes a pivot close to the final one.
      const n = r - l + 1;
      const i = k - l + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
      selectF32(a, Math.max(l, Math.floor(k - (i * s) / n + sd)), Math.min(r, Math.floor(k + ((n - i) * s) / n + sd)), k);
    }
    const t = a[k];
    let i = l;
    let j = r;
    swapF(a, l, k);
    if (a[r] > t) swapF(a, r, l);
    while (i < j) {
      swapF(a, i, j);
      i++; j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[l] === t) swapF(a, l, j);
    else { j++; swapF(a, j, r); }
    if (j <= k) l = j + 1;
    if (k <= j) r = j - 1;
  }
}

function swapF(a: Float32Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}
