/**
 * Planning calwebb_detector1 by row blocks (pure): jump and ramp_fit work on
 * all integrations and groups of a pixel, so the ramp is cut along rows. A
 * block's core rows [y0, y1) are processed inside a window with `halo` extra
 * rows on each side (IPC kernel, saturation growth and jump neighbour
 * flagging look at neighbouring rows); the sub-model's subarray window
 * (SUBSTRT2/SUBSIZE2) is moved so that every reference cut picks its rows.
 */
import { getMeta, setMeta, type Meta, type MetaValue } from '../../datamodels/meta.ts';
import { BugError } from '../../errors/index.ts';
import { allocData, ndarray, type NDArray } from '../../ndarray/index.ts';

/** A half-open row range [start, stop) (0-based, within the exposure's array). */
export interface RowRange {
  readonly start: number;
  readonly stop: number;
}

/** Core rows of a block and the window (core plus halo each side, clipped) it is processed in. */
export interface RowBlock {
  readonly core: RowRange;
  readonly window: RowRange;
}

/**
 * Rows of context a block needs on each side for its core rows to equal
 * the whole-frame run: saturation growth (n_pix_grow_sat), IPC kernel half
 * size, then one row for jump's 4-neighbour flagging, plus one row so the
 * rows just outside the core (whose primary jumps are counted apart) are exact too.
 */
export function detector1Halo(nPixGrowSat: number, ipcHalf = 2): number {
  return Math.max(0, nPixGrowSat) + ipcHalf + 2;
}

/** Core rows per block for a byte budget and the bytes one row occupies over all groups and integrations (at least 1). */
export function rowsPerBlock(bytesPerRow: number, budget: number): number {
  if (!(bytesPerRow > 0)) throw new BugError(`bytes per row must be positive, got ${bytesPerRow}`);
  return Math.max(1, Math.floor(budget / bytesPerRow));
}

/** Blocks of `per` core rows covering [0, ny), each with its window of `halo` rows each side. */
export function rowBlocks(ny: number, per: number, halo: number): RowBlock[] {
  if (!(per >= 1)) throw new BugError(`rows per block must be >= 1, got ${per}`);
  const out: RowBlock[] = [];
  for (let s = 0; s < ny; s += per) {
    const core = { start: s, stop: Math.min(ny, s + per) };
    out.push({ core, window: { start: Math.max(0, core.start - halo), stop: Math.min(ny, core.stop + halo) } });
  }
  return out;
}

/** Meta of a sub-model holding rows [r.start, r.stop) of the exposure: SUBSTRT2 moved by r.start, SUBSIZE2 = rows. */
export function rowsMeta(meta: Meta, r: RowRange): Meta {
  const m = structuredClone(meta);
  const y = Number(getMeta(meta, 'subarray.ystart') ?? 1);
  setMeta(m, 'subarray.ystart', y + r.start);
  setMeta(m, 'subarray.ysize', r.stop - r.start);
  return m;
}

/** Undo rowsMeta: the exposure's own SUBSTRT2/SUBSIZE2 (or none). */
export function restoreRowsMeta(meta: Meta, original: Meta): Meta {
  const m = structuredClone(meta);
  for (const k of ['subarray.ystart', 'subarray.ysize']) {
    const v = getMeta(original, k);
    if (v === undefined) {
      const sub = m.subarray as Meta | undefined;
      if (sub) delete sub[k.slice('subarray.'.length)];
    } else {
      setMeta(m, k, v as MetaValue);
    }
  }
  return m;
}

/** Whether an array is cut by rows: at least 2-D, its last two axes (ny, nx). */
export function isRowArray(a: NDArray, ny: number, nx: number): boolean {
  const n = a.shape.length;
  return n >= 2 && a.shape[n - 2] === ny && a.shape[n - 1] === nx;
}

/** Rows [from, to) (along the second-to-last axis) of every plane of `a`, as a new contiguous array. */
export function cropRows(a: NDArray, from: number, to: number): NDArray {
  const n = a.shape.length;
  const ny = a.shape[n - 2]!, nx = a.shape[n - 1]!;
  if (from < 0 || to > ny || to < from) throw new BugError(`cropRows: rows [${from}, ${to}) of ${ny}`);
  const lead = a.shape.slice(0, n - 2);
  const planes = lead.reduce((p, k) => p * k, 1);
  const rows = to - from;
  const out = allocData(a.dtype, planes * rows * nx) as unknown as { set(x: ArrayLike<unknown>, o: number): void };
  const src = a.data as unknown as { subarray(s: number, e: number): ArrayLike<unknown> };
  for (let p = 0; p < planes; p++) out.set(src.subarray((p * ny + from) * nx, (p * ny + to) * nx), p * rows * nx);
  return ndarray(out as never, [...lead, rows, nx]);
}

/**
 * Per (integration, group) plane of a GROUPDQ array [nints, ngroups, ny, nx]:
 * whether every pixel of rows [from, to) has DO_NOT_USE (bit 1). jump counts
 * such planes over the whole frame; a block must see the same ones.
 */
export function allDnuPlanes(groupdq: Uint8Array, shape: readonly number[], from: number, to: number): Uint8Array {
  const [nints, ngroups, ny, nx] = shape as [number, number, number, number];
  const out = new Uint8Array(nints * ngroups);
  for (let k = 0; k < nints * ngroups; k++) {
    let all = 1;
    const end = (k * ny + to) * nx;
    for (let q = (k * ny + from) * nx; q < end && all; q++) if ((groupdq[q]! & 1) === 0) all = 0;
    out[k] = all;
  }
  return out;
}
