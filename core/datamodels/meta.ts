/**
 * Datamodel metadata: a nested object addressed by the jwst datamodel paths
 * (meta.instrument.name, meta.exposure.nints, ...), filled from and written
 * back to FITS keywords through the one table in keyword-table.ts.
 */
import { KEYWORD_TABLE, type KeywordEntry, type MetaType } from './keyword-table.ts';

export type MetaValue = string | number | boolean | bigint | null;
export interface Meta { [key: string]: MetaValue | Meta }

/** Anything that can answer keyword lookups (a FITS Header satisfies it). */
export interface KeywordSource {
  get(keyword: string): unknown;
  has(keyword: string): boolean;
}
export interface KeywordSink extends KeywordSource {
  set(keyword: string, value: string | number | boolean | bigint | null, comment?: string): void;
}

const BY_PATH = new Map<string, KeywordEntry>(KEYWORD_TABLE.map((e) => [e.path, e]));

/** The table entry for a datamodel path ('meta.exposure.nints'), if any. */
export function keywordFor(path: string): KeywordEntry | undefined {
  return BY_PATH.get(path.startsWith('meta.') ? path : `meta.${path}`);
}

function segments(path: string): string[] {
  const p = path.startsWith('meta.') ? path.slice(5) : path;
  return p.split('.');
}

/** Value at a dotted path ('meta.' prefix optional), or undefined. */
export function getMeta(meta: Meta, path: string): MetaValue | Meta | undefined {
  let cur: MetaValue | Meta | undefined = meta;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Meta)[s];
  }
  return cur;
}

/** Set a value at a dotted path, creating intermediate objects. */
export function setMeta(meta: Meta, path: string, value: MetaValue): void {
  const segs = segments(path);
  let cur: Meta = meta;
  for (const s of segs.slice(0, -1)) {
    const next = cur[s];
    if (next === undefined || next === null || typeof next !== 'object') cur[s] = {};
    cur = cur[s] as Meta;
  }
  cur[segs[segs.length - 1]] = value;
}

/** Flatten to [path, value] pairs with the 'meta.' prefix. */
export function flattenMeta(meta: Meta, prefix = 'meta'): Array<[string, MetaValue]> {
  const out: Array<[string, MetaValue]> = [];
  for (const [k, v] of Object.entries(meta)) {
    const p = `${prefix}.${k}`;
    if (v !== null && typeof v === 'object') out.push(...flattenMeta(v as Meta, p));
    else out.push([p, v]);
  }
  return out;
}

function coerce(value: unknown, type: MetaType): MetaValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const s = value.trim().toUpperCase();
        if (s === 'T' || s === 'TRUE') return true;
        if (s === 'F' || s === 'FALSE') return false;
      }
      return typeof value === 'number' ? value !== 0 : String(value);
    case 'integer':
      if (typeof value === 'number' || typeof value === 'bigint') return value;
      return typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : (value as MetaValue);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      return value as MetaValue;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
      return String(value);
  }
}

/**
 * Build meta from headers. `headerFor(hdu)` returns the header of the named
 * HDU ('PRIMARY', 'SCI', ...) or undefined when the file has none.
 */
export function metaFromHeaders(headerFor: (hdu: string) => KeywordSource | undefined): Meta {
  const meta: Meta = {};
  for (const e of KEYWORD_TABLE) {
    const h = headerFor(e.hdu);
    if (!h || !h.has(e.keyword)) continue;
    const v = coerce(h.get(e.keyword), e.type);
    if (v !== undefined) setMeta(meta, e.path, v);
  }
  return meta;
}

/** Write every meta value that has a FITS keyword into the matching header. */
export function metaToHeaders(meta: Meta, headerFor: (hdu: string) => KeywordSink | undefined): void {
  for (const [path, value] of flattenMeta(meta)) {
    const e = BY_PATH.get(path);
    if (!e) continue;
    const h = headerFor(e.hdu);
    if (h) h.set(e.keyword, value, e.title);
  }
}
