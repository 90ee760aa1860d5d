/**
 * Smoothing cubic spline with automatic knots, the criterion of P. Dierckx,
 * "Curve and Surface Fitting with Splines" (1993), ch. 5 ("curfit"): find the
 * spline s(x) with the fewest knots such that sum (y_i - s(x_i))^2 <= S, then
 * the smoothing parameter p with F(p) = S. Knots are added at data points in
 * the interval with the largest residual sum; the least-squares systems are
 * solved by Givens rotations on the banded observation matrix; p is found by
 * rational interpolation. This is the fit scipy's UnivariateSpline(x, y, s=S)
 * makes, which jwst's assign_wcs uses for the MIRI LRS trace and wavelengths.
 *
 * Arrays below are 1-based (index 0 unused) to follow the book's notation.
 */

export interface Spline {
  /** Knots (n of them, 0-based). */
  readonly t: number[];
  /** B-spline coefficients (n - k - 1, 0-based). */
  readonly c: number[];
  readonly k: number;
  /** Weighted sum of squared residuals of the fit. */
  readonly fp: number;
}

const TOL = 0.001;
const MAXIT = 20;

function givens(piv: number, ww: number): [number, number, number] {
  const store = Math.abs(piv);
  const dd = store >= ww ? store * Math.sqrt(1 + (ww / piv) ** 2) : ww * Math.sqrt(1 + (piv / ww) ** 2);
  return [ww / dd, piv / dd, dd];
}

/** The k+1 non-zero B-splines at x, t(l) <= x < t(l+1) (de Boor's recursion); h 1-based. */
function bsplines(t: Float64Array, k: number, x: number, l: number): Float64Array {
  const h = new Float64Array(k + 2), hh = new Float64Array(k + 2);
  h[1] = 1;
  for (let j = 1; j <= k; j++) {
    for (let i = 1; i <= j; i++) hh[i] = h[i]!;
    h[1] = 0;
    for (let i = 1; i <= j; i++) {
      const li = l + i, lj = li - j;
      if (t[li] === t[lj]) { h[i + 1] = 0; continue; }
      const f = hh[i]! / (t[li]! - t[lj]!);
      h[i] = h[i]! + f * (t[li]! - x);
      h[i + 1] = f * (x - t[lj]!);
    }
  }
  return h;
}

/** Back substitution for an upper-triangular banded system (bandwidth kb); 1-based. */
function backSub(a: Float64Array[], z: Float64Array, n: number, kb: number): Float64Array {
  const c = new Float64Array(n + 1);
  c[n] = z[n]! / a[n]![1]!;
  for (let i = n - 1; i >= 1; i--) {
    let store = z[i]!;
    const i1 = Math.min(kb - 1, n - i);
    for (let l = 1; l <= i1; l++) store -= c[i + l]! * a[i]![l + 1]!;
    c[i] = store / a[i]![1]!;
  }
  return c;
}

interface Lsq { a: Float64Array[]; z: Float64Array; q: Float64Array[]; c: Float64Array; fp: number }

/** Least-squares spline on the current knots (p = infinity). */
function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>, t: Float64Array, n: number, k: number): Lsq {
  const m = x.length, k1 = k + 1, nk1 = n - k1;
  const a = Array.from({ length: nk1 + 1 }, () => new Float64Array(k1 + 2));
  const z = new Float64Array(nk1 + 1);
  const q = Array.from({ length: m + 1 }, () => new Float64Array(k1 + 1));
  let fp = 0;
  let l = k1;
  for (let it = 1; it <= m; it++) {
    const xi = x[it - 1]!;
    let yi = y[it - 1]!;
    while (!(xi < t[l + 1]! || l === nk1)) l++;
    const h = bsplines(t, k, xi, l);
    for (let i = 1; i <= k1; i++) q[it]![i] = h[i]!;
    let j = l - k1;
    for (let i = 1; i <= k1; i++) {
      j++;
      const piv = h[i]!;
      if (piv === 0) continue;
      const [cs, sn, dd] = givens(piv, a[j]![1]!);
      a[j]![1] = dd;
      const zj = z[j]!;
      z[j] = cs * zj + sn * yi;
      yi = cs * yi - sn * zj;
      for (let i1 = i + 1, i2 = 2; i1 <= k1; i1++, i2++) {
        const hv = h[i1]!, av = a[j]![i2]!;
        a[j]![i2] = cs * av + sn * hv;
        h[i1] = cs * hv - sn * av;
      }
    }
    fp += yi * yi;
  }
  return { a, z, q, c: backSub(a, z, nk1, k1), fp };
}

