/**
 * Comparing our products with the golden jwst 3.0 ones (shared/golden
 * README, "tolerances"): element-wise |a - e| <= atol + rtol * |e| on finite
 * values, NaN positions must agree, DQ/flags exact. Failures are returned as
 * messages with counts and the largest deviation, so a test prints all of
 * them at once.
 */
import path from 'node:path';
import { FitsFile } from '../../core/fits/index.node.ts';
import type { FitsTable, Header } from '../../core/fits/index.ts';

/** A numeric tolerance; 'exact' means equal values (and equal NaN positions). */
export type Tol = { rtol?: number; atol?: number } | 'exact';

/** What one comparison found. */
export interface CompareStats {
  readonly n: number;
  /** Elements outside the tolerance (finite in both). */
  readonly bad: number;
  /** Positions where exactly one side is NaN/inf (or non-finite values differ). */
  readonly nanMismatch: number;
  readonly maxAbs: number;
  /** Largest |a - e| / |e| over elements with e != 0. */
  readonly maxRel: number;
  readonly shapeError?: string;
}

type Num = ArrayLike<number | bigint>;

/** Element-wise comparison of two flat numeric arrays. */
export function compareValues(actual: Num, expected: Num, tol: Tol): CompareStats {
  if (actual.length !== expected.length) {
    return { n: expected.length, bad: expected.length, nanMismatch: 0, maxAbs: NaN, maxRel: NaN, shapeError: `length ${actual.length} != ${expected.length}` };
  }
  const exact = tol === 'exact';
  const rtol = exact ? 0 : tol.rtol ?? 0;
  const atol = exact ? 0 : tol.atol ?? 0;
  let bad = 0;
  let nanMismatch = 0;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    const fa = Number.isFinite(a);
    const fe = Number.isFinite(e);
    if (!fa || !fe) {
      if (fa !== fe || !Object.is(a, e)) nanMismatch++;
      continue;
    }
    const d = Math.abs(a - e);
    if (d > maxAbs) maxAbs = d;
    if (e !== 0 && d / Math.abs(e) > maxRel) maxRel = d / Math.abs(e);
    if (d > atol + rtol * Math.abs(e)) bad++;
  }
  return { n: expected.length, bad, nanMismatch, maxAbs, maxRel };
}

/** One line describing a comparison ("SCI: 0/4608 outside, max |d| 1.2e-6, max rel 3e-7"). */
export function describeStats(label: string, s: CompareStats): string {
  if (s.shapeError) return `${label}: ${s.shapeError}`;
  return `${label}: ${s.bad}/${s.n} outside tolerance, ${s.nanMismatch} NaN mismatches, max |d| ${s.maxAbs.toExponential(2)}, max rel ${s.maxRel.toExponential(2)}`;
}

/** EXTNAMEs of a FITS file in order ('PRIMARY' first). */
export async function hduNames(file: string): Promise<string[]> {
  const f = await FitsFile.open(file);
  try {
    return f.hdus.map((h) => (h.index === 0 ? 'PRIMARY' : (h.extname ?? '').toUpperCase()));
  } finally {
    await f.close();
  }
}

/** Per-extension tolerances of one file: EXTNAME -> Tol; for tables, 'EXTNAME.COLUMN' -> Tol. */
export type FileTolerances = Readonly<Record<string, Tol>>;

/** The result of comparing a whole file: failure messages and the per-extension stats (for the report). */
export interface FileReport {
  readonly failures: string[];
  readonly stats: Record<string, CompareStats>;
}

