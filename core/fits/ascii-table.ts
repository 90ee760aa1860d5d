/**
 * ASCII tables (XTENSION = 'TABLE', FITS Standard 4.0, sect. 7.2): fixed-width text
 * fields at TBCOLn with TFORMn Aw, Iw, Fw.d, Ew.d, Dw.d (Table 15). Read only.
 */
import { FitsError } from '../errors/index.ts';
import type { FitsTable, TableColumn } from './bintable.ts';
import type { Header, Where } from './header.ts';

interface AsciiCol {
  name: string;
  tform: string;
  code: string;
  width: number;
  decimals: number;
  start: number;
  tscal: number;
  tzero: number;
  tnull?: string;
  unit?: string;
}

export function asciiTableLayout(header: Header, where: Where = header.where): { rowBytes: number; nrows: number; cols: AsciiCol[] } {
  const rowBytes = header.getInt('NAXIS1') ?? 0;
  const nrows = header.getInt('NAXIS2') ?? 0;
  const tfields = header.getInt('TFIELDS') ?? 0;
  if (tfields < 0 || tfields > 999) throw new FitsError('bad-structure', `TFIELDS = ${tfields} is outside 0..999`, where);
  const cols: AsciiCol[] = [];
  for (let i = 1; i <= tfields; i++) {
    const loc = { ...where, keyword: `TFORM${i}` };
    const tform = header.getString(`TFORM${i}`);
    if (tform === undefined) throw new FitsError('missing-keyword', `TFORM${i} is missing (TFIELDS = ${tfields})`, loc);
    const m = /^([AIFED])(\d+)(?:\.(\d+))?$/.exec(tform.trim().toUpperCase());
    if (!m) throw new FitsError('bad-tform', `unknown ASCII-table TFORM ${JSON.stringify(tform)} (FITS 4.0 Table 15)`, loc);
    const tbcol = header.getInt(`TBCOL${i}`);
    if (tbcol === undefined) throw new FitsError('missing-keyword', `TBCOL${i} is missing`, { ...where, keyword: `TBCOL${i}` });
    const width = Number(m[2]);
    if (tbcol < 1 || tbcol - 1 + width > rowBytes) {
      throw new FitsError('bad-structure', `field ${i} (TBCOL ${tbcol}, width ${width}) does not fit in rows of ${rowBytes} characters`, { ...where, keyword: `TBCOL${i}` });
    }
    const col: AsciiCol = {
      name: String(header.get(`TTYPE${i}`) ?? '').trim(), tform: tform.trim(), code: m[1], width, decimals: m[3] ? Number(m[3]) : 0,
      start: tbcol - 1, tscal: header.getNumber(`TSCAL${i}`) ?? 1, tzero: header.getNumber(`TZERO${i}`) ?? 0,
    };
    const tnull = header.get(`TNULL${i}`);
    if (typeof tnull === 'string') col.tnull = tnull.trim();
    const unit = header.get(`TUNIT${i}`);
    if (typeof unit === 'string' && unit.trim()) col.unit = unit.trim();
    cols.push(col);
  }
  return { rowBytes, nrows, cols };
}

/** Decode an ASCII table: A -> string[], I -> Int32Array (Float64Array when scaled), F/E/D -> Float64Array (NaN for blank or TNULL). */
export function decodeAsciiTable(header: Header, bytes: Uint8Array, where: Where = header.where): FitsTable {
  const { rowBytes, nrows, cols } = asciiTableLayout(header, where);
  if (bytes.length < rowBytes * nrows) {
    throw new FitsError('truncated', `table data are ${bytes.length} bytes, ${nrows} rows of ${rowBytes} characters need ${rowBytes * nrows}`, where);
  }
  const columns: TableColumn[] = cols.map((c, ci) => {
    const scaled = c.tscal !== 1 || c.tzero !== 0;
    const isInt = c.code === 'I' && !scaled;
    const strs: string[] = [];
    const nums = isInt ? new Int32Array(nrows) : new Float64Array(nrows);
    for (let r = 0; r < nrows; r++) {
      const p = r * rowBytes + c.start;
      const field = String.fromCharCode(...bytes.subarray(p, p + c.width));
      if (c.code === 'A') { strs.push(field.replace(/ +$/, '')); continue; }
      const t = field.trim();
      if (t === '' || (c.tnull !== undefined && t === c.tnull)) { nums[r] = isInt ? 0 : NaN; continue; }
      const norm = t.replace(/[Dd]/, 'E');
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(E[+-]?\d+)?$/i.test(norm) || (c.code === 'I' && !/^[+-]?\d+$/.test(norm))) {
        throw new FitsError('bad-value', `row ${r}: field ${JSON.stringify(t)} is not a valid ${c.tform} value`, { ...where, keyword: `TFORM${ci + 1}` });
      }
      let v = Number(norm);
      // 7.2.5: without an explicit decimal point, the last d digits are the fraction.
      if (c.code !== 'I' && !norm.includes('.') && c.decimals > 0) {
        const [mant, exp] = norm.toUpperCase().split('E');
        v = Number(mant) / 10 ** c.decimals * (exp ? 10 ** Number(exp) : 1);
      }
      nums[r] = scaled ? v * c.tscal + c.tzero : v;
    }
    const col: TableColumn = {
      name: c.name, tform: c.tform, code: c.code, repeat: c.width, cellShape: [],
      dtype: c.code === 'A' ? 'str' : isInt ? 'int32' : 'float64', data: c.code === 'A' ? strs : nums,
    };
    if (c.unit !== undefined) col.unit = c.unit;
    if (scaled) { col.tscal = c.tscal; col.tzero = c.tzero; }
    return col;
  });
  return { nrows, columns };
}