/** s(x_it) - y_it for every data point given coefficients c (1-based) and the stored B-spline values. */
function residuals(x: ArrayLike<number>, y: ArrayLike<number>, t: Float64Array, n: number, k: number, c: Float64Array, q: Float64Array[]): Float64Array {
  const m = x.length, k1 = k + 1, k2 = k + 2, nk1 = n - k1;
  const r = new Float64Array(m + 1);
  let l = k2;
  for (let it = 1; it <= m; it++) {
    if (!(x[it - 1]! < t[l]! || l > nk1)) l++;
    const l0 = l - k2;
    let term = 0;
    for (let j = 1; j <= k1; j++) term += c[l0 + j]! * q[it]![j]!;
    r[it] = term - y[it - 1]!;
  }
  return r;
}

interface KnotState { t: Float64Array; n: number; nrint: number; fpint: Float64Array; nrdata: Int32Array }

/** Add one knot at the middle data point of the interval with the largest residual sum. */
function addKnot(x: ArrayLike<number>, st: KnotState): void {
  const k = (st.n - st.nrint - 1) / 2;
  let fpmax = 0, number = 0, maxpt = 0, maxbeg = 0;
  let jbegin = 1;
  for (let j = 1; j <= st.nrint; j++) {
    const jpoint = st.nrdata[j]!;
    if (!(fpmax >= st.fpint[j]! || jpoint === 0)) {
      fpmax = st.fpint[j]!; number = j; maxpt = jpoint; maxbeg = jbegin;
    }
    jbegin += jpoint + 1;
  }
  if (number === 0) throw new RangeError('smoothing spline: no knot interval left to split');
  const ihalf = Math.trunc(maxpt / 2) + 1;
  const nrx = maxbeg + ihalf;
  const next = number + 1;
  for (let jj = st.nrint; jj >= next; jj--) {
    st.fpint[jj + 1] = st.fpint[jj]!;
    st.nrdata[jj + 1] = st.nrdata[jj]!;
    st.t[jj + k + 1] = st.t[jj + k]!;
  }
  st.nrdata[number] = ihalf - 1;
  st.nrdata[next] = maxpt - ihalf;
  st.fpint[number] = (fpmax * st.nrdata[number]!) / maxpt;
  st.fpint[next] = (fpmax * st.nrdata[next]!) / maxpt;
  st.t[next + k] = x[nrx - 1]!;
  st.n++;
  st.nrint++;
}

/** Jumps of the k-th derivative of the B-splines at the interior knots (rows 1..n-2k-2, k+2 columns). */
function derivativeJumps(t: Float64Array, n: number, k: number): Float64Array[] {
  const k1 = k + 1, k2 = k + 2, nk1 = n - k1;
  const fac = (nk1 - k) / (t[nk1 + 1]! - t[k1]!);
  const b = Array.from({ length: nk1 + 1 }, () => new Float64Array(k2 + 1));
  const h = new Float64Array(2 * k1 + 1);
  for (let l = k2; l <= nk1; l++) {
    const lmk = l - k1;
    for (let j = 1; j <= k1; j++) {
      h[j] = t[l]! - t[l + j - k2]!;
      h[j + k1] = t[l]! - t[l + j]!;
    }
    let lp = lmk;
    for (let j = 1; j <= k2; j++) {
      let prod = h[j]!;
      for (let i = 1, jk = j; i <= k; i++) { jk++; prod = prod * h[jk]! * fac; }
      b[lmk]![j] = (t[lp + k1]! - t[lp]!) / prod;
      lp++;
    }
  }
  return b;
}

