/**
 * TransformSpec -> ASDF transform nodes (Tagged), the inverse of specFromAsdf.
 *
 * Tags and versions are those of the transform-1.7.0 manifest
 * (asdf-transform-schemas) and the gwcs-1.4.0 extension, as jwst 3.0 /
 * asdf-astropy 0.11 write them (checked against the golden LRS calints and
 * the stdatamodels zoo files in /work/shared/golden): compose-1.4.0,
 * concatenate-1.4.0, remap_axes-1.5.0, shift-1.4.0, polynomial-1.3.0, ...,
 * gwcs/spherical_cartesian-1.3.0, property/bounding_box-1.2.0.
 *
 * asdf-astropy reads only forward[0] and forward[1] of an operator node, so
 * n-ary compose/concatenate specs are written as left-nested binary nodes
 * (astropy's `a | b | c` is `(a | b) | c`). Every node carries `inputs` and
 * `outputs` named as astropy names them (astropy.modeling docs, "Combining
 * models": `|` keeps the left inputs and the right outputs, `&` joins the
 * labels and suffixes 0/1 when they clash, arithmetic keeps the left labels),
 * so the bounding box, keyed by input name, refers to the right inputs.
 */
import { AsdfError } from '../../errors/index.ts';
import { ndarray, type NDArray } from '../../ndarray/index.ts';
import { markFloat, Tagged } from '../scalars.ts';
import { buildTransform } from './build.ts';
import type { Interval, TransformSpec } from './spec.ts';

const T = 'tag:stsci.edu:asdf/transform/';

/** The tag each spec type is written with. */
export const TRANSFORM_TAGS: Readonly<Record<TransformSpec['type'], string>> = {
  compose: `${T}compose-1.4.0`,
  concatenate: `${T}concatenate-1.4.0`,
  add: `${T}add-1.4.0`,
  subtract: `${T}subtract-1.4.0`,
  multiply: `${T}multiply-1.4.0`,
  divide: `${T}divide-1.4.0`,
  power: `${T}power-1.4.0`,
  remap_axes: `${T}remap_axes-1.5.0`,
  identity: `${T}identity-1.4.0`,
  shift: `${T}shift-1.4.0`,
  scale: `${T}scale-1.4.0`,
  constant: `${T}constant-1.6.0`,
  polynomial: `${T}polynomial-1.3.0`,
  affine: `${T}affine-1.5.0`,
  rotate2d: `${T}rotate2d-1.5.0`,
  tabular: `${T}tabular-1.4.0`,
  fix_inputs: `${T}fix_inputs-1.4.0`,
  spherical_cartesian: 'tag:stsci.edu:gwcs/spherical_cartesian-1.3.0',
  gnomonic: `${T}gnomonic-1.4.0`,
  rotate3d: `${T}rotate3d-1.5.0`,
  rotate_sequence_3d: `${T}rotate_sequence_3d-1.2.0`,
};
export const BOUNDING_BOX_TAG = `${T}property/bounding_box-1.2.0`;

/** A written node with astropy's input and output labels. */
export interface AsdfTransformNode {
  readonly node: Tagged;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

type Body = Record<string, unknown>;

function fail(path: string, msg: string): never {
  throw new AsdfError('asdf-transform-write', `cannot write transform: ${msg} (at ${path || '/'})`);
}

/** Set body[key] = v and remember it is a float (so 37 is written 37.0, as astropy does). */
function flt(body: Body, key: string, v: number): void {
  body[key] = v;
  markFloat(body, key);
}

const f64 = (values: readonly number[], shape: readonly number[] = [values.length]): NDArray => ndarray(Float64Array.from(values), shape);
const xs = (n: number, p = 'x'): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

/** astropy's label join for `&`: suffix 0 (left) and 1 (right) when the two sides share a label. */
export function combineLabels(left: readonly string[], right: readonly string[]): string[] {
  if (!left.some((l) => right.includes(l))) return [...left, ...right];
  return [...left.map((l) => `${l}0`), ...right.map((r) => `${r}1`)];
}

/**
 * Serialise a TransformSpec to ASDF. Validates it first (buildTransform:
 * input/output counts) and throws AsdfError('asdf-transform-write') naming the
 * path for a spec that would otherwise be written wrong.
 */
export function specToAsdf(spec: TransformSpec): Tagged {
  try {
    buildTransform(spec);
  } catch (e) {
    fail('', (e as Error).message);
  }
  return new Writer().write(spec, '').node;
}

class Writer {
  /** The same spec object gives the same node (written once, then as a YAML alias). */
  private readonly done = new WeakMap<object, AsdfTransformNode>();

  write(spec: TransformSpec, path: string): AsdfTransformNode {
    const hit = this.done.get(spec);
    if (hit) return hit;
    const out = this.withCommon(spec, path);
    this.done.set(spec, out);
    return out;
  }

