/**
 * Planning integration chunks for streamed TSO processing (pure): chunk
 * ranges under a byte budget, the overlapping windows a rolling median along
 * time needs, and slicing/adjusting the per-chunk model pieces (INT_TIMES
 * rows, meta.exposure.integration_start) so per-integration steps see the
 * same numbers as on the whole cube.
 */
import { getMeta, setMeta, type Meta, type MetaValue } from '../../datamodels/meta.ts';
import { BugError } from '../../errors/index.ts';
import type { FitsTable } from '../../fits/index.ts';

/** A half-open range of integrations [start, stop) (0-based). */
export interface IntRange {
  readonly start: number;
  readonly stop: number;
}

/** Integrations per chunk for a budget (bytes) and the bytes one integration occupies in all planes; at least `min`. */
export function intsPerChunk(bytesPerInt: number, chunkBytes: number, min = 2): number {
  if (!(bytesPerInt > 0)) throw new BugError(`bytes per integration must be positive, got ${bytesPerInt}`);
  return Math.max(min, Math.floor(chunkBytes / bytesPerInt));
}

/**
 * Consecutive ranges of `per` integrations covering [0, nints). A last range
 * shorter than `min` is merged into the previous one (a 1-integration cube
 * is not a multi-integration product for extract_1d).
 */
export function chunkRanges(nints: number, per: number, min = 2): IntRange[] {
  if (!(per >= 1)) throw new BugError(`chunk size must be >= 1, got ${per}`);
  const out: IntRange[] = [];
  for (let s = 0; s < nints; s += per) out.push({ start: s, stop: Math.min(nints, s + per) });
  if (out.length > 1 && out[out.length - 1]!.stop - out[out.length - 1]!.start < min) {
    const last = out.pop()!;
    out[out.length - 1] = { start: out[out.length - 1]!.start, stop: last.stop };
  }
  return out;
}

/** A core range and the window (core plus `margin` integrations each side, clipped) to load for it. */
export interface WindowedRange {
  readonly core: IntRange;
  readonly window: IntRange;
}

/**
 * Windows for a rolling median of width w (outlier_detection, TSO): an
 * output integration far enough from a window's edges depends only on the
 * w integrations around it, so with margin >= w on each side the core
 * results of the window equal those of the whole cube.
 */
export function rollingWindows(nints: number, per: number, w: number): WindowedRange[] {
  const margin = Math.max(0, w);
  return chunkRanges(nints, per).map((core) => ({
    core,
    window: { start: Math.max(0, core.start - margin), stop: Math.min(nints, core.stop + margin) },
  }));
}

/** Rows [r0, r1) of a table (fixed-width columns; P/Q and string columns sliced per row). */
export function sliceTable(t: FitsTable, r0: number, r1: number): FitsTable {
  const lo = Math.max(0, Math.min(r0, t.nrows)), hi = Math.max(lo, Math.min(r1, t.nrows));
  return {
    ...t,
    nrows: hi - lo,
    columns: t.columns.map((c) => {
      const width = c.cellShape.reduce((a, b) => a * b, 1);
      const data = c.data as unknown as { subarray?: (a: number, b: number) => unknown; slice: (a: number, b: number) => unknown; length: number };
      const perRow = Array.isArray(c.data) ? (c.data.length === t.nrows ? 1 : width) : (c.code === 'C' || c.code === 'M' ? 2 * width : width);
      const sliced = typeof data.subarray === 'function' ? data.subarray(lo * perRow, hi * perRow) : data.slice(lo * perRow, hi * perRow);
      return { ...c, data: sliced as typeof c.data };
    }),
  };
}

/** meta.exposure.integration_start as the chunk model carries it (1-based first integration of the chunk). */
export function chunkMeta(meta: Meta, start: number): Meta {
  const m = structuredClone(meta);
  const first = Number(getMeta(meta, 'exposure.integration_start') ?? 1);
  setMeta(m, 'exposure.integration_start', first + start);
  return m;
}

/** Undo chunkMeta on a product's meta: the exposure's own integration_start (or none). */
export function restoreMeta(meta: Meta, original: Meta): Meta {
  const m = structuredClone(meta);
  const v = getMeta(original, 'exposure.integration_start');
  const exp = m.exposure as Meta | undefined;
  if (v === undefined) {
    if (exp) delete exp.integration_start;
  } else {
    setMeta(m, 'exposure.integration_start', v as MetaValue);
  }
  return m;
}
