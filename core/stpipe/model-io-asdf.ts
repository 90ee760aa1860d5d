/**
 * The ASDF extension of a written product (stdatamodels "ASDF in FITS": a
 * BINTABLE EXTNAME='ASDF', one row, one uint8 column ASDF_METADATA holding an
 * ASDF file). Its tree carries `meta`: the tree of the file the model came
 * from (so e.g. a gwcs `meta.wcs` written by jwst survives) with the model's
 * current meta written over it. Arrays and tables are not listed: without a
 * `_fits_hash` stdatamodels loads them, and every keyword, from the FITS HDUs
 * by schema (stdatamodels docs, "FITS and ASDF": keywords win over the tree).
 */
import type { Meta } from '../datamodels/meta.ts';
import { parseAsdfInFits, serializeAsdfInFits } from '../asdf/fits-embed.ts';
import { AsdfNDArray } from '../asdf/ndarray-node.ts';
import { Tagged } from '../asdf/scalars.ts';
import { Header, type HduSpec } from '../fits/index.ts';

/** The ASDF_METADATA bytes of a carried (raw) ASDF HDU, or undefined when it has another layout. */
export function asdfCellBytes(spec: HduSpec): Uint8Array | undefined {
  const h = spec.header;
  const raw = spec.rawData;
  const width = Number(h.get('NAXIS1') ?? 0);
  if (!raw || Number(h.get('TFIELDS')) !== 1 || Number(h.get('NAXIS2')) !== 1 || !/^\d*B$/.test(String(h.get('TFORM1') ?? '').trim())) return undefined;
  return raw.subarray(0, width);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tagged) && !(v instanceof AsdfNDArray) && !ArrayBuffer.isView(v);

/** `over` written onto a copy of `base` (objects merged key by key; other values replaced). */
function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(over)) return over;
  const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = merge(out[k], v);
  }
  return out;
}

/** The tree of a carried ASDF HDU, or {} when it is missing or unreadable. */
function carriedTree(carried: HduSpec | undefined): Record<string, unknown> {
  const bytes = carried && asdfCellBytes(carried);
  if (!bytes) return {};
  try {
    return parseAsdfInFits(bytes, undefined, { verifyChecksums: false }).tree;
  } catch {
    return {};
  }
}

/**
 * A fresh ASDF HDU for `meta` (its tree's `meta` is the carried one with
 * `meta` written over it; the carried `history` is kept).
 */
export function asdfHduFor(meta: Meta, carried: HduSpec | undefined): HduSpec {
  const old = carriedTree(carried);
  const tree: Record<string, unknown> = {};
  if (old.history !== undefined) tree.history = old.history;
  tree.meta = merge(old.meta, meta);
  let bytes: Uint8Array;
  try {
    bytes = serializeAsdfInFits(tree, new Map());
  } catch {
    // A carried node we cannot write back (e.g. a block we did not load): meta alone.
    bytes = serializeAsdfInFits({ meta: merge({}, meta) as Record<string, unknown> }, new Map());
  }
  const header = new Header();
  header.set('EXTNAME', 'ASDF', 'extension name');
  return { header, table: { nrows: 1, columns: [{ name: 'ASDF_METADATA', tform: `${bytes.length}B`, data: bytes }] } };
}