  private withCommon(spec: TransformSpec, path: string): AsdfTransformNode {
    const core = this.core(spec, path);
    const body = core.node.value as Body;
    if (spec.name !== undefined) body.name = spec.name;
    if (spec.bounding_box) body.bounding_box = boundingBox(spec.bounding_box, core.inputs, path);
    if (spec.inverse) body.inverse = this.write(spec.inverse, `${path}/inverse`).node;
    return core;
  }

  private core(s: TransformSpec, path: string): AsdfTransformNode {
    switch (s.type) {
      case 'compose': case 'concatenate':
        return this.nary(s.type, s.forward, path);
      case 'add': case 'subtract': case 'multiply': case 'divide': case 'power': {
        if (s.forward.length !== 2) fail(path, `${s.type} needs 2 operands, got ${s.forward.length}`);
        const [a, b] = s.forward.map((c, i) => this.write(c, `${path}/forward/${i}`)) as [AsdfTransformNode, AsdfTransformNode];
        return node(s.type, { forward: [a.node, b.node] }, a.inputs, a.outputs);
      }
      case 'fix_inputs': {
        const inner = this.write(s.forward[0], `${path}/forward/0`);
        if (s.keys.length !== s.values.length) fail(path, `fix_inputs: ${s.keys.length} keys for ${s.values.length} values`);
        const kv: Body = { keys: [...s.keys], values: [...s.values] };
        s.values.forEach((_, i) => markFloat(kv.values as number[], i));
        return node('fix_inputs', { forward: [inner.node, kv] }, inner.inputs.filter((_, i) => !s.keys.includes(i)), inner.outputs);
      }
      default:
        return leaf(s, path);
    }
  }

