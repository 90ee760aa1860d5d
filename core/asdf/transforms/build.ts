/**
 * TransformSpec -> an evaluable Transform. Semantics from the astropy.modeling
 * docs ("Combining models": `|` compose feeds outputs to inputs, `&`
 * concatenate splits inputs, arithmetic operators combine outputs of two
 * models given the same inputs; Mapping/Identity; analytic inverses of Shift,
 * Scale, Affine, Rotation2D, Mapping, Tabular1D, RotationSequence3D) and gwcs
 * (SphericalToCartesian). An inverse given in the file is used in preference.
 */
import { AsdfError } from '../../errors/index.ts';
import {
  cartToSph, celestialToNative, nativeToCelestial, tanPix2Sky, tanSky2Pix, domainMap, mapArray, poly1d, poly2d, rotateVectors, sequenceMatrix, sphToCart, tabular1d,
} from './leaf.ts';
import type { BinaryOp, Interval, TransformSpec } from './spec.ts';

/** An evaluable transform: columns in, columns out (all the same length). */
export interface Transform {
  readonly nInputs: number;
  readonly nOutputs: number;
  readonly name?: string;
  /** The JSON description it was built from (serialisable). */
  readonly spec: TransformSpec;
  /** Per input [low, high] when the file gives a bounding box. */
  readonly boundingBox?: readonly Interval[];
  /** Evaluate on columns (inputs[i] = i-th input for all points). Ignores the bounding box. */
  evaluate(inputs: readonly Float64Array[]): Float64Array[];
  /** Evaluate one point. */
  call(...values: number[]): number[];
  /** The inverse, when the file gives one or it is analytic; undefined otherwise. */
  readonly inverse: Transform | undefined;
}

function bad(msg: string): never {
  throw new AsdfError('asdf-transform', msg);
}

interface Core {
  nIn: number;
  nOut: number;
  ev: (x: readonly Float64Array[]) => Float64Array[];
  inv?: () => TransformSpec | undefined;
}

/** Build a transform from its spec. Throws AsdfError on inconsistent input/output counts. */
export function buildTransform(spec: TransformSpec): Transform {
  const c = coreOf(spec);
  let invCache: Transform | undefined | null = null;
  const t: Transform = {
    nInputs: c.nIn,
    nOutputs: c.nOut,
    name: spec.name,
    spec,
    boundingBox: spec.bounding_box,
    evaluate(inputs) {
      if (inputs.length !== c.nIn) bad(`${spec.type}${spec.name ? ` '${spec.name}'` : ''} takes ${c.nIn} inputs, got ${inputs.length}`);
      return c.ev(inputs);
    },
    call(...values) {
      return t.evaluate(values.map((v) => Float64Array.of(v))).map((a) => a[0]!);
    },
    get inverse() {
      if (invCache === null) {
        const s = spec.inverse ?? c.inv?.();
        invCache = s ? buildTransform(s) : undefined;
      }
      return invCache;
    },
  };
  return t;
}

const col = (n: number, v: number): Float64Array => new Float64Array(n).fill(v);
const len = (x: readonly Float64Array[]): number => (x.length ? x[0]!.length : 0);
const strip = (s: TransformSpec): TransformSpec => {
  const { name: _n, inverse: _i, bounding_box: _b, ...rest } = s;
  return rest as TransformSpec;
};

