/**
 * Combining the per-segment x1dints of a segmented TSO exposure into one
 * product in time order (calwebb_tso3 docs: "segmented exposures ...
 * combined"). Segments are ordered by meta.exposure.segment_number, then by
 * the first integration's start. Each part's table rows and the INT_TIMES
 * rows are concatenated; part i of every segment must describe the same
 * spectrum (same order/slit), which is checked by column names.
 */
import { getMeta } from '../datamodels/meta.ts';
import { StepError } from '../errors/index.ts';
import type { FitsTable } from '../fits/index.ts';
import type { JwstModel } from '../stpipe/model.ts';

function segmentKey(m: JwstModel): [number, number] {
  const seg = getMeta(m.meta, 'exposure.segment_number');
  const start = getMeta(m.meta, 'exposure.integration_start');
  return [typeof seg === 'number' ? seg : 0, typeof start === 'number' ? start : 0];
}

/** Models in segment order (stable). */
export function sortSegments(models: readonly JwstModel[]): JwstModel[] {
  return models
    .map((m, i) => ({ m, i, k: segmentKey(m) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.m);
}

function concatData(parts: readonly unknown[]): unknown {
  const first = parts[0];
  if (Array.isArray(first)) return (parts as unknown[][]).flat();
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) {
    const arrays = parts as ArrayLike<number | bigint>[];
    const total = arrays.reduce((n, a) => n + a.length, 0);
    const Ctor = (first as unknown as { constructor: new (n: number) => { set(a: ArrayLike<number | bigint>, o: number): void } }).constructor;
    const out = new Ctor(total);
    let off = 0;
    for (const a of arrays) { out.set(a, off); off += a.length; }
    return out;
  }
  throw new StepError('not-implemented', 'combining segments: unsupported table column storage');
}

/** Row-wise concatenation of tables with the same columns. */
export function concatTables(tables: readonly FitsTable[], what: string): FitsTable {
  const first = tables[0]!;
  const names = first.columns.map((c) => c.name).join(',');
  for (const t of tables) {
    if (t.columns.map((c) => c.name).join(',') !== names) {
      throw new StepError('segment-mismatch', `combining segments: ${what} tables have different columns (${names} vs ${t.columns.map((c) => c.name).join(',')})`);
    }
  }
  return {
    ...first,
    nrows: tables.reduce((n, t) => n + t.nrows, 0),
    columns: first.columns.map((c, j) => ({ ...c, data: concatData(tables.map((t) => t.columns[j]!.data)) })) as FitsTable['columns'],
  };
}

/** One x1dints model from the segments' x1dints, in time order. */
export function combineSegments(models: readonly JwstModel[]): JwstModel {
  if (models.length === 0) throw new StepError('no-science', 'combining segments: no extracted spectra');
  if (models.length === 1) return models[0]!;
  const segs = sortSegments(models);
  const nparts = segs[0]!.parts?.length ?? 0;
  if (nparts === 0 || segs.some((s) => (s.parts?.length ?? 0) !== nparts || s.parts!.some((p) => !p.table))) {
    throw new StepError('not-implemented', 'combining segments: every segment must hold the same number of spectra with tables');
  }
  const parts = segs[0]!.parts!.map((p, i) => ({ ...p, table: concatTables(segs.map((s) => s.parts![i]!.table!), `spectrum ${i + 1}`) }));
  const tables = { ...segs[0]!.tables };
  for (const name of Object.keys(tables)) {
    if (segs.every((s) => s.tables[name])) tables[name] = concatTables(segs.map((s) => s.tables[name]!), name);
  }
  return { ...segs[0]!, parts, tables };
}
