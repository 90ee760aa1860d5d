/**
 * ASDF transform nodes (Tagged values kept by the core/asdf reader) -> TransformSpec.
 * Tags and properties follow asdf-transform-schemas (transform-1.x manifests:
 * compose, concatenate, remap_axes, identity, shift, scale, polynomial, affine,
 * rotate2d, tabular, constant, add/subtract/multiply/divide/power, fix_inputs,
 * rotate_sequence_3d, property/bounding_box) and the gwcs schemas
 * (spherical_cartesian). An unknown tag is an AsdfError naming the tag and path.
 */
import { AsdfError } from '../../errors/index.ts';
import type { AsdfBlock } from '../blocks.ts';
import { AsdfNDArray, resolveArray } from '../ndarray-node.ts';
import { Tagged } from '../scalars.ts';
import type { BinaryOp, Interval, TransformSpec } from './spec.ts';

export interface FromAsdfOptions {
  /** Blocks of the file, for ndarray nodes stored in binary blocks. */
  readonly blocks?: readonly AsdfBlock[];
  /** For messages. */
  readonly file?: string;
}

const TAG_RE = /^(?:tag:stsci\.edu:(?:asdf\/)?|asdf:\/\/(?:asdf-format\.org|stsci\.edu)\/(?:transform|gwcs)\/tags\/)(?:transform\/)?([a-z0-9_/]+?)-\d+\.\d+\.\d+$/;

/** Short transform name of a tag: 'tag:stsci.edu:asdf/transform/shift-1.2.0' -> 'shift'. */
export function transformKind(tag: string): string | undefined {
  const m = TAG_RE.exec(tag);
  if (!m) return undefined;
  return m[1]!.replace(/^gwcs\//, '');
}

interface Ctx extends FromAsdfOptions { path: string }

function fail(ctx: Ctx, msg: string): never {
  throw new AsdfError('asdf-transform', `${msg} (at ${ctx.path || '/'})`, { file: ctx.file });
}

function rec(x: unknown, ctx: Ctx): Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : fail(ctx, 'expected a mapping');
}

function num(x: unknown, ctx: Ctx, what: string): number {
  const v = x instanceof Tagged ? x.value : x;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && 'value' in (v as object)) return num((v as { value: unknown }).value, ctx, what); // quantity
  return fail(ctx, `${what} is not a number: ${JSON.stringify(v)}`);
}

/** Nested number arrays from an ndarray node (block or inline) or a plain list. */
function arr(x: unknown, ctx: Ctx, what: string): number[] | number[][] {
  if (x instanceof Tagged && !(x instanceof AsdfNDArray)) return arr(x.value, ctx, what);
  if (x instanceof AsdfNDArray) {
    if (typeof x.source === 'string') fail(ctx, `${what}: external array source ${x.source} is not supported`);
    const a = resolveArray(x, ctx.blocks ?? [], ctx.file);
    const flat = Array.from(a.data as ArrayLike<number>, Number);
    if (a.shape.length <= 1) return flat;
    if (a.shape.length !== 2) fail(ctx, `${what}: ${a.shape.length}-D arrays are not supported`);
    const [r, c] = a.shape as [number, number];
    return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c));
  }
  if (Array.isArray(x)) return x.map((v) => (Array.isArray(v) ? v.map((w) => num(w, ctx, what)) : num(v, ctx, what))) as number[] | number[][];
  if (x && typeof x === 'object' && 'value' in (x as object)) return arr((x as { value: unknown }).value, ctx, what);
  return fail(ctx, `${what} is not an array`);
}

const interval = (x: unknown, ctx: Ctx, what: string): Interval => {
  const a = arr(x, ctx, what) as number[];
  if (a.length !== 2) fail(ctx, `${what} must have 2 values`);
  return [a[0]!, a[1]!];
};

/** Convert one ASDF transform node (Tagged) to a TransformSpec. */
export function specFromAsdf(node: unknown, opts: FromAsdfOptions = {}, path = ''): TransformSpec {
  return convert(node, { ...opts, path });
}