function coreOf(s: TransformSpec): Core {
  switch (s.type) {
    case 'compose': return compose(s.forward);
    case 'concatenate': return concat(s.forward);
    case 'add': case 'subtract': case 'multiply': case 'divide': case 'power': return binary(s.type, s.forward);
    case 'remap_axes': return remap(s.mapping, s.n_inputs);
    case 'identity': return { nIn: s.n_dims, nOut: s.n_dims, ev: (x) => [...x], inv: () => strip(s) };
    case 'shift': return unary((v) => v + s.offset, () => ({ type: 'shift', offset: -s.offset }));
    case 'scale': return unary((v) => v * s.factor, () => ({ type: 'scale', factor: 1 / s.factor }));
    case 'constant': return { nIn: s.dimensions, nOut: 1, ev: (x) => [col(len(x), s.value)] };
    case 'polynomial': return polynomial(s);
    case 'affine': return affine(s.matrix, s.translation);
    case 'rotate2d': return rotate2d(s.angle);
    case 'tabular': return tabular(s);
    case 'fix_inputs': return fixInputs(s.forward[0], s.keys, s.values);
    case 'spherical_cartesian': return sphCart(s.transform_type, s.wrap_lon_at);
    case 'rotate_sequence_3d': return rotSeq(s.angles, s.axes_order, s.rotation_type);
    case 'gnomonic': return gnomonic(s.direction);
    case 'rotate3d': return rotate3d(s.phi, s.theta, s.psi, s.direction);
  }
}

function unary(f: (v: number) => number, inv?: () => TransformSpec | undefined): Core {
  return { nIn: 1, nOut: 1, ev: (x) => [mapArray(x[0]!, f)], inv };
}

function compose(parts: readonly TransformSpec[]): Core {
  const ts = parts.map(buildTransform);
  if (ts.length === 0) bad('compose with no models');
  for (let i = 1; i < ts.length; i++) {
    if (ts[i - 1]!.nOutputs !== ts[i]!.nInputs) bad(`compose: model ${i - 1} has ${ts[i - 1]!.nOutputs} outputs but model ${i} takes ${ts[i]!.nInputs} inputs`);
  }
  return {
    nIn: ts[0]!.nInputs, nOut: ts[ts.length - 1]!.nOutputs,
    ev: (x) => ts.reduce<Float64Array[]>((acc, t) => t.evaluate(acc), [...x]),
    inv: () => {
      const inv = ts.map((t) => t.inverse);
      return inv.every(Boolean) ? { type: 'compose', forward: inv.reverse().map((t) => t!.spec) } : undefined;
    },
  };
}

function concat(parts: readonly TransformSpec[]): Core {
  const ts = parts.map(buildTransform);
  return {
    nIn: ts.reduce((a, t) => a + t.nInputs, 0), nOut: ts.reduce((a, t) => a + t.nOutputs, 0),
    ev: (x) => {
      const out: Float64Array[] = [];
      let k = 0;
      for (const t of ts) {
        out.push(...t.evaluate(x.slice(k, k + t.nInputs)));
        k += t.nInputs;
      }
      return out;
    },
    inv: () => {
      const inv = ts.map((t) => t.inverse);
      return inv.every(Boolean) ? { type: 'concatenate', forward: inv.map((t) => t!.spec) } : undefined;
    },
  };
}

const OPS: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b, subtract: (a, b) => a - b, multiply: (a, b) => a * b, divide: (a, b) => a / b, power: (a, b) => a ** b,
};

function binary(op: BinaryOp, parts: readonly [TransformSpec, TransformSpec]): Core {
  const [a, b] = parts.map(buildTransform) as [Transform, Transform];
  if (a.nInputs !== b.nInputs || a.nOutputs !== b.nOutputs) bad(`${op}: operands differ in inputs/outputs (${a.nInputs}->${a.nOutputs} vs ${b.nInputs}->${b.nOutputs})`);
  const f = OPS[op];
  return {
    nIn: a.nInputs, nOut: a.nOutputs,
    ev: (x) => {
      const ra = a.evaluate(x), rb = b.evaluate(x);
      return ra.map((ca, k) => {
        const cb = rb[k]!;
        const out = new Float64Array(ca.length);
        for (let i = 0; i < ca.length; i++) out[i] = f(ca[i]!, cb[i]!);
        return out;
      });
    },
  };
}

