/**
 * Elementwise kernels of the simple astropy models (astropy.modeling docs:
 * Shift, Scale, Polynomial1D/2D with domain/window, AffineTransformation2D,
 * Rotation2D, Tabular1D, SphericalToCartesian/CartesianToSpherical (gwcs),
 * RotationSequence3D). All work on Float64Array columns of equal length.
 */
import type { Interval } from './spec.ts';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

export function mapArray(a: Float64Array, f: (v: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
  return out;
}

/** astropy poly_map_domain: x -> off + scl * x mapping `domain` onto `window`. */
export function domainMap(domain?: Interval, window?: Interval): (x: number) => number {
  if (!domain || !window || (domain[0] === window[0] && domain[1] === window[1])) return (x) => x;
  const scl = (window[1] - window[0]) / (domain[1] - domain[0]);
  const off = (window[0] * domain[1] - window[1] * domain[0]) / (domain[1] - domain[0]);
  return (x) => off + scl * x;
}

/** sum c[i] x^i by Horner's rule. */
export function poly1d(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + c[i]!;
  return r;
}

/** sum c[i][j] x^i y^j over i + j <= degree (degree = rows - 1). */
export function poly2d(c: readonly (readonly number[])[], x: number, y: number): number {
  const deg = c.length - 1;
  let r = 0;
  for (let i = deg; i >= 0; i--) {
    const row = c[i]!;
    let inner = 0;
    for (let j = deg - i; j >= 0; j--) inner = inner * y + (row[j] ?? 0);
    r = r * x + inner;
  }
  return r;
}

/**
 * 1-D linear/nearest lookup on strictly monotonic `points` (either direction),
 * as scipy's interpn does for astropy Tabular1D. Outside: fill (NaN for null)
 * or a RangeError when boundsError.
 */
export function tabular1d(points: readonly number[], table: readonly number[], method: 'linear' | 'nearest',
  boundsError: boolean, fill: number | null): (x: number) => number {
  const n = points.length;
  const desc = n > 1 && points[0]! > points[n - 1]!;
  const p = desc ? [...points].reverse() : points;
  const t = desc ? [...table].reverse() : table;
  const lo = p[0]!, hi = p[n - 1]!;
  const fv = fill === null ? NaN : fill;
  return (x) => {
    if (Number.isNaN(x)) return NaN;
    if (x < lo || x > hi) {
      if (boundsError) throw new RangeError(`tabular: ${x} is outside [${lo}, ${hi}]`);
      return fv;
    }
    // binary search: largest i with p[i] <= x, i in [0, n-2]
    let a = 0, b = n - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (p[m]! <= x) a = m; else b = m;
    }
    if (n === 1) return t[0]!;
    const frac = (x - p[a]!) / (p[a + 1]! - p[a]!);
    if (method === 'nearest') return frac <= 0.5 ? t[a]! : t[a + 1]!;
    return t[a]! * (1 - frac) + t[a + 1]! * frac;
  };
}

/** (lon, lat) degrees -> unit vector. */
export function sphToCart(lon: Float64Array, lat: Float64Array): Float64Array[] {
  const n = lon.length;
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = lon[i]! * D2R, la = lat[i]! * D2R;
    const cs = Math.cos(la);
    x[i] = cs * Math.cos(lo);
    y[i] = cs * Math.sin(lo);
    z[i] = Math.sin(la);
  }
  return [x, y, z];
}

/** Vector -> (lon, lat) degrees; lon wrapped to [0, 360) (wrap 360) or (-180, 180] (wrap 180). */
export function cartToSph(x: Float64Array, y: Float64Array, z: Float64Array, wrapAt: number): Float64Array[] {
  const n = x.length;
  const lon = new Float64Array(n), lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = Math.hypot(x[i]!, y[i]!);
    lat[i] = Math.atan2(z[i]!, h) * R2D;
    let l = Math.atan2(y[i]!, x[i]!) * R2D;
    if (wrapAt === 360) l = ((l % 360) + 360) % 360;
    else if (l > 180) l -= 360;
    else if (l <= -180) l += 360;
    lon[i] = l;
  }
  return [lon, lat];
}