/** The smoothing spline with fixed knots for smoothing weight p (Givens rotations of the jump rows into the LS triangle). */
function smoothWithP(ls: Lsq, b: Float64Array[], n: number, k: number, p: number): Float64Array {
  const k1 = k + 1, k2 = k + 2, nk1 = n - k1, n8 = n - 2 * k1;
  const g = ls.a.map((row) => { const r = new Float64Array(k2 + 1); r.set(row.subarray(0, k1 + 1)); return r; });
  const c = Float64Array.from(ls.z);
  const pinv = 1 / p;
  const h = new Float64Array(k2 + 2);
  for (let it = 1; it <= n8; it++) {
    for (let i = 1; i <= k2; i++) h[i] = b[it]![i]! * pinv;
    let yi = 0;
    for (let j = it; j <= nk1; j++) {
      const [cs, sn, dd] = givens(h[1]!, g[j]![1]!);
      g[j]![1] = dd;
      const cj = c[j]!;
      c[j] = cs * cj + sn * yi;
      yi = cs * yi - sn * cj;
      if (j === nk1) break;
      const i2 = j > n8 ? nk1 - j : k1;
      for (let i = 1; i <= i2; i++) {
        const hv = h[i + 1]!, gv = g[j]![i + 1]!;
        g[j]![i + 1] = cs * gv + sn * hv;
        h[i] = cs * hv - sn * gv;
      }
      h[i2 + 1] = 0;
    }
  }
  return backSub(g, c, nk1, k2);
}