function remap(mapping: readonly number[], nIn: number): Core {
  if (mapping.some((m) => m < 0 || m >= nIn)) bad(`remap_axes: mapping ${JSON.stringify(mapping)} refers past ${nIn} inputs`);
  return {
    nIn, nOut: mapping.length,
    ev: (x) => mapping.map((m) => x[m]!),
    // astropy Mapping.inverse: for each input, the first output carrying it.
    inv: () => {
      const back = Array.from({ length: nIn }, (_, i) => mapping.indexOf(i));
      return back.every((b) => b >= 0) ? { type: 'remap_axes', mapping: back, n_inputs: mapping.length } : undefined;
    },
  };
}

function polynomial(s: Extract<TransformSpec, { type: 'polynomial' }>): Core {
  const c = s.coefficients;
  if (c.length > 0 && Array.isArray(c[0])) {
    const cc = c as readonly (readonly number[])[];
    const mx = domainMap(s.x_domain, s.x_window), my = domainMap(s.y_domain, s.y_window);
    return {
      nIn: 2, nOut: 1,
      ev: (x) => [Float64Array.from(x[0]!, (v, i) => poly2d(cc, mx(v), my(x[1]![i]!)))],
    };
  }
  const c1 = c as readonly number[];
  const m = domainMap(s.domain, s.window);
  return unary((v) => poly1d(c1, m(v)));
}

function affine(m: readonly (readonly number[])[], t: readonly number[]): Core {
  const [a, b] = m[0]!, [c, d] = m[1]!;
  return {
    nIn: 2, nOut: 2,
    ev: (x) => {
      const n = len(x), ox = new Float64Array(n), oy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const u = x[0]![i]!, v = x[1]![i]!;
        ox[i] = a! * u + b! * v + t[0]!;
        oy[i] = c! * u + d! * v + t[1]!;
      }
      return [ox, oy];
    },
    inv: () => {
      const det = a! * d! - b! * c!;
      if (det === 0) return undefined;
      const im = [[d! / det, -b! / det], [-c! / det, a! / det]];
      return { type: 'affine', matrix: im, translation: [-(im[0]![0]! * t[0]! + im[0]![1]! * t[1]!), -(im[1]![0]! * t[0]! + im[1]![1]! * t[1]!)] };
    },
  };
}

function rotate2d(angle: number): Core {
  const r = (angle * Math.PI) / 180, c = Math.cos(r), s = Math.sin(r);
  return {
    nIn: 2, nOut: 2,
    ev: (x) => [Float64Array.from(x[0]!, (u, i) => u * c - x[1]![i]! * s), Float64Array.from(x[0]!, (u, i) => u * s + x[1]![i]! * c)],
    inv: () => ({ type: 'rotate2d', angle: -angle }),
  };
}

function tabular(s: Extract<TransformSpec, { type: 'tabular' }>): Core {
  if (s.points.length !== 1) bad(`tabular: ${s.points.length}-D lookup tables are not supported`);
  const pts = s.points[0]!;
  if (pts.length !== s.lookup_table.length) bad(`tabular: ${pts.length} points for ${s.lookup_table.length} table values`);
  const f = tabular1d(pts, s.lookup_table, s.method, s.bounds_error, s.fill_value);
  return unary(f, () => {
    // astropy Tabular1D.inverse: swap points and table when the table is strictly monotonic.
    const lt = s.lookup_table;
    const inc = lt.every((v, i) => i === 0 || v > lt[i - 1]!);
    const dec = lt.every((v, i) => i === 0 || v < lt[i - 1]!);
    if (!inc && !dec) return undefined;
    const p = inc ? [...lt] : [...lt].reverse();
    const tb = inc ? [...pts] : [...pts].reverse();
    return { type: 'tabular', points: [p], lookup_table: tb, method: s.method, bounds_error: s.bounds_error, fill_value: s.fill_value };
  });
}

