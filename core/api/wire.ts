/**
 * The byte format of one message on a transport: JSON with every
 * ArrayBuffer lifted out and appended raw, so pixel arrays never go through
 * JSON. Layout: u32 LE JSON length, the JSON (UTF-8), then each buffer at
 * an 8-byte aligned offset; the JSON carries `{"$buf": i}` in its place and
 * `"$lens"` with the buffer lengths.
 */
import { WebbError } from '../errors/index.ts';

function lift(v: unknown, bufs: ArrayBuffer[]): unknown {
  if (v instanceof ArrayBuffer) {
    bufs.push(v);
    return { $buf: bufs.length - 1 };
  }
  if (ArrayBuffer.isView(v)) throw new WebbError('bug', 'typed arrays must cross as ArrayBuffer payloads');
  if (Array.isArray(v)) return v.map((x) => lift(x, bufs));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = lift(x, bufs);
    return out;
  }
  return v;
}

function lower(v: unknown, bufs: readonly ArrayBuffer[]): unknown {
  if (Array.isArray(v)) return v.map((x) => lower(x, bufs));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$buf === 'number' && Object.keys(o).length === 1) {
      const b = bufs[o.$buf];
      if (!b) throw new WebbError('bad-message', `message names buffer ${o.$buf} but carries ${bufs.length}`);
      return b;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = lower(x, bufs);
    return out;
  }
  return v;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encode a plain value (with ArrayBuffers anywhere inside) into one byte message. */
export function encodeMessage(value: unknown): Uint8Array {
  const bufs: ArrayBuffer[] = [];
  const body = lift(value, bufs);
  const json = new TextEncoder().encode(JSON.stringify({ v: body, $lens: bufs.map((b) => b.byteLength) }));
  let size = align8(4 + json.length);
  for (const b of bufs) size = align8(size + b.byteLength);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  let off = align8(4 + json.length);
  for (const b of bufs) {
    out.set(new Uint8Array(b), off);
    off = align8(off + b.byteLength);
  }
  return out;
}

/** Decode a message written by encodeMessage; buffers come back as fresh ArrayBuffers. */
export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.length < 4) throw new WebbError('bad-message', `message of ${bytes.length} bytes is too short`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + n > bytes.length) throw new WebbError('bad-message', `message JSON length ${n} exceeds its ${bytes.length} bytes`);
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as { v: unknown; $lens?: number[] };
  const lens = parsed.$lens ?? [];
  const bufs: ArrayBuffer[] = [];
  let off = align8(4 + n);
  for (const len of lens) {
    if (!Number.isInteger(len) || len < 0 || off + len > bytes.length) throw new WebbError('bad-message', 'message buffer table does not fit its bytes');
    bufs.push(bytes.slice(off, off + len).buffer);
    off = align8(off + len);
  }
  return lower(parsed.v, bufs);
}

/** Every ArrayBuffer inside a value (the transfer list for postMessage/IPC). */
export function transferables(v: unknown, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (v instanceof ArrayBuffer) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => transferables(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => transferables(x, out));
  return out;
}
