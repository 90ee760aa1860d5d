/**
 * Box extraction of one 2-D spectral image with optional background fit
 * (jwst docs, extract_1d "Box extraction" and "Background subtraction"):
 * background per dispersion element as the median of the background pixels
 * (variance 1.2^2 times that of their mean, scaled to the aperture size) or
 * a least-squares polynomial in the cross-dispersion coordinate mapped to
 * [-1, 1] (variance propagated through the fit weights); the source is the
 * weighted sum of background-subtracted pixels; variances are sums of
 * weight^2 * variance. Arrays are in (cross, disp) order: c * ndisp + d.
 */
import type { BkgFit } from './reference.ts';

export interface PlaneInput {
  ncross: number;
  ndisp: number;
  data: Float64Array;
  varPoisson: Float64Array;
  varRnoise: Float64Array;
  varFlat: Float64Array;
}

export interface BackgroundSpec {
  weights: Float64Array;
  fit: BkgFit;
  order: number;
  smoothingLength: number;
}

/** Sums along the cross-dispersion axis, one value per dispersion element. */
export interface Extracted {
  flux: Float64Array;
  varPoisson: Float64Array;
  varRnoise: Float64Array;
  varFlat: Float64Array;
  background: Float64Array;
  bVarPoisson: Float64Array;
  bVarRnoise: Float64Array;
  bVarFlat: Float64Array;
  npixels: Float64Array;
}

interface Bkg2d {
  /** Background per pixel, (cross, disp). */
  image: Float64Array;
  vp: Float64Array; vr: Float64Array; vf: Float64Array;
}

/** Boxcar along the dispersion axis, edges extended, NaNs skipped (astropy convolve semantics). */
export function smoothDispersion(img: Float64Array, ncross: number, ndisp: number, len: number): Float64Array {
  if (len <= 1) return img;
  const h = (len - 1) / 2;
  const out = new Float64Array(img.length);
  for (let c = 0; c < ncross; c++) {
    for (let d = 0; d < ndisp; d++) {
      let s = 0;
      let n = 0;
      for (let k = -h; k <= h; k++) {
        const v = img[c * ndisp + Math.min(ndisp - 1, Math.max(0, d + k))];
        if (!Number.isNaN(v)) { s += v; n++; }
      }
      out[c * ndisp + d] = n > 0 ? s / n : NaN;
    }
  }
  return out;
}

function median(v: number[]): number {
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function medianBackground(p: PlaneInput, src: Float64Array, bg: BackgroundSpec, smooth: Float64Array): Bkg2d {
  const { ncross, ndisp } = p;
  const image = new Float64Array(ncross * ndisp);
  const vp = new Float64Array(ndisp); const vr = new Float64Array(ndisp); const vf = new Float64Array(ndisp);
  for (let d = 0; d < ndisp; d++) {
    const vals: number[] = [];
    let npix = 0;
    let nw = 0;
    for (let c = 0; c < ncross; c++) {
      const i = c * ndisp + d;
      npix += src[i];
      if (bg.weights[i] === 0) continue;
      if (!Number.isNaN(smooth[i])) vals.push(smooth[i]);
      if (Number.isFinite(p.data[i]) && Number.isFinite(p.varPoisson[i] + p.varRnoise[i] + p.varFlat[i])) nw++;
    }
    const m = median(vals);
    for (let c = 0; c < ncross; c++) image[c * ndisp + d] = m;
    let sp = 0; let sr = 0; let sf = 0;
    for (let c = 0; c < ncross && nw > 0; c++) {
      const i = c * ndisp + d;
      if (bg.weights[i] === 0 || !Number.isFinite(p.data[i]) || !Number.isFinite(p.varPoisson[i] + p.varRnoise[i] + p.varFlat[i])) continue;
      const pw2 = 1 / (nw * nw);
      sp += p.varPoisson[i] * pw2; sr += p.varRnoise[i] * pw2; sf += p.varFlat[i] * pw2;
    }
    const k = 1.2 * 1.2 * npix * npix;
    vp[d] = k * sp; vr[d] = k * sr; vf[d] = k * sf;
  }
  return { image, vp, vr, vf };
}

/** Invert a small symmetric matrix (Gauss-Jordan); undefined when (nearly) singular. */
export function invertSmall(m: number[][]): number[][] | undefined {
  const n = m.length;
  const a = m.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.flat().map(Math.abs));
  if (!(scale > 0)) return undefined;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
    if (Math.abs(a[piv][col]) < 1e-10 * scale) return undefined;
    [a[col], a[piv]] = [a[piv], a[col]];
    const f = a[col][col];
    for (let k = 0; k < 2 * n; k++) a[col][k] /= f;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const g = a[r][col];
      for (let k = 0; k < 2 * n; k++) a[r][k] -= g * a[col][k];
    }
  }
  return a.map((r) => r.slice(n));
}