function fixInputs(inner: TransformSpec, keys: readonly number[], values: readonly number[]): Core {
  const t = buildTransform(inner);
  const free = Array.from({ length: t.nInputs }, (_, i) => i).filter((i) => !keys.includes(i));
  return {
    nIn: free.length, nOut: t.nOutputs,
    ev: (x) => {
      const n = len(x);
      const full: Float64Array[] = new Array(t.nInputs);
      free.forEach((fi, k) => (full[fi] = x[k]!));
      keys.forEach((ki, k) => (full[ki] = col(n, values[k]!)));
      return t.evaluate(full);
    },
  };
}

function sphCart(tt: 'spherical_to_cartesian' | 'cartesian_to_spherical', wrap: number): Core {
  const other = tt === 'spherical_to_cartesian' ? 'cartesian_to_spherical' : 'spherical_to_cartesian';
  const inv = (): TransformSpec => ({ type: 'spherical_cartesian', transform_type: other, wrap_lon_at: wrap });
  return tt === 'spherical_to_cartesian'
    ? { nIn: 2, nOut: 3, ev: (x) => sphToCart(x[0]!, x[1]!), inv }
    : { nIn: 3, nOut: 2, ev: (x) => cartToSph(x[0]!, x[1]!, x[2]!, wrap), inv };
}

function rotSeq(angles: readonly number[], axes: string, rt: 'cartesian' | 'spherical'): Core {
  const m = sequenceMatrix(angles, axes);
  const inv = (): TransformSpec => ({ type: 'rotate_sequence_3d', angles: angles.map((a) => -a).reverse(), axes_order: [...axes].reverse().join(''), rotation_type: rt });
  if (rt === 'cartesian') return { nIn: 3, nOut: 3, ev: (x) => rotateVectors(m, x[0]!, x[1]!, x[2]!), inv };
  return {
    nIn: 2, nOut: 2,
    ev: (x) => {
      const [cx, cy, cz] = sphToCart(x[0]!, x[1]!) as [Float64Array, Float64Array, Float64Array];
      const [rx, ry, rz] = rotateVectors(m, cx, cy, cz) as [Float64Array, Float64Array, Float64Array];
      return cartToSph(rx, ry, rz, 360);
    },
    inv,
  };
}

/** Set outputs to NaN where any input lies outside the transform's bounding box (gwcs with_bounding_box). */
export function evaluateInBox(t: Transform, inputs: readonly Float64Array[]): Float64Array[] {
  const bb = t.boundingBox;
  const raw = t.evaluate(inputs);
  if (!bb) return raw;
  const out = raw.map((o, k) => (inputs.includes(o) || raw.indexOf(o) !== k ? Float64Array.from(o) : o));
  const n = len([...inputs]);
  for (let i = 0; i < n; i++) {
    let inside = true;
    for (let k = 0; k < bb.length && inside; k++) {
      const v = inputs[k]![i]!;
      if (!(v >= bb[k]![0] && v <= bb[k]![1])) inside = false;
    }
    if (!inside) for (const o of out) o[i] = NaN;
  }
  return out;
}

function gnomonic(direction: 'pix2sky' | 'sky2pix'): Core {
  const f = direction === 'pix2sky' ? tanPix2Sky : tanSky2Pix;
  return {
    nIn: 2, nOut: 2, ev: (x) => f(x[0]!, x[1]!),
    inv: () => ({ type: 'gnomonic', direction: direction === 'pix2sky' ? 'sky2pix' : 'pix2sky' }),
  };
}

function rotate3d(phi: number, theta: number, psi: number, direction: 'native2celestial' | 'celestial2native'): Core {
  const f = direction === 'native2celestial' ? nativeToCelestial : celestialToNative;
  return {
    nIn: 2, nOut: 2, ev: (x) => f(x[0]!, x[1]!, phi, theta, psi),
    inv: () => ({ type: 'rotate3d', phi, theta, psi, direction: direction === 'native2celestial' ? 'celestial2native' : 'native2celestial' }),
  };
}