function sumSq(r: Float64Array): number {
  let s = 0;
  for (let i = 1; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
}

/** Rational interpolation for the next p (Dierckx, "fprati"); updates the bracket in place. */
function nextP(br: { p1: number; f1: number; p3: number; f3: number }, p2: number, f2: number): number {
  const { p1, f1, p3, f3 } = br;
  let p: number;
  if (p3 <= 0) p = (p1 * (f1 - f3) * f2 - p2 * (f2 - f3) * f1) / ((f1 - f2) * f3);
  else {
    const h1 = f1 * (f2 - f3), h2 = f2 * (f3 - f1), h3 = f3 * (f1 - f2);
    p = -(p1 * p2 * h3 + p2 * p3 * h1 + p3 * p1 * h2) / (p1 * h1 + p2 * h2 + p3 * h3);
  }
  if (f2 < 0) { br.p3 = p2; br.f3 = f2; } else { br.p1 = p2; br.f1 = f2; }
  return p;
}

/**
 * Fit a smoothing spline of degree k to (x, y) (x strictly increasing, unit
 * weights) with smoothing factor s > 0.
 */
export function smoothingSpline(x: ArrayLike<number>, y: ArrayLike<number>, s: number, k = 3): Spline {
  const m = x.length;
  if (m <= k || y.length !== m) throw new RangeError(`smoothing spline: need more than ${k} points (got ${m}, ${y.length})`);
  if (!(s > 0)) throw new RangeError('smoothing spline: s must be > 0');
  const k1 = k + 1, nmin = 2 * k1, nmax = m + k1, acc = TOL * s;
  const st: KnotState = { t: new Float64Array(nmax + 2), n: nmin, nrint: 1, fpint: new Float64Array(nmax + 2), nrdata: new Int32Array(nmax + 2) };
  st.nrdata[1] = m - 2;
  let fp0 = 0, fpold = 0, nplus = 0, first = true;
  let ls: Lsq | undefined;
  const xb = x[0]!, xe = x[m - 1]!;
  for (let iter = 1; iter <= m; iter++) {
    const isPoly = st.n === nmin;
    st.nrint = st.n - nmin + 1;
    for (let j = 1; j <= k1; j++) { st.t[j] = xb; st.t[st.n - j + 1] = xe; }
    ls = leastSquares(x, y, st.t, st.n, k);
    if (isPoly) fp0 = ls.fp;
    const fpms = ls.fp - s;
    if (Math.abs(fpms) < acc) return result(st, ls.c, k, ls.fp);
    if (fpms < 0) {
      if (isPoly) return result(st, ls.c, k, ls.fp);
      return pIteration(x, y, st, k, ls, fp0 - s, fpms, s);
    }
    if (st.n === nmax) throw new RangeError('smoothing spline: s too small (interpolating spline reached)');
    if (first || isPoly) { nplus = 1; first = false; } else {
      let npl1 = nplus * 2;
      if (fpold - ls.fp > acc) npl1 = Math.trunc((nplus * fpms) / (fpold - ls.fp));
      nplus = Math.min(nplus * 2, Math.max(npl1, Math.trunc(nplus / 2), 1));
    }
    fpold = ls.fp;
    intervalSums(x, y, st, k, ls);
    for (let l = 1; l <= nplus; l++) {
      addKnot(x, st);
      if (st.n === nmax) throw new RangeError('smoothing spline: s too small (interpolating spline reached)');
    }
  }
  throw new RangeError('smoothing spline: knot search did not converge');
}

/** Residual sums per knot interval; a point on a knot counts half to each side. */
function intervalSums(x: ArrayLike<number>, y: ArrayLike<number>, st: KnotState, k: number, ls: Lsq): void {
  const r = residuals(x, y, st.t, st.n, k, ls.c, ls.q);
  const k2 = k + 2, nk1 = st.n - k - 1;
  let fpart = 0, i = 1, l = k2;
  for (let it = 1; it <= x.length; it++) {
    let isNew = false;
    if (!(x[it - 1]! < st.t[l]! || l > nk1)) { isNew = true; l++; }
    const term = r[it]! * r[it]!;
    fpart += term;
    if (isNew) {
      const store = term * 0.5;
      st.fpint[i] = fpart - store;
      i++;
      fpart = store;
    }
  }
  st.fpint[st.nrint] = fpart;
}

function pIteration(x: ArrayLike<number>, y: ArrayLike<number>, st: KnotState, k: number, ls: Lsq, f1: number, f3: number, s: number): Spline {
  const acc = TOL * s, nk1 = st.n - k - 1;
  const b = derivativeJumps(st.t, st.n, k);
  const br = { p1: 0, f1, p3: -1, f3 };
  let p = 0;
  for (let i = 1; i <= nk1; i++) p += ls.a[i]![1]!;
  p = nk1 / p;
  let ich1 = false, ich3 = false;
  let c = ls.c, fp = ls.fp;
  for (let iter = 1; iter <= MAXIT; iter++) {
    c = smoothWithP(ls, b, st.n, k, p);
    fp = sumSq(residuals(x, y, st.t, st.n, k, c, ls.q));
    const f2 = fp - s;
    if (Math.abs(f2) < acc || iter === MAXIT) break;
    const p2 = p;
    if (!ich3) {
      if (!(f2 - br.f3 > acc)) {
        br.p3 = p2; br.f3 = f2; p *= 0.04;
        if (p <= br.p1) p = br.p1 * 0.9 + p2 * 0.1;
        continue;
      }
      if (f2 < 0) ich3 = true;
    }
    if (!ich1) {
      if (!(br.f1 - f2 > acc)) {
        br.p1 = p2; br.f1 = f2; p /= 0.04;
        if (br.p3 < 0) continue;
        if (p >= br.p3) p = p2 * 0.1 + br.p3 * 0.9;
        continue;
      }
      if (f2 > 0) ich1 = true;
    }
    if (f2 >= br.f1 || f2 <= br.f3) break;
    p = nextP(br, p2, f2);
  }
  return result(st, c, k, fp);
}

function result(st: KnotState, c1: Float64Array, k: number, fp: number): Spline {
  const n = st.n;
  return { t: Array.from(st.t.subarray(1, n + 1)), c: Array.from(c1.subarray(1, n - k)), k, fp };
}

/** Evaluate a spline at x (inside [t_k, t_{n-k-1}]; outside it extrapolates the end polynomials). */
export function evalSpline(sp: Spline, x: number): number {
  const { k } = sp;
  const n = sp.t.length, k1 = k + 1, nk1 = n - k1;
  const t = new Float64Array(n + 1);
  t.set(sp.t, 1);
  let l = k1;
  while (l < nk1 && x >= t[l + 1]!) l++;
  const h = bsplines(t, k, x, l);
  let v = 0;
  for (let j = 1; j <= k1; j++) v += sp.c[l - k1 + j - 1]! * h[j]!;
  return v;
}
