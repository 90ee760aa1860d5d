/**
 * A description of a data file for people and programs: model type, HDUs
 * (shape slowest-first and numpy dtype after scaling), meta, and on request
 * header cards, image statistics, table rows and checksum status.
 * Used by `webbdesk info` and the engine API.
 */
import { readFile } from 'node:fs/promises';
import { WebbError } from '../errors/index.ts';
import { FitsFile } from '../fits/index.node.ts';
import { imageLayout, type FitsTable, type HduInfo, type Header, type TableColumn } from '../fits/index.ts';
import { AsdfNDArray, parseAsdf, parseAsdfInFits, Tagged } from '../asdf/index.ts';
import type { NDArray } from '../ndarray/index.ts';
import { detectModelType, type HduSummary, type ModelType } from './models.ts';
import { metaFromHeaders, type Meta } from './meta.ts';
import { imageStats, type ImageStats } from './stats.ts';
import { dqFlagCounts } from './dq.ts';

export interface DescribeOptions {
  readonly header?: boolean;
  readonly stats?: boolean;
  /** First N rows of each table (undefined: no rows, no column list). */
  readonly rows?: number;
  readonly checksum?: boolean;
}

export interface ColumnDescription {
  readonly name: string;
  readonly tform: string;
  readonly dtype: string;
  readonly cell_shape: number[];
  readonly unit: string | null;
}

export interface HduDescription {
  index: number;
  type: string;
  extname: string | null;
  extver: number;
  bitpix: number | null;
  shape: number[];
  dtype: string | null;
  cards?: Array<[string, unknown, string | null]>;
  stats?: ImageStats;
  nrows?: number;
  columns?: ColumnDescription[];
  rows?: Array<Record<string, unknown>>;
  checksum?: { present: boolean; valid: boolean | null };
}

export interface FileDescription {
  file: string;
  model: string | null;
  error: string | null;
  meta: Meta;
  hdus: HduDescription[];
  /** Arrays of a pure ASDF file (name -> shape/dtype). */
  arrays?: Array<{ name: string; shape: number[]; dtype: string }>;
}

const GZIP_OR_FITS = /\.(fits|fit|fts)(\.gz)?$/i;

export async function describeFile(file: string, opts: DescribeOptions = {}): Promise<FileDescription> {
  try {
    if (/\.asdf$/i.test(file)) return await describeAsdf(file);
    if (!GZIP_OR_FITS.test(file)) {
      // Content decides, not the name: FITS files start with SIMPLE, ASDF with #ASDF.
      const head = (await readFile(file)).subarray(0, 6).toString('latin1');
      if (head.startsWith('#ASDF')) return await describeAsdf(file);
    }
    return await describeFits(file, opts);
  } catch (e) {
    if (e instanceof WebbError) return { file, model: null, error: e.message, meta: {}, hdus: [] };
    if (e instanceof Error && 'code' in e && typeof (e as NodeJS.ErrnoException).code === 'string') {
      return { file, model: null, error: `${file}: ${e.message}`, meta: {}, hdus: [] };
    }
    throw e;
  }
}

