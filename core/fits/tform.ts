/**
 * Binary-table column formats and dimensions (FITS Standard 4.0, sect. 7.3.2 TFORMn,
 * Table 18 data types and sizes; 7.3.5 variable-length arrays; 7.3.2 TDIMn).
 */
import { FitsError, type ErrorLocation } from '../errors/index.ts';
import { sizeOf } from '../ndarray/index.ts';

/** Bytes per element of each TFORM type code (Table 18); X is handled per bit. */
export const CODE_BYTES: Readonly<Record<string, number>> = {
  L: 1, X: 0, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16,
};

export interface ParsedTform {
  repeat: number;
  code: string;
  /** Element code of a P/Q variable-length array. */
  heapCode?: string;
  /** Maximum length in a P/Q descriptor, when given. */
  heapMax?: number;
  /** Bytes occupied in a row. */
  width: number;
}

export function parseTform(tform: string, loc: ErrorLocation): ParsedTform {
  const t = tform.trim().toUpperCase();
  const m = /^(\d*)([LXBIJKAEDCMPQ])(.*)$/.exec(t);
  if (!m) throw new FitsError('bad-tform', `unknown TFORM ${JSON.stringify(tform)} (FITS 4.0 Table 18)`, loc);
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  if (!Number.isSafeInteger(repeat)) throw new FitsError('bad-tform', `absurd repeat count in TFORM ${JSON.stringify(tform)}`, loc);
  const code = m[2];
  const rest = m[3].trim();
  if (code === 'P' || code === 'Q') {
    const v = /^([LXBIJKAEDCM])(?:\((\d*)\))?$/.exec(rest);
    if (!v) throw new FitsError('bad-tform', `malformed variable-length TFORM ${JSON.stringify(tform)} (FITS 4.0 sect. 7.3.5)`, loc);
    if (repeat > 1) throw new FitsError('bad-tform', `variable-length TFORM ${JSON.stringify(tform)} must have repeat 0 or 1`, loc);
    const out: ParsedTform = { repeat, code, heapCode: v[1], width: repeat * CODE_BYTES[code] };
    if (v[2]) out.heapMax = Number(v[2]);
    return out;
  }
  // 'rAw' and other substring conventions after A are tolerated; anything else is an error.
  if (rest !== '' && !(code === 'A' && /^[\d:.,]*$/.test(rest))) {
    throw new FitsError('bad-tform', `unknown TFORM ${JSON.stringify(tform)} (FITS 4.0 Table 18)`, loc);
  }
  const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * CODE_BYTES[code];
  return { repeat, code, width };
}

/** TDIMn '(a,b,c)' -> numpy-order shape [c, b, a]. */
export function parseTdim(tdim: string, loc: ErrorLocation): number[] {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(tdim);
  if (!m) throw new FitsError('bad-tdim', `malformed TDIM ${JSON.stringify(tdim)} (FITS 4.0 sect. 7.3.2)`, loc);
  const dims = m[1].split(',').map((s) => Number(s.trim()));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new FitsError('bad-tdim', `malformed TDIM ${JSON.stringify(tdim)}`, loc);
  return dims.reverse();
}

export function formatTdim(shape: readonly number[]): string {
  return `(${[...shape].reverse().join(',')})`;
}

/** Cell shape of a fixed-width column: TDIM (reversed) or [] / [repeat]. For A the string width is dropped. */
export function cellShapeOf(p: ParsedTform, tdim: string | undefined, loc: ErrorLocation): number[] {
  if (p.code === 'P' || p.code === 'Q') return [];
  if (tdim !== undefined && tdim.trim() !== '') {
    const shape = parseTdim(tdim, loc);
    if (sizeOf(shape) > p.repeat) {
      throw new FitsError('bad-tdim', `TDIM ${tdim} holds ${sizeOf(shape)} elements, more than the repeat count ${p.repeat}`, loc);
    }
    return p.code === 'A' ? shape.slice(0, -1) : shape;
  }
  if (p.code === 'A') return [];
  return p.repeat === 1 ? [] : [p.repeat];
}

/** Numpy-style dtype name of a column after TSCAL/TZERO. */
export function columnDtype(code: string, tscal: number, tzero: number): string {
  const plain: Record<string, string> = {
    L: 'bool', X: 'bool', B: 'uint8', I: 'int16', J: 'int32', K: 'int64', A: 'str', E: 'float32', D: 'float64', C: 'complex64', M: 'complex128',
  };
  if (tscal === 1 && tzero === 0) return plain[code];
  if (tscal === 1) {
    if (code === 'B' && tzero === -128) return 'int8';
    if (code === 'I' && tzero === 32768) return 'uint16';
    if (code === 'J' && tzero === 2 ** 31) return 'uint32';
    if (code === 'K' && tzero === 2 ** 63) return 'uint64';
  }
  if (code === 'E' || code === 'D' || code === 'C' || code === 'M') return plain[code];
  if (code === 'A' || code === 'L' || code === 'X') return plain[code];
  return 'float64';
}