function convert(node: unknown, ctx: Ctx): TransformSpec {
  if (!(node instanceof Tagged)) return fail(ctx, 'expected a tagged transform node');
  const kind = transformKind(node.tag);
  const body = node.value === null || node.value === undefined ? {} : rec(node.value, ctx);
  if (!kind) return fail(ctx, `unsupported transform tag ${node.tag}`);
  const base = core(kind, body, { ...ctx, path: ctx.path });
  const extra: { name?: string; inverse?: TransformSpec; bounding_box?: Interval[] } = {};
  if (typeof body.name === 'string') extra.name = body.name;
  if (body.inverse !== undefined && body.inverse !== null) extra.inverse = convert(body.inverse, { ...ctx, path: `${ctx.path}/inverse` });
  if (body.bounding_box !== undefined && body.bounding_box !== null) extra.bounding_box = bbox(body.bounding_box, body, { ...ctx, path: `${ctx.path}/bounding_box` });
  return { ...base, ...extra } as TransformSpec;
}

function children(body: Record<string, unknown>, ctx: Ctx): TransformSpec[] {
  const f = body.forward;
  if (!Array.isArray(f)) fail(ctx, 'forward must be a list');
  return f.map((c, i) => convert(c, { ...ctx, path: `${ctx.path}/forward/${i}` }));
}

const BINARY: readonly string[] = ['add', 'subtract', 'multiply', 'divide', 'power'];

function core(kind: string, b: Record<string, unknown>, ctx: Ctx): TransformSpec {
  switch (kind) {
    case 'compose':
    case 'concatenate':
      return { type: kind, forward: children(b, ctx) };
    case 'remap_axes': {
      const mapping = (arr(b.mapping, ctx, 'mapping') as number[]).map((v) => Math.trunc(v));
      const n = b.n_inputs !== undefined ? num(b.n_inputs, ctx, 'n_inputs') : Math.max(...mapping) + 1;
      return { type: 'remap_axes', mapping, n_inputs: n };
    }
    case 'identity':
      return { type: 'identity', n_dims: b.n_dims !== undefined ? num(b.n_dims, ctx, 'n_dims') : 1 };
    case 'shift': return { type: 'shift', offset: num(b.offset, ctx, 'offset') };
    case 'scale': return { type: 'scale', factor: num(b.factor, ctx, 'factor') };
    case 'multiplyscale': return { type: 'scale', factor: num(b.factor, ctx, 'factor') };
    case 'constant': return { type: 'constant', value: num(b.value, ctx, 'value'), dimensions: b.dimensions !== undefined ? num(b.dimensions, ctx, 'dimensions') : 1 };
    case 'polynomial': return polynomial(b, ctx);
    case 'affine': {
      const m = arr(b.matrix, ctx, 'matrix') as number[][];
      const t = arr(b.translation ?? [0, 0], ctx, 'translation') as number[];
      if (m.length !== 2 || m.some((r) => !Array.isArray(r) || r.length !== 2) || t.length !== 2) fail(ctx, 'affine: only 2x2 matrices are supported');
      return { type: 'affine', matrix: m, translation: t };
    }
    case 'rotate2d': return { type: 'rotate2d', angle: num(b.angle, ctx, 'angle') };
    case 'tabular': return tabular(b, ctx);
    case 'fix_inputs': return fixInputs(b, ctx);
    case 'spherical_cartesian': {
      const tt = b.transform_type;
      if (tt !== 'spherical_to_cartesian' && tt !== 'cartesian_to_spherical') fail(ctx, `spherical_cartesian: bad transform_type ${String(tt)}`);
      return { type: 'spherical_cartesian', transform_type: tt, wrap_lon_at: b.wrap_lon_at !== undefined ? num(b.wrap_lon_at, ctx, 'wrap_lon_at') : 360 };
    }
    case 'gnomonic': {
      const d = b.direction ?? 'pix2sky';
      if (d !== 'pix2sky' && d !== 'sky2pix') fail(ctx, `gnomonic: bad direction ${String(d)}`);
      return { type: 'gnomonic', direction: d };
    }
    case 'rotate3d': {
      const d = b.direction ?? 'native2celestial';
      if (d !== 'native2celestial' && d !== 'celestial2native') fail(ctx, `rotate3d: direction ${String(d)} is not supported`);
      return { type: 'rotate3d', phi: num(b.phi, ctx, 'phi'), theta: num(b.theta, ctx, 'theta'), psi: num(b.psi, ctx, 'psi'), direction: d };
    }
    case 'rotate_sequence_3d': {
      const rt = b.rotation_type ?? 'cartesian';
      if (rt !== 'cartesian' && rt !== 'spherical') fail(ctx, `rotate_sequence_3d: bad rotation_type ${String(rt)}`);
      return { type: 'rotate_sequence_3d', angles: arr(b.angles, ctx, 'angles') as number[], axes_order: String(b.axes_order), rotation_type: rt };
    }
    default:
      if (BINARY.includes(kind)) {
        const f = children(b, ctx);
        if (f.length !== 2) fail(ctx, `${kind} needs 2 operands`);
        return { type: kind as BinaryOp, forward: [f[0]!, f[1]!] };
      }
      return fail(ctx, `unsupported transform tag ${kind}`);
  }
}

