/**
 * Binary tables (FITS Standard 4.0, sect. 7.3): fixed-width columns in big-endian rows,
 * variable-length arrays in the heap (7.3.5), TSCALn/TZEROn scaling and TNULLn (7.3.2).
 */
import { FitsError, type ErrorLocation } from '../errors/index.ts';
import { sizeOf, type TypedArray } from '../ndarray/index.ts';
import type { Header, Where } from './header.ts';
import { cellShapeOf, columnDtype, CODE_BYTES, parseTform, type ParsedTform } from './tform.ts';

export type ColumnData = TypedArray | string[] | Array<TypedArray | string>;

export interface TableColumn {
  name: string;
  tform: string;
  /** TFORM type code: L X B I J K A E D C M P Q. */
  code: string;
  repeat: number;
  /** numpy-style dtype after TSCAL/TZERO (of the elements, for P/Q). */
  dtype: string;
  /** numpy-order cell shape: from TDIM, [] for scalars, [repeat] otherwise. */
  cellShape: number[];
  unit?: string;
  null?: number | bigint;
  tscal?: number;
  tzero?: number;
  /** Element code of a P/Q column. */
  heapCode?: string;
  /**
   * nrows * prod(cellShape) values; complex interleaved re/im (twice as long); L as Int8Array
   * (1 true, 0 false, -1 undefined); X as Uint8Array of 0/1; A as string[]; P/Q one array
   * (or string) per row.
   */
  data: ColumnData;
}

export interface FitsTable {
  nrows: number;
  columns: TableColumn[];
}

export interface TableColumnSpec {
  name: string;
  /** e.g. 'J', '386D', '10A', '16X', 'PE()', 'QD'. */
  tform: string;
  data: ColumnData;
  unit?: string;
  /** numpy order; written as TDIM when it is not [] or [repeat]. For A: the shape of the string array. */
  cellShape?: number[];
  null?: number | bigint;
  /** Data are physical values; stored = (value - tzero) / tscal. */
  tscal?: number;
  tzero?: number;
}

type Mode = 'none' | 'offset' | 'scale';

interface ColPlan {
  p: ParsedTform;
  code: string;
  offset: number;
  count: number;
  cellShape: number[];
  tscal: number;
  tzero: number;
  mode: Mode;
  tnull?: number | bigint;
  dtype: string;
}

const OFFSETS: Record<string, number> = { B: -128, I: 32768, J: 2 ** 31, K: 2 ** 63 };

function modeOf(code: string, tscal: number, tzero: number): Mode {
  if (tscal === 1 && tzero === 0) return 'none';
  if (tscal === 1 && OFFSETS[code] === tzero) return 'offset';
  if (code === 'L' || code === 'X' || code === 'A') return 'none';
  return 'scale';
}

/** A typed array for `n` decoded elements of a column. */
function allocFor(code: string, mode: Mode, n: number): TypedArray | string[] {
  if (mode === 'scale' && code !== 'E' && code !== 'C' && code !== 'M') return new Float64Array(n);
  switch (code) {
    case 'L': return new Int8Array(n);
    case 'X': return new Uint8Array(n);
    case 'B': return mode === 'offset' ? new Int8Array(n) : new Uint8Array(n);
    case 'I': return mode === 'offset' ? new Uint16Array(n) : new Int16Array(n);
    case 'J': return mode === 'offset' ? new Uint32Array(n) : new Int32Array(n);
    case 'K': return mode === 'offset' ? new BigUint64Array(n) : new BigInt64Array(n);
    case 'E': return new Float32Array(n);
    case 'D': return new Float64Array(n);
    case 'C': return new Float32Array(2 * n);
    case 'M': return new Float64Array(2 * n);
    default: return new Array<string>(n).fill('');
  }
}

function readString(bytes: Uint8Array, pos: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    const b = bytes[pos + i];
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s.replace(/ +$/, '');
}

/**
 * Decode `count` elements of `code` at `pos` into `out[at...]`. For A, `count` characters
 * become strings of `width` characters each.
 */