/** The 3x3 matrix of one frame rotation about a cartesian axis (astropy rotation_matrix convention). */
function axisMatrix(angleDeg: number, axis: string): number[][] {
  const a = angleDeg * D2R;
  const c = Math.cos(a), s = Math.sin(a);
  if (axis === 'x') return [[1, 0, 0], [0, c, s], [0, -s, c]];
  if (axis === 'y') return [[c, 0, -s], [0, 1, 0], [s, 0, c]];
  if (axis === 'z') return [[c, s, 0], [-s, c, 0], [0, 0, 1]];
  throw new RangeError(`rotation axis must be x, y or z, got ${JSON.stringify(axis)}`);
}

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2].map((j) => row[0]! * b[0]![j]! + row[1]! * b[1]![j]! + row[2]! * b[2]![j]!));
}

/** Combined matrix of rotations applied in sequence: M = R_n ... R_2 R_1. */
export function sequenceMatrix(angles: readonly number[], axes: string): number[][] {
  if (angles.length !== axes.length) throw new RangeError(`rotate_sequence_3d: ${angles.length} angles for axes ${axes}`);
  let m: number[][] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let i = 0; i < angles.length; i++) m = matmul(axisMatrix(angles[i]!, axes[i]!), m);
  return m;
}

export function rotateVectors(m: number[][], x: Float64Array, y: Float64Array, z: Float64Array): Float64Array[] {
  const n = x.length;
  const ox = new Float64Array(n), oy = new Float64Array(n), oz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = x[i]!, b = y[i]!, c = z[i]!;
    ox[i] = m[0]![0]! * a + m[0]![1]! * b + m[0]![2]! * c;
    oy[i] = m[1]![0]! * a + m[1]![1]! * b + m[1]![2]! * c;
    oz[i] = m[2]![0]! * a + m[2]![1]! * b + m[2]![2]! * c;
  }
  return [ox, oy, oz];
}

/** TAN projection plane (x, y) deg -> native (phi, theta) deg (FITS WCS Paper II, zenithal: R = 180/pi cot theta). */
export function tanPix2Sky(x: Float64Array, y: Float64Array): Float64Array[] {
  const n = x.length, phi = new Float64Array(n), th = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.hypot(x[i]!, y[i]!);
    phi[i] = Math.atan2(x[i]!, -y[i]!) * R2D;
    th[i] = Math.atan2(R2D, r) * R2D;
  }
  return [phi, th];
}

/** Native (phi, theta) deg -> TAN projection plane (x, y) deg. */
export function tanSky2Pix(phi: Float64Array, theta: Float64Array): Float64Array[] {
  const n = phi.length, x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = R2D / Math.tan(theta[i]! * D2R);
    x[i] = r * Math.sin(phi[i]! * D2R);
    y[i] = -r * Math.cos(phi[i]! * D2R);
  }
  return [x, y];
}

/** Spherical rotation of (a, b) by the pole (ap, dp) and native pole longitude pp (Paper II eq. 2); output lon in [0, 360). */
function sphRotate(a: Float64Array, b: Float64Array, ap: number, dp: number, pp: number, lonOut: (v: number) => number): Float64Array[] {
  const n = a.length, lo = new Float64Array(n), la = new Float64Array(n);
  const sd = Math.sin(dp * D2R), cd = Math.cos(dp * D2R);
  for (let i = 0; i < n; i++) {
    const dphi = (a[i]! - pp) * D2R, t = b[i]! * D2R;
    const st = Math.sin(t), ct = Math.cos(t);
    const l = ap + Math.atan2(-ct * Math.sin(dphi), st * cd - ct * sd * Math.cos(dphi)) * R2D;
    lo[i] = lonOut(l);
    la[i] = Math.asin(Math.max(-1, Math.min(1, st * sd + ct * cd * Math.cos(dphi)))) * R2D;
  }
  return [lo, la];
}

const wrap360 = (v: number): number => ((v % 360) + 360) % 360;

/** Native (phi, theta) -> celestial (alpha, delta), deg; pole at (alpha_p, delta_p), native pole longitude phi_p. */
export function nativeToCelestial(phi: Float64Array, theta: Float64Array, alphaP: number, deltaP: number, phiP: number): Float64Array[] {
  return sphRotate(phi, theta, alphaP, deltaP, phiP, wrap360);
}

/** Celestial (alpha, delta) -> native (phi, theta), deg; native longitude in (-180, 180]. */
export function celestialToNative(alpha: Float64Array, delta: Float64Array, alphaP: number, deltaP: number, phiP: number): Float64Array[] {
  return sphRotate(alpha, delta, phiP, deltaP, alphaP, (v) => { const w = wrap360(v); return w > 180 ? w - 360 : w; });
}