function polynomial(b: Record<string, unknown>, ctx: Ctx): TransformSpec {
  const c = arr(b.coefficients, ctx, 'coefficients');
  const out: Record<string, unknown> = { type: 'polynomial', coefficients: c };
  for (const k of ['domain', 'window', 'x_domain', 'x_window', 'y_domain', 'y_window']) {
    if (b[k] !== undefined && b[k] !== null) out[k] = interval(b[k], ctx, k);
  }
  return out as unknown as TransformSpec;
}

function tabular(b: Record<string, unknown>, ctx: Ctx): TransformSpec {
  const lut = arr(b.lookup_table, ctx, 'lookup_table');
  if (lut.some((v) => Array.isArray(v))) fail(ctx, 'tabular: only 1-D lookup tables are supported');
  const pts = Array.isArray(b.points) ? b.points.map((p, i) => arr(p, { ...ctx, path: `${ctx.path}/points/${i}` }, 'points') as number[]) : [Array.from({ length: lut.length }, (_, i) => i)];
  const method = b.method ?? 'linear';
  if (method !== 'linear' && method !== 'nearest') fail(ctx, `tabular: method ${String(method)} is not supported`);
  const fv = b.fill_value;
  return {
    type: 'tabular', points: pts, lookup_table: lut as number[], method,
    bounds_error: b.bounds_error === undefined ? true : Boolean(b.bounds_error),
    fill_value: fv === null || fv === undefined ? null : num(fv, ctx, 'fill_value'),
  };
}

function fixInputs(b: Record<string, unknown>, ctx: Ctx): TransformSpec {
  const f = b.forward;
  if (!Array.isArray(f) || f.length !== 2) return fail(ctx, 'fix_inputs: forward must be [model, {keys, values}]');
  const model = convert(f[0], { ...ctx, path: `${ctx.path}/forward/0` });
  const kv = rec(f[1], ctx);
  const keys = Array.isArray(kv.keys) ? kv.keys : fail(ctx, 'fix_inputs: keys missing');
  const names = f[0] instanceof Tagged ? (rec(f[0].value ?? {}, ctx).inputs as unknown[] | undefined) : undefined;
  const idx = keys.map((k) => (typeof k === 'number' ? k : names?.indexOf(k) ?? -1));
  if (idx.some((i) => i < 0)) fail(ctx, `fix_inputs: unknown input in keys ${JSON.stringify(keys)}`);
  return { type: 'fix_inputs', forward: [model], keys: idx, values: (arr(kv.values, ctx, 'values') as number[]) };
}

/** Bounding box: the property tag (intervals by input name, order 'F' or 'C') or the older list form (C order). */
function bbox(x: unknown, body: Record<string, unknown>, ctx: Ctx): Interval[] {
  const names = Array.isArray(body.inputs) ? body.inputs.map(String) : undefined;
  if (x instanceof Tagged) {
    const v = rec(x.value, ctx);
    const iv = rec(v.intervals, ctx);
    const order = v.order === 'C' ? 'C' : 'F';
    const keys = names ?? Object.keys(iv);
    const out = keys.map((k) => (iv[k] !== undefined ? interval(iv[k], ctx, `interval ${k}`) : ([-Infinity, Infinity] as Interval)));
    void order; // intervals are keyed by input name: order only affects the tuple form
    return out;
  }
  const a = arr(x, ctx, 'bounding_box');
  if (a.length === 2 && !Array.isArray(a[0])) return [[a[0] as number, a[1] as number]];
  // The tuple form is in C order (last input first): reverse into input order.
  return (a as number[][]).map((p) => [p[0]!, p[1]!] as Interval).reverse();
}
