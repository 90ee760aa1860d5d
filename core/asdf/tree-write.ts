/**
 * ASDF tree values -> YAML nodes, and the blocks they need.
 *
 * Scalars are formatted here (YAML 1.1: floats always carry a dot; strings that a
 * reader would take for another type are quoted), Tagged values get their tag back,
 * objects reached twice become anchor + aliases, AsdfNDArray nodes keep their block
 * (or their inline data / external source) and NDArray values get new blocks.
 */
import { Alias, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { AsdfError } from '../errors/index.ts';
import { ndarray, type NDArray, type TypedArray } from '../ndarray/index.ts';
import type { AsdfBlock } from './blocks.ts';
import { AsdfNDArray, NDARRAY_TAG, ndarrayBytes } from './ndarray-node.ts';
import { formatFloat, isMarkedFloat, needsQuotes, Tagged, TIMESTAMP_TAG } from './scalars.ts';

/** Data for one block to be written, in tree order. */
export interface PendingBlock {
  data: Uint8Array;
  /** The block as read, when the data comes from a parsed file. */
  original?: AsdfBlock;
}

export interface WriteOptions {
  /**
   * Replace an ndarray value by an external `source` string (ASDF-in-FITS `fits:SCI,1`),
   * or return undefined to give it a block.
   */
  externalSource?: (a: NDArray) => string | undefined;
}

export function isNDArray(v: unknown): v is NDArray {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<NDArray>;
  return ArrayBuffer.isView(o.data) && typeof o.dtype === 'string' && Array.isArray(o.shape) && Array.isArray(o.strides);
}

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

const TIMESTAMP_TEXT = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

class Writer {
  readonly blocks: PendingBlock[] = [];
  private readonly blockIndex = new Map<object, number>();
  private readonly seen = new Map<object, number>();
  private readonly anchors = new Map<object, string>();
  private readonly path: string[] = [];

  constructor(private readonly opts: WriteOptions) {}

  /** First pass: count references (for anchors) and order the blocks. */
  prepare(root: unknown): void {
    const held: AsdfNDArray[] = [];
    const fresh: NDArray[] = [];
    const visit = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      const n = this.seen.get(v) ?? 0;
      this.seen.set(v, n + 1);
      if (n > 0) return;
      if (v instanceof AsdfNDArray) {
        if (typeof v.source === 'number' || (v.source === undefined && v.inline === undefined && v.block)) held.push(v);
        visit(v.inline);
        visit(v.mask);
        visit(v.extra);
      } else if (isNDArray(v) || isTypedArray(v)) {
        const a = isNDArray(v) ? v : ndarray(v as never, [v.length]);
        if (!this.opts.externalSource?.(a)) fresh.push(a);
        if (!isNDArray(v)) this.seen.set(a, 1);
      } else if (v instanceof Tagged) visit(v.value);
      else if (Array.isArray(v)) v.forEach(visit);
      else for (const x of Object.values(v)) visit(x);
    };
    visit(root);
    // Blocks we read keep their relative order, so an unchanged tree keeps its `source` numbers.
    const order = (n: AsdfNDArray): number => (typeof n.source !== 'number' ? Infinity : n.source < 0 ? 1e15 + n.source : n.source);
    held.sort((a, b) => order(a) - order(b));
    for (const node of held) {
      const block = node.block;
      if (!block) throw new AsdfError('asdf-serialize', `ndarray with source ${String(node.source)} has no block data to write`);
      if (!this.blockIndex.has(block)) {
        this.blockIndex.set(block, this.blocks.length);
        this.blocks.push({ data: block.data, original: block });
      }
    }
    for (const a of fresh) this.newBlock(a);
  }

  private newBlock(a: NDArray): number {
    let i = this.blockIndex.get(a);
    if (i === undefined) {
      i = this.blocks.length;
      this.blockIndex.set(a, i);
      this.blocks.push({ data: ndarrayBytes(a) });
    }
    return i;
  }

  node(v: unknown, floatSlot: boolean): Node {
    if (v === null || v === undefined) return plain('null');
    switch (typeof v) {
      case 'boolean': return plain(v ? 'true' : 'false');
      case 'bigint': return plain(String(v));
      case 'number':
        return plain(!floatSlot && Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : formatFloat(v));
      case 'string': {
        const s = new Scalar(v);
        if (needsQuotes(v)) s.type = 'QUOTE_SINGLE';
        return s;
      }
      case 'object': return this.shared(v);
      default:
        throw new AsdfError('asdf-serialize', `cannot write a ${typeof v} at ${this.where()}`);
    }
  }

  /** Objects seen more than once are written once with an anchor, then as aliases. */
  private shared(v: object): Node {
    const name = this.anchors.get(v);
    if (name !== undefined) return new Alias(name);
    if ((this.seen.get(v) ?? 0) > 1 && !isNDArray(v) && !isTypedArray(v)) {
      const anchor = `id${String(this.anchors.size + 1).padStart(3, '0')}`;
      this.anchors.set(v, anchor);
      const n = this.object(v);
      n.anchor = anchor;
      return n;
    }
    return this.object(v);
  }

  private object(v: object): Node & { anchor?: string } {
    if (v instanceof Tagged) return this.tagged(v);
    if (v instanceof AsdfNDArray) return this.asdfNDArray(v);
    if (isNDArray(v)) return this.freshNDArray(v);
    if (isTypedArray(v)) return this.freshNDArray(ndarray(v as never, [v.length]));
    if (v instanceof Date) return this.tagged(new Tagged(TIMESTAMP_TAG, v.toISOString().replace('Z', '')));
    if (Array.isArray(v)) return this.seq(v);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new AsdfError('asdf-serialize', `cannot write a ${proto?.constructor?.name ?? 'object'} at ${this.where()}`);
    }
    return this.map(v as Record<string, unknown>);
  }

  private tagged(t: Tagged): Node & { anchor?: string } {
    if (t.tag === TIMESTAMP_TAG && typeof t.value === 'string' && TIMESTAMP_TEXT.test(t.value)) {
      return plain(t.value); // an implicit YAML 1.1 timestamp
    }
    const n = typeof t.value === 'string' ? new Scalar(t.value) : (this.node(t.value, false) as Scalar | YAMLMap | YAMLSeq);
    if (n instanceof Alias) throw new AsdfError('asdf-serialize', `a tagged value cannot alias another node at ${this.where()}`);
    n.tag = t.tag;
    return n;
  }

  private seq(arr: readonly unknown[]): YAMLSeq {
    const s = new YAMLSeq();
    s.flow = arr.length > 0 && arr.every((x) => x === null || typeof x !== 'object');
    arr.forEach((x, i) => {
      this.path.push(String(i));
      s.items.push(this.node(x, isMarkedFloat(arr, i)));
      this.path.pop();
    });
    return s;
  }

  private map(obj: Record<string, unknown>): YAMLMap {
    const m = new YAMLMap();
    for (const [k, x] of Object.entries(obj)) {
      if (x === undefined) continue;
      this.path.push(k);
      m.items.push(new Pair(this.node(k, false), this.node(x, isMarkedFloat(obj, k))));
      this.path.pop();
    }
    return m;
  }

  private asdfNDArray(a: AsdfNDArray): YAMLMap {
    const m = new YAMLMap();
    m.tag = a.tag;
    const add = (k: string, v: unknown, float = false): void => {
      m.items.push(new Pair(plain(k), this.node(v, float)));
    };
    if (a.inline !== undefined) add('data', a.inline);
    else if (typeof a.source === 'string') add('source', a.source);
    else if (a.block) add('source', this.blockIndex.get(a.block));
    else throw new AsdfError('asdf-serialize', `ndarray at ${this.where()} has neither data nor a block`);
    if (a.mask !== undefined) add('mask', a.mask);
    add('datatype', a.datatype);
    if (a.inline === undefined) add('byteorder', a.byteorder); // meaningless for inline data
    add('shape', a.shape);
    if (a.offset) add('offset', a.offset);
    if (a.strides !== undefined) add('strides', a.strides);
    for (const [k, v] of Object.entries(a.extra)) add(k, v, isMarkedFloat(a.extra, k));
    return m;
  }

  private freshNDArray(a: NDArray): YAMLMap {
    const m = new YAMLMap();
    m.tag = NDARRAY_TAG;
    const ext = this.opts.externalSource?.(a);
    const source: string | number = ext ?? this.newBlock(a);
    m.items.push(new Pair(plain('source'), this.node(source, false)));
    m.items.push(new Pair(plain('datatype'), plain(a.dtype)));
    // An external (FITS) array is stored big-endian, as FITS requires.
    m.items.push(new Pair(plain('byteorder'), plain(ext !== undefined ? 'big' : 'little')));
    m.items.push(new Pair(plain('shape'), this.seq(a.shape)));
    return m;
  }

  private where(): string {
    return this.path.length ? this.path.join('.') : '(root)';
  }
}

function plain(text: string): Scalar {
  const s = new Scalar(text);
  s.type = 'PLAIN';
  return s;
}

/** Convert a tree to a YAML node, collecting the blocks it needs (block i = `source: i`). */
export function writeTree(tree: unknown, opts: WriteOptions = {}): { node: Node; blocks: PendingBlock[] } {
  const w = new Writer(opts);
  w.prepare(tree);
  return { node: w.node(tree, false), blocks: w.blocks };
}
