/**
 * Binary table writer (FITS Standard 4.0, sect. 7.3): rows of big-endian fields, a heap
 * for P/Q variable-length arrays (7.3.5), TZERO for unsigned integers (Table 19).
 */
import { FitsError, type ErrorLocation } from '../errors/index.ts';
import { sizeOf, type TypedArray } from '../ndarray/index.ts';
import type { Card } from './card.ts';
import type { ColumnData, TableColumnSpec } from './bintable.ts';
import { CODE_BYTES, formatTdim, parseTform, type ParsedTform } from './tform.ts';

const UNSIGNED_TZERO: Array<[string, new (n: number) => TypedArray, number | bigint]> = [
  ['B', Int8Array, -128], ['I', Uint16Array, 32768], ['J', Uint32Array, 2147483648], ['K', BigUint64Array, 9223372036854775808n],
];

interface EncPlan {
  spec: TableColumnSpec;
  p: ParsedTform;
  elemCode: string;
  cellShape: number[];
  /** Elements (strings for A) per row. */
  perRow: number;
  tscal: number;
  tzero: number;
  tzeroCard?: number | bigint;
  scaled: boolean;
  offset: number;
}

function isPrintable(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

function plan(spec: TableColumnSpec, i: number, offset: number): EncPlan {
  const loc: ErrorLocation = { keyword: `TFORM${i + 1}`, parameter: spec.name };
  const p = parseTform(spec.tform, loc);
  const elemCode = p.heapCode ?? p.code;
  const vla = p.code === 'P' || p.code === 'Q';
  let cellShape: number[];
  if (vla) cellShape = [];
  else if (spec.cellShape !== undefined) cellShape = [...spec.cellShape];
  else cellShape = p.code === 'A' || p.repeat === 1 ? [] : [p.repeat];
  if (!vla && p.code !== 'A' && sizeOf(cellShape) !== p.repeat) {
    throw new FitsError('bad-column', `cell shape [${cellShape.join(', ')}] does not hold ${p.repeat} elements`, loc);
  }
  const perRow = p.code === 'A' ? sizeOf(cellShape) : vla ? 1 : p.repeat;
  if (p.code === 'A' && perRow > 0 && p.repeat % perRow !== 0) {
    throw new FitsError('bad-column', `${p.repeat} characters cannot be split into [${cellShape.join(', ')}] strings`, loc);
  }
  let tzeroCard: number | bigint | undefined = spec.tzero;
  const sample = vla ? (spec.data as unknown[]).find((x) => typeof x !== 'string') : spec.data;
  if (tzeroCard === undefined && spec.tscal === undefined) {
    for (const [code, Ctor, tz] of UNSIGNED_TZERO) if (elemCode === code && sample instanceof Ctor) tzeroCard = tz;
  }
  const tzero = Number(tzeroCard ?? 0);
  const tscal = spec.tscal ?? 1;
  if (tscal === 0) throw new FitsError('bad-column', 'TSCAL = 0', loc);
  return { spec, p, elemCode, cellShape, perRow, tscal, tzero, tzeroCard, scaled: tscal !== 1 || tzero !== 0, offset };
}

function checkLength(pl: EncPlan, nrows: number, i: number): void {
  const d = pl.spec.data;
  const vla = pl.p.code === 'P' || pl.p.code === 'Q';
  const complex = pl.elemCode === 'C' || pl.elemCode === 'M';
  const want = vla ? nrows : nrows * pl.perRow * (complex ? 2 : 1);
  if (d.length !== want) {
    throw new FitsError('bad-column', `column ${JSON.stringify(pl.spec.name)} has ${d.length} values, ${nrows} rows need ${want}`, { parameter: pl.spec.name, keyword: `TFORM${i + 1}` });
  }
}

/** Write `count` elements of `values` starting at `from` as big-endian `code` at `pos`. */
function writeElements(out: Uint8Array, dv: DataView, pos: number, pl: EncPlan, code: string, values: ArrayLike<unknown>, from: number, count: number, strWidth: number): void {
  const num = (v: unknown): number => {
    const x = typeof v === 'bigint' ? Number(v) : (v as number);
    return pl.scaled ? (x - pl.tzero) / pl.tscal : x;
  };
  const int = (v: unknown): number => {
    if (Number.isNaN(v) && pl.spec.null !== undefined) return Number(pl.spec.null);
    return Math.round(num(v));
  };
  switch (code) {
    case 'A':
      for (let k = 0; k < count; k++) {
        const s = String(values[from + k] ?? '');
        if (s.length > strWidth || !isPrintable(s)) {
          throw new FitsError('bad-column', `string ${JSON.stringify(s)} in column ${JSON.stringify(pl.spec.name)} is not printable ASCII of at most ${strWidth} characters`, { parameter: pl.spec.name });
        }
        const base = pos + k * strWidth;
        for (let j = 0; j < strWidth; j++) out[base + j] = j < s.length ? s.charCodeAt(j) : 0x20;
      }
      return;
    case 'L':
      for (let k = 0; k < count; k++) {
        const v = Number(values[from + k]);
        out[pos + k] = v < 0 ? 0 : v ? 0x54 : 0x46;
      }
      return;
    case 'X':
      for (let k = 0; k < count; k++) if (Number(values[from + k])) out[pos + (k >> 3)] |= 0x80 >> (k & 7);
      return;
    case 'C': case 'M':
      for (let k = 0; k < 2 * count; k++) {
        const raw = Number(values[from + k]);
        const v = pl.scaled ? (raw - (k % 2 === 0 ? pl.tzero : 0)) / pl.tscal : raw;
        if (code === 'C') dv.setFloat32(pos + 4 * k, v); else dv.setFloat64(pos + 8 * k, v);
      }
      return;
    default: break;
  }
  const size = CODE_BYTES[code];
  for (let k = 0; k < count; k++) {
    const v = values[from + k];
    const p = pos + k * size;
    switch (code) {
      case 'B': out[p] = typeof v === 'bigint' ? Number(v) : int(v) & 0xff; break;
      case 'I': dv.setInt16(p, int(v)); break;
      case 'J': dv.setInt32(p, int(v)); break;
      case 'K':
        if (typeof v === 'bigint') dv.setBigInt64(p, BigInt.asIntN(64, pl.scaled ? v - BigInt(pl.tzeroCard ?? 0) : v));
        else dv.setBigInt64(p, BigInt(int(v)));
        break;
      case 'E': dv.setFloat32(p, num(v)); break;
      default: dv.setFloat64(p, num(v)); break;
    }
  }
}

function heapBytesOf(code: string, v: TypedArray | string): number {
  if (code === 'A') return (v as string).length;
  const n = typeof v === 'string' ? v.length : v.length;
  if (code === 'X') return Math.ceil(n / 8);
  if (code === 'C' || code === 'M') return (n / 2) * CODE_BYTES[code];
  return n * CODE_BYTES[code];
}

function elementsOf(code: string, v: TypedArray | string): number {
  if (code === 'A') return (v as string).length;
  return code === 'C' || code === 'M' ? v.length / 2 : v.length;
}

/**
 * Cards (BITPIX ... TFIELDS, column keywords, THEAP) and data (main table + heap, unpadded)
 * for a binary table. Unsigned typed arrays get the standard TZERO automatically.
 */
export function encodeTable(columns: TableColumnSpec[], nrows: number): { cards: Card[]; data: Uint8Array } {
  if (!Number.isSafeInteger(nrows) || nrows < 0) throw new FitsError('bad-column', `invalid row count ${nrows}`);
  if (columns.length > 999) throw new FitsError('bad-column', `${columns.length} columns, at most 999 are allowed`);
  const plans: EncPlan[] = [];
  let rowBytes = 0;
  columns.forEach((c, i) => {
    const pl = plan(c, i, rowBytes);
    checkLength(pl, nrows, i);
    plans.push(pl);
    rowBytes += pl.p.width;
  });
  // Heap layout: rows in order, columns in order.
  let heapSize = 0;
  const maxLen = plans.map(() => 0);
  plans.forEach((pl, ci) => {
    if (pl.p.code !== 'P' && pl.p.code !== 'Q') return;
    for (const v of pl.spec.data as Array<TypedArray | string>) {
      heapSize += heapBytesOf(pl.elemCode, v);
      maxLen[ci] = Math.max(maxLen[ci], elementsOf(pl.elemCode, v));
    }
  });
  const mainBytes = rowBytes * nrows;
  const out = new Uint8Array(mainBytes + heapSize);
  const dv = new DataView(out.buffer);
  let heapPos = 0;
  for (const pl of plans) {
    const { p } = pl;
    const d = pl.spec.data as ArrayLike<unknown>;
    if (p.code === 'P' || p.code === 'Q') {
      for (let r = 0; r < nrows; r++) {
        const v = (pl.spec.data as Array<TypedArray | string>)[r];
        const n = elementsOf(pl.elemCode, v);
        const base = r * rowBytes + pl.offset;
        if (p.repeat > 0) {
          if (p.code === 'P') {
            if (heapPos > 0x7fffffff || n > 0x7fffffff) throw new FitsError('bad-column', `heap too large for P descriptors in column ${JSON.stringify(pl.spec.name)}; use Q`);
            dv.setInt32(base, n); dv.setInt32(base + 4, heapPos);
          } else {
            dv.setBigInt64(base, BigInt(n)); dv.setBigInt64(base + 8, BigInt(heapPos));
          }
        }
        const vals = typeof v === 'string' ? [v] : v;
        writeElements(out, dv, mainBytes + heapPos, pl, pl.elemCode, vals as ArrayLike<unknown>, 0, pl.elemCode === 'A' ? 1 : n, n);
        heapPos += heapBytesOf(pl.elemCode, v);
      }
      continue;
    }
    const complex = pl.elemCode === 'C' || pl.elemCode === 'M';
    const strWidth = p.code === 'A' && pl.perRow > 0 ? p.repeat / pl.perRow : 0;
    for (let r = 0; r < nrows; r++) {
      writeElements(out, dv, r * rowBytes + pl.offset, pl, p.code, d, r * pl.perRow * (complex ? 2 : 1), pl.perRow, strWidth);
    }
  }
  return { cards: tableCards(plans, rowBytes, nrows, heapSize, maxLen), data: out };
}

function tableCards(plans: EncPlan[], rowBytes: number, nrows: number, heapSize: number, maxLen: number[]): Card[] {
  const cards: Card[] = [
    { keyword: 'BITPIX', value: 8, kind: 'integer', comment: 'array data type' },
    { keyword: 'NAXIS', value: 2, kind: 'integer', comment: 'number of array dimensions' },
    { keyword: 'NAXIS1', value: rowBytes, kind: 'integer', comment: 'length of dimension 1' },
    { keyword: 'NAXIS2', value: nrows, kind: 'integer', comment: 'length of dimension 2' },
    { keyword: 'PCOUNT', value: heapSize, kind: 'integer', comment: 'number of group parameters' },
    { keyword: 'GCOUNT', value: 1, kind: 'integer', comment: 'number of groups' },
    { keyword: 'TFIELDS', value: plans.length, kind: 'integer', comment: 'number of table fields' },
  ];
  plans.forEach((pl, i) => {
    const n = i + 1;
    const { p } = pl;
    let tform: string;
    if (p.code === 'P' || p.code === 'Q') tform = `${p.repeat === 1 ? '' : p.repeat}${p.code}${pl.elemCode}(${maxLen[i]})`;
    else tform = `${p.repeat === 1 ? '' : p.repeat}${p.code}`;
    cards.push({ keyword: `TTYPE${n}`, value: pl.spec.name, kind: 'string' });
    cards.push({ keyword: `TFORM${n}`, value: tform, kind: 'string' });
    if (pl.spec.unit !== undefined && pl.spec.unit !== '') cards.push({ keyword: `TUNIT${n}`, value: pl.spec.unit, kind: 'string' });
    if (pl.spec.null !== undefined) cards.push({ keyword: `TNULL${n}`, value: pl.spec.null, kind: 'integer' });
    if (pl.tscal !== 1) cards.push({ keyword: `TSCAL${n}`, value: pl.tscal, kind: Number.isInteger(pl.tscal) ? 'integer' : 'float' });
    if (pl.tzeroCard !== undefined && pl.tzero !== 0) {
      cards.push({ keyword: `TZERO${n}`, value: pl.tzeroCard, kind: typeof pl.tzeroCard === 'bigint' || Number.isInteger(pl.tzeroCard) ? 'integer' : 'float' });
    }
    const cs = pl.cellShape;
    const needTdim = p.code === 'A' ? cs.length > 0 : cs.length > 1 || (cs.length === 1 && cs[0] !== p.repeat);
    if (needTdim) {
      const dims = p.code === 'A' ? [...cs, p.repeat / Math.max(sizeOf(cs), 1)] : cs;
      cards.push({ keyword: `TDIM${n}`, value: formatTdim(dims), kind: 'string' });
    }
  });
  if (heapSize > 0) cards.push({ keyword: 'THEAP', value: rowBytes * nrows, kind: 'integer', comment: 'byte offset of the heap' });
  return cards;
}

export type { ColumnData };