/** Model type and meta from the headers of a FITS file. */
export function modelOfFits(hdus: readonly HduInfo[], columnsOf: (i: number) => string[] | undefined): { type: ModelType; declared?: string; meta: Meta } {
  const primary = hdus[0].header;
  const byName = (name: string): Header | undefined =>
    name === 'PRIMARY' ? primary : hdus.find((h) => (h.extname ?? '').toUpperCase() === name)?.header;
  const summaries: HduSummary[] = hdus.map((h) => ({
    type: h.type,
    extname: h.extname,
    extver: h.extver,
    ndim: h.type === 'PRIMARY' || h.type === 'IMAGE' ? Number(h.header.get('NAXIS') ?? 0) : 0,
    columns: h.type === 'BINTABLE' ? columnsOf(h.index) : undefined,
  }));
  const str = (k: string) => {
    const v = primary.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  const { type, declared } = detectModelType(summaries, { datamodl: str('DATAMODL'), expType: str('EXP_TYPE'), reftype: str('REFTYPE') });
  // A MultiSlit file's SCI headers belong to its slits, not to the top-level meta.
  const headerFor = type === 'MultiSlitModel' ? (n: string) => (n === 'PRIMARY' ? primary : undefined) : byName;
  return { type, declared, meta: metaFromHeaders(headerFor) };
}

async function describeFits(file: string, opts: DescribeOptions): Promise<FileDescription> {
  const f = await FitsFile.open(file);
  try {
    const tableCols = new Map<number, string[]>();
    for (const h of f.hdus) {
      if (h.type === 'BINTABLE' && (h.extname ?? '').toUpperCase() === 'EXTRACT1D') {
        const n = Number(h.header.get('TFIELDS') ?? 0);
        const names: string[] = [];
        for (let k = 1; k <= n; k++) names.push(String(h.header.get(`TTYPE${k}`) ?? '').trim().toUpperCase());
        tableCols.set(h.index, names);
      }
    }
    const { type, declared, meta: keywordMeta } = modelOfFits(f.hdus, (i) => tableCols.get(i));
    // As stdatamodels: the ASDF extension's tree holds meta that has no FITS keyword
    // (or, for MultiSlit, lives only there); FITS keywords win where both exist.
    const meta = mergeMeta((await asdfTreeMeta(f)) ?? {}, keywordMeta);
    const hdus: HduDescription[] = [];
    for (const h of f.hdus) hdus.push(await describeHdu(f, h, opts));
    return { file, model: declared ?? type, error: null, meta, hdus };
  } finally {
    await f.close();
  }
}

async function describeHdu(f: FitsFile, h: HduInfo, opts: DescribeOptions): Promise<HduDescription> {
  const d: HduDescription = {
    index: h.index, type: h.type, extname: h.extname ?? (h.index === 0 ? 'PRIMARY' : null), extver: h.extver,
    bitpix: Number(h.header.get('BITPIX')), shape: [], dtype: null,
  };
  const isImage = h.type === 'PRIMARY' || h.type === 'IMAGE';
  if (isImage) {
    const layout = imageLayout(h.header);
    d.shape = layout.shape;
    d.dtype = layout.shape.length ? layout.dtype : null;
  } else {
    d.shape = [Number(h.header.get('NAXIS2') ?? 0)];
  }
  if (opts.header) d.cards = h.header.cards.map((c) => [c.keyword, c.value, c.comment ?? null]);
  if (opts.stats && isImage && d.shape.length) {
    const a = await f.readImage(h.index);
    d.stats = imageStats(a);
    // DQ-like integer arrays: how many pixels carry each flag, by name.
    if (/DQ$/i.test(h.extname ?? '') && !a.dtype.startsWith('float')) d.stats.flag_counts = dqFlagCounts(a);
  }
  if (opts.rows !== undefined && (h.type === 'BINTABLE' || h.type === 'TABLE')) {
    const t = await f.readTable(h.index);
    d.nrows = t.nrows;
    d.columns = t.columns.map((c) => ({ name: c.name, tform: c.tform, dtype: c.dtype, cell_shape: c.cellShape, unit: c.unit ?? null }));
    d.rows = tableRows(t, Math.min(opts.rows, t.nrows));
  }
  if (opts.checksum) {
    const s = await f.verifyChecksum(h.index);
    d.checksum = { present: s.present, valid: s.present ? s.valid : null };
  }
  return d;
}

/** The first `n` rows as objects; multi-element cells as nested arrays. */
export function tableRows(t: FitsTable, n: number): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    for (const c of t.columns) row[c.name] = cellValue(c, r);
    rows.push(row);
  }
  return rows;
}