function polyBackground(p: PlaneInput, src: Float64Array, bg: BackgroundSpec, smooth: Float64Array): Bkg2d {
  const { ncross, ndisp } = p;
  const npar = bg.order + 1;
  const y = Float64Array.from({ length: ncross }, (_, c) => (ncross > 1 ? -1 + (2 * c) / (ncross - 1) : -1));
  const basis = (c: number, k: number): number => y[c] ** k;
  const image = new Float64Array(ncross * ndisp);
  const vp = new Float64Array(ndisp); const vr = new Float64Array(ndisp); const vf = new Float64Array(ndisp);
  for (let d = 0; d < ndisp; d++) {
    const used = (c: number): boolean => {
      const i = c * ndisp + d;
      const w = Number.isFinite(p.varPoisson[i] + p.varRnoise[i] + p.varFlat[i]) && Number.isFinite(p.data[i]);
      return w && bg.weights[i] !== 0 && Number.isFinite(smooth[i]);
    };
    const M = Array.from({ length: npar }, () => new Array<number>(npar).fill(0));
    const v = new Array<number>(npar).fill(0);
    for (let c = 0; c < ncross; c++) {
      if (!used(c)) continue;
      for (let i = 0; i < npar; i++) {
        v[i] += basis(c, i) * smooth[c * ndisp + d];
        for (let k = 0; k < npar; k++) M[i][k] += basis(c, i) * basis(c, k);
      }
    }
    const cov = invertSmall(M);
    if (!cov) continue; // singular: background 0, as jwst does
    const coef = cov.map((row) => row.reduce((s, x, k) => s + x * v[k], 0));
    const bmat = new Array<number>(npar).fill(0);
    for (let c = 0; c < ncross; c++) {
      let b = 0;
      for (let k = 0; k < npar; k++) { b += coef[k] * basis(c, k); bmat[k] += basis(c, k) * src[c * ndisp + d]; }
      image[c * ndisp + d] = b;
    }
    for (let c = 0; c < ncross; c++) {
      if (!used(c)) continue;
      let tot = 0;
      for (let k = 0; k < npar; k++) {
        let pw = 0;
        for (let i = 0; i < npar; i++) pw += cov[k][i] * basis(c, i);
        tot += bmat[k] * pw;
      }
      const i = c * ndisp + d;
      const t2 = tot * tot;
      if (!Number.isNaN(p.varPoisson[i])) vp[d] += p.varPoisson[i] * t2;
      if (!Number.isNaN(p.varRnoise[i])) vr[d] += p.varRnoise[i] * t2;
      if (!Number.isNaN(p.varFlat[i])) vf[d] += p.varFlat[i] * t2;
    }
  }
  return { image, vp, vr, vf };
}

/**
 * Extract one plane. src: source aperture weights; bg: background aperture
 * and fit, or undefined for no background subtraction.
 */
export function extractPlane(p: PlaneInput, src: Float64Array, bg?: BackgroundSpec): Extracted {
  const { ncross, ndisp } = p;
  let b: Bkg2d | undefined;
  if (bg) {
    const smooth = smoothDispersion(p.data, ncross, ndisp, bg.smoothingLength);
    b = bg.fit === 'median' ? medianBackground(p, src, bg, smooth) : polyBackground(p, src, bg, smooth);
  }
  const out: Extracted = {
    flux: new Float64Array(ndisp), varPoisson: new Float64Array(ndisp), varRnoise: new Float64Array(ndisp), varFlat: new Float64Array(ndisp),
    background: new Float64Array(ndisp), bVarPoisson: new Float64Array(ndisp), bVarRnoise: new Float64Array(ndisp), bVarFlat: new Float64Array(ndisp),
    npixels: new Float64Array(ndisp),
  };
  for (let d = 0; d < ndisp; d++) {
    let f = 0; let n = 0; let vp = 0; let vr = 0; let vf = 0; let bk = 0;
    for (let c = 0; c < ncross; c++) {
      const i = c * ndisp + d;
      const w = src[i];
      if (w === 0) continue;
      const v = p.data[i] - (b ? b.image[i] : 0);
      if (!Number.isFinite(v)) continue;
      f += v * w; n += w;
      const w2 = w * w;
      if (!Number.isNaN(p.varPoisson[i])) vp += p.varPoisson[i] * w2;
      if (!Number.isNaN(p.varRnoise[i])) vr += p.varRnoise[i] * w2;
      if (!Number.isNaN(p.varFlat[i])) vf += p.varFlat[i] * w2;
      if (b) bk += b.image[i] * w;
    }
    out.flux[d] = Math.abs(n) < 1e-8 ? NaN : f;
    out.npixels[d] = n;
    out.background[d] = Number.isFinite(bk) ? bk : 0;
    if (b) {
      out.bVarPoisson[d] = b.vp[d]; out.bVarRnoise[d] = b.vr[d]; out.bVarFlat[d] = b.vf[d];
      vp += b.vp[d]; vr += b.vr[d]; vf += b.vf[d];
    }
    out.varPoisson[d] = vp; out.varRnoise[d] = vr; out.varFlat[d] = vf;
  }
  return out;
}
