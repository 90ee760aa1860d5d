/**
 * ASDF-in-FITS, bytes level. A JWST FITS product carries its full metadata tree in a
 * BINTABLE extension EXTNAME='ASDF' with one row and one column ASDF_METADATA, a
 * uint8 array holding a complete ASDF file. Arrays stored in FITS image or table HDUs
 * appear there as ndarray nodes with `source: fits:EXTNAME,EXTVER` (big-endian, as
 * FITS stores them); small arrays (e.g. polynomial coefficients of a WCS) live in
 * the embedded file's own blocks. Reading the FITS HDUs is the FITS layer's job.
 */
import { AsdfError } from '../errors/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { parseAsdf, serializeAsdf, type AsdfFile, type ParseOptions, type SerializeOptions } from './file.ts';
import { AsdfNDArray } from './ndarray-node.ts';
import { Tagged } from './scalars.ts';

export interface FitsRef {
  extname: string;
  extver: number;
}

const FITS_SOURCE = /^fits:(.+?)(?:,(\d+))?$/;

/** The FITS HDU an ndarray node refers to (`source: fits:SCI,1`), or undefined. */
export function fitsSourceOf(node: unknown): FitsRef | undefined {
  if (!(node instanceof AsdfNDArray) || typeof node.source !== 'string') return undefined;
  const m = FITS_SOURCE.exec(node.source);
  if (!m) return undefined;
  return { extname: m[1], extver: m[2] !== undefined ? Number(m[2]) : 1 };
}

/** Every ndarray node in a tree that refers to a FITS HDU, with its path (e.g. `meta.wcs` style, dotted). */
export function fitsReferences(tree: unknown): Array<{ path: string; node: AsdfNDArray; ref: FitsRef }> {
  const out: Array<{ path: string; node: AsdfNDArray; ref: FitsRef }> = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof AsdfNDArray) {
      const ref = fitsSourceOf(v);
      if (ref) out.push({ path, node: v, ref });
      return;
    }
    if (v instanceof Tagged) return walk(v.value, path);
    if (ArrayBuffer.isView(v)) return;
    const join = (k: string): string => (path ? `${path}.${k}` : k);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, join(String(i))));
    else for (const [k, x] of Object.entries(v)) walk(x, join(k));
  };
  walk(tree, '');
  return out;
}

/**
 * Parse the bytes of an ASDF_METADATA cell. Same as parseAsdf; ndarray nodes whose
 * source is a `fits:` string stay references (see fitsSourceOf). The cell is the whole
 * ASDF file: trailing zero bytes belong to the last block's data and are not trimmed.
 */
export function parseAsdfInFits(asdfBytes: Uint8Array, file?: string, opts?: ParseOptions): AsdfFile {
  const f = parseAsdf(asdfBytes, file, opts);
  for (const { node } of fitsReferences(f.tree)) {
    if (!/^fits:[^,]+,\d+$/.test(String(node.source))) {
      throw new AsdfError('asdf-fits', `malformed FITS source ${JSON.stringify(node.source)}`, { file });
    }
  }
  return f;
}

/**
 * The bytes for an ASDF_METADATA cell: `fitsArrays` lists the arrays that the FITS
 * writer stores as HDUs; they become `source: fits:NAME,VER` references. Other
 * NDArray values get blocks inside the embedded file.
 */
export function serializeAsdfInFits(
  tree: Record<string, unknown>,
  fitsArrays: ReadonlyMap<NDArray, FitsRef>,
  opts: Omit<SerializeOptions, 'externalSource'> = {},
): Uint8Array {
  for (const { extname, extver } of fitsArrays.values()) {
    if (!/^[\x20-\x7e]+$/.test(extname) || extname.includes(',') || !Number.isInteger(extver) || extver < 1) {
      throw new AsdfError('asdf-fits', `invalid FITS reference ${JSON.stringify(extname)},${extver}`);
    }
  }
  return serializeAsdf(tree, {
    ...opts,
    externalSource: (a) => {
      const ref = fitsArrays.get(a);
      return ref ? `fits:${ref.extname},${ref.extver}` : undefined;
    },
  });
}
