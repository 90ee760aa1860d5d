/**
 * YAML nodes -> ASDF tree values (ASDF Standard, "The tree"; YAML 1.1 semantics).
 *
 * Mappings become plain objects (key order kept), sequences arrays, untagged
 * plain scalars are resolved as YAML 1.1 does (see scalars.ts), ndarray nodes
 * become AsdfNDArray, and every other tagged node is kept as a Tagged value.
 * Anchors and aliases map to shared JS values (aliases are not expanded).
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { AsdfError } from '../errors/index.ts';
import type { AsdfBlock } from './blocks.ts';
import { AsdfNDArray, isNdarrayTag, type AsdfDatatype, type ByteOrder } from './ndarray-node.ts';
import { isMarkedFloat, markFloat, parseFloat11, resolvePlain, Tagged, YAML_TAG, type Resolved } from './scalars.ts';

export interface ReadContext {
  file?: string;
  blocks: readonly AsdfBlock[];
  /** Line of a byte offset, for messages. */
  lineOf?: (offset: number) => number;
}

interface State extends ReadContext {
  anchors: Map<string, Resolved>;
  depth: number;
}

const MAX_DEPTH = 1000;

/** Convert the root node of an ASDF YAML document. */
export function readTree(root: Node | null, ctx: ReadContext): unknown {
  return convert(root, { ...ctx, anchors: new Map(), depth: 0 }).value;
}

function fail(st: State, node: Node | null, message: string): never {
  const offset = node?.range?.[0];
  const line = offset !== undefined && st.lineOf ? st.lineOf(offset) : undefined;
  throw new AsdfError('asdf-yaml', message, line !== undefined ? { file: st.file, line } : { file: st.file });
}

function convert(node: Node | null | undefined, st: State): Resolved {
  if (node === null || node === undefined) return { value: null, isFloat: false };
  if (isAlias(node)) {
    const target = st.anchors.get(node.source);
    if (!target) fail(st, node, `alias *${node.source} has no anchor before it`);
    return target;
  }
  if (++st.depth > MAX_DEPTH) fail(st, node, `tree nested deeper than ${MAX_DEPTH} levels`);
  try {
    if (isScalar(node)) return remember(node, scalar(node, st), st);
    if (isMap(node)) return mapping(node, st);
    if (isSeq(node)) return sequence(node, st);
  } finally {
    st.depth--;
  }
  return fail(st, node, 'unsupported YAML node');
}

function remember(node: Node, r: Resolved, st: State): Resolved {
  if (node.anchor) st.anchors.set(node.anchor, r);
  return r;
}

function scalar(node: Node & { value: unknown; type?: string; tag?: string }, st: State): Resolved {
  const text = String(node.value ?? '');
  const tag = node.tag;
  // The non-specific tag `!` makes the reference loader (PyYAML) resolve even a quoted
  // scalar implicitly: `time: ! '2025-07-23 21:11:32'` is read as a timestamp.
  if (tag === '!' || (tag === undefined && node.type === 'PLAIN')) return resolvePlain(text);
  if (tag === undefined) return { value: text, isFloat: false };
  if (tag.startsWith(YAML_TAG)) {
    const kind = tag.slice(YAML_TAG.length);
    const plain = resolvePlain(text.trim());
    switch (kind) {
      case 'str': return { value: text, isFloat: false };
      case 'null': return { value: null, isFloat: false };
      case 'bool':
        if (typeof plain.value !== 'boolean') fail(st, node, `!!bool value ${JSON.stringify(text)} is not a boolean`);
        return plain;
      case 'int':
        if (typeof plain.value !== 'number' && typeof plain.value !== 'bigint') fail(st, node, `!!int value ${JSON.stringify(text)} is not an integer`);
        return { value: typeof plain.value === 'number' && !Number.isInteger(plain.value) ? Math.trunc(plain.value) : plain.value, isFloat: false };
      case 'float': {
        const v = typeof plain.value === 'number' ? plain.value : typeof plain.value === 'bigint' ? Number(plain.value) : parseFloat11(text.trim());
        if (Number.isNaN(v) && !/nan/i.test(text)) fail(st, node, `!!float value ${JSON.stringify(text)} is not a number`);
        return { value: v, isFloat: true };
      }
      default: break;
    }
  }
  return { value: new Tagged(tag, text), isFloat: false };
}