function readElements(bytes: Uint8Array, dv: DataView, pos: number, c: Pick<ColPlan, 'code' | 'mode' | 'tscal' | 'tzero' | 'tnull'>, count: number, out: TypedArray | string[], at: number, strWidth = count): void {
  const { code, mode, tscal, tzero } = c;
  const o = out as unknown as Record<number, number | bigint | string>;
  switch (code) {
    case 'A': {
      const n = strWidth > 0 ? Math.floor(count / strWidth) : 0;
      for (let k = 0; k < Math.max(n, 1); k++) o[at + k] = readString(bytes, pos + k * strWidth, strWidth);
      return;
    }
    case 'L':
      for (let k = 0; k < count; k++) { const b = bytes[pos + k]; o[at + k] = b === 0x54 ? 1 : b === 0x46 ? 0 : -1; }
      return;
    case 'X':
      for (let k = 0; k < count; k++) o[at + k] = (bytes[pos + (k >> 3)] >> (7 - (k & 7))) & 1;
      return;
    case 'B':
      if (mode === 'none') { (out as Uint8Array).set(bytes.subarray(pos, pos + count), at); return; }
      break;
    case 'C': case 'M': {
      const sz = code === 'C' ? 4 : 8;
      for (let k = 0; k < 2 * count; k++) {
        const v = sz === 4 ? dv.getFloat32(pos + k * sz) : dv.getFloat64(pos + k * sz);
        o[2 * at + k] = mode === 'scale' ? v * tscal + (k % 2 === 0 ? tzero : 0) : v;
      }
      return;
    }
    default: break;
  }
  const size = CODE_BYTES[code];
  const tnull = c.tnull;
  for (let k = 0; k < count; k++) {
    const p = pos + k * size;
    let raw: number | bigint;
    switch (code) {
      case 'B': raw = bytes[p]; break;
      case 'I': raw = dv.getInt16(p); break;
      case 'J': raw = dv.getInt32(p); break;
      case 'K': raw = dv.getBigInt64(p); break;
      case 'E': raw = dv.getFloat32(p); break;
      default: raw = dv.getFloat64(p); break;
    }
    if (mode === 'none') o[at + k] = raw;
    else if (mode === 'offset') {
      o[at + k] = typeof raw === 'bigint' ? BigInt.asUintN(64, raw + 9223372036854775808n) : raw + tzero;
    } else {
      o[at + k] = tnull !== undefined && raw == tnull ? NaN : Number(raw) * tscal + tzero;
    }
  }
}

function colLoc(where: Where, i: number, key = 'TFORM'): ErrorLocation {
  return { ...where, keyword: `${key}${i + 1}` };
}

function numKey(header: Header, key: string, dflt: number): number {
  return header.has(key) ? (header.getNumber(key) as number) : dflt;
}

/** Column layout of a BINTABLE header. */
export function tableLayout(header: Header, where: Where = header.where): { rowBytes: number; nrows: number; heapOffset: number; plans: ColPlan[]; columns: Omit<TableColumn, 'data'>[] } {
  const rowBytes = header.getInt('NAXIS1') ?? 0;
  const nrows = header.getInt('NAXIS2') ?? 0;
  const tfields = header.getInt('TFIELDS') ?? 0;
  if (tfields < 0 || tfields > 999) throw new FitsError('bad-structure', `TFIELDS = ${tfields} is outside 0..999 (FITS 4.0 sect. 7.3.1)`, where);
  const heapOffset = header.getInt('THEAP') ?? rowBytes * nrows;
  const plans: ColPlan[] = [];
  const columns: Omit<TableColumn, 'data'>[] = [];
  let offset = 0;
  for (let i = 0; i < tfields; i++) {
    const tform = header.getString(`TFORM${i + 1}`);
    if (tform === undefined) throw new FitsError('missing-keyword', `TFORM${i + 1} is missing (TFIELDS = ${tfields})`, colLoc(where, i));
    const p = parseTform(tform, colLoc(where, i));
    const tdim = header.has(`TDIM${i + 1}`) ? header.getString(`TDIM${i + 1}`) : undefined;
    const cellShape = cellShapeOf(p, tdim, colLoc(where, i, 'TDIM'));
    const tscal = numKey(header, `TSCAL${i + 1}`, 1);
    const tzero = numKey(header, `TZERO${i + 1}`, 0);
    const elemCode = p.heapCode ?? p.code;
    const mode = modeOf(elemCode, tscal, tzero);
    const dtype = columnDtype(elemCode, tscal, tzero);
    const count = p.code === 'A' ? p.repeat : sizeOf(cellShape) * (p.repeat === 0 ? 0 : 1);
    const plan: ColPlan = { p, code: p.code, offset, count, cellShape, tscal, tzero, mode, dtype };
    const col: Omit<TableColumn, 'data'> = { name: (header.get(`TTYPE${i + 1}`) ?? '').toString().trim(), tform: tform.trim(), code: p.code, repeat: p.repeat, dtype, cellShape };
    if (p.heapCode) col.heapCode = p.heapCode;
    if (header.has(`TNULL${i + 1}`)) {
      const tn = header.getInteger(`TNULL${i + 1}`);
      if (tn !== undefined) { plan.tnull = tn; col.null = tn; }
    }
    const unit = header.get(`TUNIT${i + 1}`);
    if (typeof unit === 'string' && unit.trim() !== '') col.unit = unit.trim();
    if (tscal !== 1) col.tscal = tscal;
    if (tzero !== 0) col.tzero = tzero;
    plans.push(plan);
    columns.push(col);
    offset += p.width;
  }
  if (offset > rowBytes) {
    throw new FitsError('bad-structure', `columns need ${offset} bytes per row but NAXIS1 = ${rowBytes} (FITS 4.0 sect. 7.3.1)`, where);
  }
  return { rowBytes, nrows, heapOffset, plans, columns };
}