  /** compose/concatenate of n parts as left-nested binary nodes; the outermost node is returned. */
  private nary(type: 'compose' | 'concatenate', parts: readonly TransformSpec[], path: string): AsdfTransformNode {
    if (parts.length === 0) fail(path, `${type} with no models`);
    const written = parts.map((c, i) => this.write(c, `${path}/forward/${i}`));
    if (written.length === 1) {
      // A one-model compound is the model itself; a copy of its own carries name/bbox/inverse.
      return copyNode(written[0]!);
    }
    let acc = written[0]!;
    for (let i = 1; i < written.length; i++) {
      const r = written[i]!;
      acc = type === 'compose'
        ? node('compose', { forward: [acc.node, r.node] }, acc.inputs, r.outputs)
        : node('concatenate', { forward: [acc.node, r.node] }, combineLabels(acc.inputs, r.inputs), combineLabels(acc.outputs, r.outputs));
    }
    return acc;
  }
}

function copyNode(n: AsdfTransformNode): AsdfTransformNode {
  return { node: new Tagged(n.node.tag, { ...(n.node.value as Body) }), inputs: n.inputs, outputs: n.outputs };
}

/** A node with its labels: body keys first, then inputs/outputs (key order is cosmetic). */
function node(type: TransformSpec['type'], body: Body, inputs: readonly string[], outputs: readonly string[]): AsdfTransformNode {
  body.inputs = [...inputs];
  body.outputs = [...outputs];
  return { node: new Tagged(TRANSFORM_TAGS[type], body), inputs, outputs };
}

function leaf(s: TransformSpec, path: string): AsdfTransformNode {
  const b: Body = {};
  switch (s.type) {
    case 'remap_axes': {
      b.mapping = [...s.mapping];
      if (s.n_inputs !== Math.max(-1, ...s.mapping) + 1) b.n_inputs = s.n_inputs;
      return node(s.type, b, xs(s.n_inputs), xs(s.mapping.length));
    }
    case 'identity':
      if (s.n_dims !== 1) b.n_dims = s.n_dims;
      return node(s.type, b, xs(s.n_dims), xs(s.n_dims));
    case 'shift': flt(b, 'offset', s.offset); return node(s.type, b, ['x'], ['y']);
    case 'scale': flt(b, 'factor', s.factor); return node(s.type, b, ['x'], ['y']);
    case 'constant': {
      b.dimensions = s.dimensions;
      flt(b, 'value', s.value);
      if (s.dimensions === 1) return node(s.type, b, ['x'], ['y']);
      if (s.dimensions === 2) return node(s.type, b, ['x', 'y'], ['z']);
      return fail(path, `constant with ${s.dimensions} dimensions`);
    }
    case 'polynomial': return polynomial(s, b, path);
    case 'affine': {
      const m = s.matrix, t = s.translation;
      if (m.length !== 2 || m.some((r) => r.length !== 2) || t.length !== 2) fail(path, 'affine: only 2x2 matrices are supported');
      b.matrix = f64([...m[0]!, ...m[1]!], [2, 2]);
      b.translation = f64(t);
      return node(s.type, b, ['x', 'y'], ['x', 'y']);
    }
    case 'rotate2d': flt(b, 'angle', s.angle); return node(s.type, b, ['x', 'y'], ['x', 'y']);
    case 'tabular': return tabular(s, b, path);
    case 'spherical_cartesian':
      b.transform_type = s.transform_type;
      b.wrap_lon_at = s.wrap_lon_at;
      return s.transform_type === 'spherical_to_cartesian' ? node(s.type, b, ['lon', 'lat'], ['x', 'y', 'z']) : node(s.type, b, ['x', 'y', 'z'], ['lon', 'lat']);
    case 'gnomonic':
      b.direction = s.direction;
      return s.direction === 'pix2sky' ? node(s.type, b, ['x', 'y'], ['phi', 'theta']) : node(s.type, b, ['phi', 'theta'], ['x', 'y']);
    case 'rotate3d': {
      b.direction = s.direction;
      flt(b, 'phi', s.phi); flt(b, 'psi', s.psi); flt(b, 'theta', s.theta);
      const nat = ['phi_N', 'theta_N'], cel = ['alpha_C', 'delta_C'];
      return s.direction === 'native2celestial' ? node(s.type, b, nat, cel) : node(s.type, b, cel, nat);
    }
    case 'rotate_sequence_3d': {
      b.angles = [...s.angles];
      s.angles.forEach((_, i) => markFloat(b.angles as number[], i));
      b.axes_order = s.axes_order;
      b.rotation_type = s.rotation_type;
      const io = s.rotation_type === 'cartesian' ? ['x', 'y', 'z'] : ['lon', 'lat'];
      return node(s.type, b, io, io);
    }
    default:
      return fail(path, `unsupported transform type ${JSON.stringify((s as { type: unknown }).type)}`);
  }
}

function polynomial(s: Extract<TransformSpec, { type: 'polynomial' }>, b: Body, path: string): AsdfTransformNode {
  const c = s.coefficients;
  if (c.length === 0) fail(path, 'polynomial with no coefficients');
  if (!Array.isArray(c[0])) {
    b.coefficients = f64(c as readonly number[]);
    // astropy writes the default domain/window of Polynomial1D as [-1, 1].
    b.domain = [...(s.domain ?? [-1, 1])];
    b.window = [...(s.window ?? [-1, 1])];
    return node('polynomial', b, ['x'], ['y']);
  }
  // (degree+1, degree+1) matrix, c[i][j] multiplies x^i y^j; terms with i + j > degree are 0.
  const rows = c as readonly (readonly number[])[];
  const n = Math.max(rows.length, ...rows.map((r) => r.length));
  const flat: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) flat.push(rows[i]?.[j] ?? 0);
  b.coefficients = f64(flat, [n, n]);
  for (const k of ['x_domain', 'x_window', 'y_domain', 'y_window'] as const) if (s[k]) b[k] = [...s[k]!];
  return node('polynomial', b, ['x', 'y'], ['z']);
}

function tabular(s: Extract<TransformSpec, { type: 'tabular' }>, b: Body, path: string): AsdfTransformNode {
  if (s.points.length !== 1) fail(path, `tabular: ${s.points.length}-D lookup tables are not supported`);
  if (s.points[0]!.length !== s.lookup_table.length) fail(path, `tabular: ${s.points[0]!.length} points for ${s.lookup_table.length} values`);
  b.bounds_error = s.bounds_error;
  flt(b, 'fill_value', s.fill_value === null ? NaN : s.fill_value);
  b.lookup_table = f64(s.lookup_table);
  b.method = s.method;
  b.points = [f64(s.points[0]!)];
  return node('tabular', b, ['x'], ['y']);
}

/** property/bounding_box-1.2.0: intervals by input name, order F; unbounded inputs listed in `ignore`. */
function boundingBox(bb: readonly Interval[], inputs: readonly string[], path: string): Tagged {
  if (bb.length !== inputs.length) fail(`${path}/bounding_box`, `${bb.length} intervals for ${inputs.length} inputs`);
  const intervals: Body = {};
  const ignore: string[] = [];
  bb.forEach((iv, k) => {
    const name = inputs[k]!;
    if (iv[0] === -Infinity && iv[1] === Infinity) { ignore.push(name); return; }
    if (!(iv[0] <= iv[1])) fail(`${path}/bounding_box`, `interval ${name} [${iv[0]}, ${iv[1]}] is empty or NaN`);
    const pair = [iv[0], iv[1]];
    markFloat(pair, 0); markFloat(pair, 1);
    intervals[name] = pair;
  });
  return new Tagged(BOUNDING_BOX_TAG, { ignore, intervals, order: 'F' });
}