function cellValue(c: TableColumn, r: number): unknown {
  const data = c.data;
  if (c.code === 'P' || c.code === 'Q') {
    const cell = (data as Array<ArrayLike<unknown> | string>)[r];
    if (typeof cell === 'string') return cell;
    return c.dtype.startsWith('complex') ? pairs(cell as ArrayLike<number>) : Array.from(cell as ArrayLike<unknown>, (v) => scalar(c, v));
  }
  if (c.code === 'A') {
    const strs = data as string[];
    const per = c.cellShape.length > 1 ? c.cellShape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    if (per === 1) return strs[r];
    return nest(strs.slice(r * per, (r + 1) * per), c.cellShape.slice(0, -1));
  }
  const n = c.cellShape.reduce((a, b) => a * b, 1);
  const arr = data as ArrayLike<unknown>;
  if (c.dtype.startsWith('complex')) {
    const vals: unknown[] = [];
    for (let k = 0; k < n; k++) vals.push([Number(arr[2 * (r * n + k)]), Number(arr[2 * (r * n + k) + 1])]);
    return c.cellShape.length === 0 ? vals[0] : nest(vals, c.cellShape);
  }
  const vals: unknown[] = [];
  for (let k = 0; k < n; k++) vals.push(scalar(c, arr[r * n + k]));
  return c.cellShape.length === 0 ? vals[0] : nest(vals, c.cellShape);
}

function scalar(c: TableColumn, v: unknown): unknown {
  if (c.code === 'L') return v === 1 ? true : v === 0 ? false : null;
  if (c.code === 'X') return v === 1;
  return v;
}

function pairs(a: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let k = 0; k + 1 < a.length; k += 2) out.push([a[k], a[k + 1]]);
  return out;
}

function nest(flat: unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return flat;
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]; i++) out.push(nest(flat.slice(i * inner, (i + 1) * inner), shape.slice(1)));
  return out;
}

async function describeAsdf(file: string): Promise<FileDescription> {
  const bytes = new Uint8Array(await readFile(file));
  const af = parseAsdf(bytes, file);
  const tree = af.tree as Record<string, unknown>;
  const meta = plainMeta(tree.meta) as Meta;
  const arrays: Array<{ name: string; shape: number[]; dtype: string }> = [];
  for (const [k, v] of Object.entries(tree)) {
    const info = arrayInfo(v);
    if (info) arrays.push({ name: k, ...info });
  }
  const model = typeof meta.model_type === 'string' ? meta.model_type : null;
  return { file, model, error: null, meta, hdus: [], arrays };
}

function arrayInfo(v: unknown): { shape: number[]; dtype: string } | undefined {
  if (!(v instanceof AsdfNDArray)) return undefined;
  return { shape: v.shape.map(Number), dtype: typeof v.datatype === 'string' ? v.datatype : JSON.stringify(v.datatype) };
}

async function asdfTreeMeta(f: FitsFile): Promise<Meta | undefined> {
  const h = f.hdus.find((x) => x.type === 'BINTABLE' && (x.extname ?? '').toUpperCase() === 'ASDF');
  if (!h) return undefined;
  const t = await f.readTable(h.index);
  const col = t.columns.find((c) => c.name.toUpperCase() === 'ASDF_METADATA');
  if (!col || !(col.data instanceof Uint8Array)) return undefined;
  // Like Python asdf's default, a stale block checksum does not stop reading.
  const tree = parseAsdfInFits(col.data, f.path, { verifyChecksums: false }).tree as Record<string, unknown>;
  return plainMeta(tree.meta) as Meta | undefined;
}

function mergeMeta(base: Meta, over: Meta): Meta {
  const out: Meta = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v !== null && typeof v === 'object' && b !== null && typeof b === 'object' ? mergeMeta(b as Meta, v as Meta) : v;
  }
  return out;
}

/** Meta from an ASDF tree as plain data (tags unwrapped, arrays summarised). */
function plainMeta(v: unknown): unknown {
  // Tagged objects (gwcs, transforms) are named by their tag, not dumped.
  if (v instanceof Tagged) return typeof v.value === 'object' && v.value !== null ? `!<${v.tag}>` : plainMeta(v.value);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainMeta);
  if (v && typeof v === 'object') {
    if (arrayInfo(v)) return arrayInfo(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainMeta(x);
    return out;
  }
  return v;
}

export type { NDArray };