/** Decode a BINTABLE from its data (main table followed by the heap). */
export function decodeTable(header: Header, bytes: Uint8Array, where: Where = header.where): FitsTable {
  const { rowBytes, nrows, heapOffset, plans, columns } = tableLayout(header, where);
  if (bytes.length < rowBytes * nrows) {
    throw new FitsError('truncated', `table data are ${bytes.length} bytes, ${nrows} rows of ${rowBytes} bytes need ${rowBytes * nrows}`, where);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: TableColumn[] = [];
  for (let ci = 0; ci < plans.length; ci++) {
    const c = plans[ci];
    const loc = colLoc(where, ci);
    let data: ColumnData;
    if (c.code === 'P' || c.code === 'Q') {
      const heapCode = c.p.heapCode as string;
      const rows: Array<TypedArray | string> = [];
      const elem = { ...c, code: heapCode };
      for (let r = 0; r < nrows; r++) {
        const base = r * rowBytes + c.offset;
        let n = 0;
        let off = 0;
        if (c.p.repeat > 0) {
          if (c.code === 'P') { n = dv.getInt32(base); off = dv.getInt32(base + 4); }
          else { n = Number(dv.getBigInt64(base)); off = Number(dv.getBigInt64(base + 8)); }
        }
        const nbytes = heapCode === 'X' ? Math.ceil(n / 8) : n * CODE_BYTES[heapCode];
        const start = heapOffset + off;
        if (n < 0 || off < 0 || !Number.isSafeInteger(start + nbytes) || start + nbytes > bytes.length) {
          throw new FitsError('bad-heap', `row ${r}: descriptor (${n}, ${off}) points outside the heap (${bytes.length - heapOffset} bytes)`, loc);
        }
        const arr = allocFor(heapCode, elem.mode, heapCode === 'A' ? 1 : n);
        readElements(bytes, dv, start, elem, n, arr, 0);
        rows.push(heapCode === 'A' ? (arr as string[])[0] ?? '' : arr as TypedArray);
      }
      data = rows;
    } else {
      const perRow = c.code === 'A' ? sizeOf(c.cellShape) : c.count;
      const strWidth = c.code === 'A' ? (perRow > 0 ? Math.floor(c.p.repeat / perRow) : 0) : 0;
      const arr = allocFor(c.code, c.mode, nrows * perRow);
      if (c.count > 0) {
        for (let r = 0; r < nrows; r++) readElements(bytes, dv, r * rowBytes + c.offset, c, c.code === 'A' ? strWidth * perRow : c.count, arr, r * perRow, strWidth);
      }
      data = arr;
    }
    out.push({ ...columns[ci], data });
  }
  return { nrows, columns: out };
}