function keyOf(pair: Pair, st: State): string {
  const k = pair.key as Node | null;
  if (k !== null && !isScalar(k) && !isAlias(k)) fail(st, k, 'complex (non-scalar) mapping keys are not supported');
  const r = convert(k, st);
  if (typeof r.value === 'string') return r.value;
  if (r.value === null || ['number', 'bigint', 'boolean'].includes(typeof r.value)) return String(r.value);
  return fail(st, k, 'unsupported mapping key');
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function mapping(node: Node & { items: Pair[]; tag?: string }, st: State): Resolved {
  const obj: Record<string, unknown> = {};
  const tag = node.tag === '!' ? undefined : node.tag;
  const ndarray = tag !== undefined && isNdarrayTag(tag);
  // Register before the children so that recursive aliases see the container.
  const out: Resolved = { value: tag === undefined ? obj : ndarray ? obj : new Tagged(tag, obj), isFloat: false };
  if (!ndarray) remember(node, out, st);
  const merges: Resolved[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as (Node & { type?: string; tag?: string }) | null;
    const key = keyOf(pair, st);
    const r = convert(pair.value as Node | null, st);
    if (key === '<<' && keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.tag === undefined) {
      merges.push(r); // YAML 1.1 merge key (yaml.org/type/merge.html)
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(obj, key)) fail(st, keyNode, `duplicate mapping key ${JSON.stringify(key)}`);
    setKey(obj, key, r.value);
    if (r.isFloat && typeof r.value === 'number') markFloat(obj, key);
  }
  for (const m of merges) {
    const sources = Array.isArray(m.value) ? m.value : [m.value];
    for (const src of sources) {
      if (typeof src !== 'object' || src === null || Array.isArray(src)) fail(st, node, 'merge key << needs a mapping');
      for (const [k, v] of Object.entries(src)) if (!(k in obj)) setKey(obj, k, v);
    }
  }
  if (ndarray) return remember(node, { value: toNDArray(tag, obj, node, st), isFloat: false }, st);
  return out;
}

function sequence(node: Node & { items: unknown[]; tag?: string }, st: State): Resolved {
  const arr: unknown[] = [];
  const tag = node.tag === '!' ? undefined : node.tag;
  const out: Resolved = { value: tag === undefined ? arr : new Tagged(tag, arr), isFloat: false };
  remember(node, out, st);
  node.items.forEach((item, i) => {
    const r = convert(item as Node | null, st);
    arr.push(r.value);
    if (r.isFloat && typeof r.value === 'number') markFloat(arr, i);
  });
  return out;
}

const ND_KEYS = new Set(['source', 'data', 'mask', 'datatype', 'byteorder', 'shape', 'offset', 'strides']);

function toNDArray(tag: string, obj: Record<string, unknown>, node: Node, st: State): AsdfNDArray {
  const { source, data, mask, datatype, byteorder, shape, offset, strides } = obj;
  const where = (what: string): never => fail(st, node, `ndarray: ${what}`);
  // A negative source counts from the end (-1 = the last block, used for streamed arrays).
  if (source !== undefined && typeof source !== 'string' && !(typeof source === 'number' && Number.isInteger(source))) {
    where(`invalid source ${JSON.stringify(String(source))}`);
  }
  if (source === undefined && data === undefined) where('neither source nor data given');
  if (byteorder !== undefined && byteorder !== 'big' && byteorder !== 'little') where(`invalid byteorder ${JSON.stringify(byteorder)}`);
  if (offset !== undefined && !(typeof offset === 'number' && Number.isInteger(offset) && offset >= 0)) where(`invalid offset ${String(offset)}`);
  if (strides !== undefined && !(Array.isArray(strides) && strides.every((s) => typeof s === 'number' && Number.isInteger(s)))) {
    where(`invalid strides ${JSON.stringify(strides)}`);
  }
  let sh: Array<number | '*'>;
  if (shape === undefined) {
    if (data === undefined) where('shape is required for block data');
    sh = inferShape(data);
  } else {
    if (!Array.isArray(shape) || !shape.every((s, i) => (typeof s === 'number' && Number.isInteger(s) && s >= 0) || (s === '*' && i === 0))) {
      where(`invalid shape ${JSON.stringify(shape)}`);
    }
    sh = shape as Array<number | '*'>;
  }
  const dt = datatype ?? (data !== undefined ? inferDatatype(data) : where('datatype is required'));
  if (!(typeof dt === 'string' || Array.isArray(dt))) where(`invalid datatype ${JSON.stringify(dt)}`);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!ND_KEYS.has(k)) extra[k] = v;
  const block = typeof source === 'number' ? st.blocks.at(source) : undefined;
  if (typeof source === 'number' && !block) where(`source ${source} names no block (the file has ${st.blocks.length})`);
  return new AsdfNDArray({
    tag, source: source as number | string | undefined, shape: sh, datatype: dt as AsdfDatatype,
    byteorder: byteorder as ByteOrder | undefined, offset: offset as number | undefined,
    strides: strides as number[] | undefined, inline: data, mask, extra, block,
  });
}

function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let v = data;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function inferDatatype(data: unknown): string {
  let float = false;
  let bool = true;
  let count = 0;
  const walk = (v: unknown, parent: object | null, key: number): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, v, i));
    else {
      count++;
      if (typeof v !== 'boolean') bool = false;
      if (typeof v === 'number' && (!Number.isInteger(v) || (parent && isMarkedFloat(parent, key)))) float = true;
    }
  };
  walk(data, null, 0);
  return bool && count > 0 ? 'bool8' : float ? 'float64' : 'int64';
}