const base = (v: unknown): string => (typeof v === 'string' ? path.basename(v.replace(/^crds:\/\//, '')) : String(v));

/** S_* step statuses and R_* reference names (basenames: golden paths are from another machine). */
export function compareBookkeeping(actual: Header, expected: Header, failures: string[], label: string): void {
  for (const c of expected.cards) {
    const k = c.keyword;
    if (!/^[SR]_[A-Z0-9]+$/.test(k)) continue;
    const e = expected.get(k);
    if (k.startsWith('S_')) {
      if (actual.get(k) !== e) failures.push(`${label} PRIMARY ${k}: ${String(actual.get(k))} (golden ${String(e)})`);
    } else if (base(actual.get(k)) !== base(e)) {
      failures.push(`${label} PRIMARY ${k}: ${String(actual.get(k))} (golden ${String(e)})`);
    }
  }
  // The association a product came from (jwst: 'singleton' for a file run alone).
  for (const k of ['ASNPOOL', 'ASNTABLE']) {
    if (expected.has(k) && actual.get(k) !== expected.get(k)) failures.push(`${label} PRIMARY ${k}: ${String(actual.get(k))} (golden ${String(expected.get(k))})`);
  }
  for (const c of actual.cards) {
    if (/^S_[A-Z0-9]+$/.test(c.keyword) && !expected.has(c.keyword)) failures.push(`${label} PRIMARY ${c.keyword}=${String(c.value)} not in the golden file`);
  }
}

function tableColumn(t: FitsTable, name: string): Num | undefined {
  const c = t.columns.find((x) => x.name.toUpperCase() === name);
  if (!c) return undefined;
  const d = c.data;
  if (Array.isArray(d)) {
    const parts = d as Array<ArrayLike<number> | string>;
    if (parts.some((p) => typeof p === 'string')) return undefined;
    return parts.flatMap((p) => Array.from(p as ArrayLike<number>));
  }
  return d as Num;
}

/**
 * Compare a product with its golden file: same HDU list, bookkeeping
 * keywords, each image extension named in `tol` and each table column
 * named 'EXT.COL' (or every numeric column of EXT when tol has 'EXT.*').
 */
export async function compareFiles(actualPath: string, expectedPath: string, tol: FileTolerances): Promise<FileReport> {
  const label = path.basename(actualPath);
  const failures: string[] = [];
  const stats: Record<string, CompareStats> = {};
  const [a, e] = await Promise.all([FitsFile.open(actualPath), FitsFile.open(expectedPath)]);
  try {
    const names = (f: FitsFile): string[] => f.hdus.map((h) => (h.index === 0 ? 'PRIMARY' : (h.extname ?? '').toUpperCase()));
    const an = names(a);
    const en = names(e);
    if (an.join(' ') !== en.join(' ')) failures.push(`${label} HDUs [${an.join(' ')}] != golden [${en.join(' ')}]`);
    const dm = [a.hdus[0]!.header.get('DATAMODL'), e.hdus[0]!.header.get('DATAMODL')];
    if (dm[0] !== dm[1]) failures.push(`${label} DATAMODL ${String(dm[0])} != golden ${String(dm[1])}`);
    compareBookkeeping(a.hdus[0]!.header, e.hdus[0]!.header, failures, label);
    const find = (f: FitsFile, ext: string) => f.hdus.find((h) => h.index > 0 && (h.extname ?? '').toUpperCase() === ext);
    for (const [key, t] of Object.entries(tol)) {
      const [ext, col] = key.split('.') as [string, string | undefined];
      const ha = find(a, ext);
      const he = find(e, ext);
      if (!he) throw new Error(`golden ${expectedPath} has no ${ext}`);
      if (!ha) {
        failures.push(`${label} has no ${ext}`);
        continue;
      }
      if (col === undefined && he.type !== 'BINTABLE') {
        const [ia, ie] = await Promise.all([a.readImage(ha.index), e.readImage(he.index)]);
        const s = ia.shape.join('x') !== ie.shape.join('x')
          ? { n: 0, bad: 0, nanMismatch: 0, maxAbs: NaN, maxRel: NaN, shapeError: `shape ${ia.shape.join('x')} != ${ie.shape.join('x')}` }
          : compareValues(ia.data as Num, ie.data as Num, t);
        stats[ext] = s;
        if (s.shapeError || s.bad > 0 || s.nanMismatch > 0) failures.push(describeStats(`${label} ${ext}`, s));
        continue;
      }
      const [ta, te] = await Promise.all([a.readTable(ha.index), e.readTable(he.index)]);
      const cols = col === undefined || col === '*' ? te.columns.map((c) => c.name.toUpperCase()).filter((c) => !Object.keys(tol).includes(`${ext}.${c}`)) : [col];
      for (const c of cols) {
        const ce = tableColumn(te, c);
        if (!ce) continue;
        const ca = tableColumn(ta, c);
        if (!ca) {
          failures.push(`${label} ${ext} has no column ${c}`);
          continue;
        }
        const s = compareValues(ca, ce, t);
        stats[`${ext}.${c}`] = s;
        if (s.shapeError || s.bad > 0 || s.nanMismatch > 0) failures.push(describeStats(`${label} ${ext}.${c}`, s));
      }
    }
  } finally {
    await Promise.all([a.close(), e.close()]);
  }
  return { failures, stats };
}

/** Number of elements whose values differ (flags compared exactly), for "allow 0.01% of groups" rules. */
export function countDifferent(actual: Num, expected: Num): number {
  let n = 0;
  for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) n++;
  return n;
}

/**
 * A case.json tolerance block for one file as FileTolerances: {rtol, atol}
 * objects as given, strings starting with "exact" as 'exact'; keys joined by
 * '/' are split, 'X_*' patterns expanded over `names` (the golden EXTNAMEs);
 * 'n/a' entries, notes (NaN, rule) and the keys in `except` are left out.
 */
export function tolerancesFromCase(block: Record<string, unknown>, names: readonly string[], except: readonly string[] = []): Record<string, Tol> {
  const out: Record<string, Tol> = {};
  for (const [key, v] of Object.entries(block)) {
    let t: Tol | undefined;
    if (typeof v === 'string') t = /^exact/i.test(v) ? 'exact' : undefined;
    else if (v && typeof v === 'object') t = v as Tol;
    if (!t) continue;
    for (const k of key.split('/')) {
      const hits = k.includes('*') ? names.filter((n) => new RegExp(`^${k.replace(/\*/g, '.*')}$`).test(n)) : names.includes(k) ? [k] : [];
      for (const h of hits) if (!except.includes(h)) out[h] = t;
    }
  }
  return out;
}

/** Keywords of extension `ext` (first HDU of that name) that differ from the golden file's (numbers to 1e-9 relative). */
export async function headerDiffs(actualPath: string, expectedPath: string, ext: string, keywords: readonly string[]): Promise<string[]> {
  const [a, e] = await Promise.all([FitsFile.open(actualPath), FitsFile.open(expectedPath)]);
  try {
    const find = (f: FitsFile) => f.hdus.find((h) => (h.index === 0 ? 'PRIMARY' : (h.extname ?? '').toUpperCase()) === ext)?.header;
    const ha = find(a);
    const he = find(e);
    if (!ha || !he) return [`${path.basename(actualPath)}: no ${ext} header`];
    const out: string[] = [];
    for (const k of keywords) {
      const va = ha.get(k);
      const ve = he.get(k);
      const same = typeof va === 'number' && typeof ve === 'number' ? Math.abs(va - ve) <= 1e-9 * Math.abs(ve) : va === ve;
      if (!same) out.push(`${path.basename(actualPath)} ${ext} ${k}: ${String(va)} (golden ${String(ve)})`);
    }
    return out;
  } finally {
    await Promise.all([a.close(), e.close()]);
  }
}
