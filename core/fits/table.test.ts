import { describe, it, expect } from 'vitest';
import { FitsError } from '../errors/index.ts';
import { decodeAsciiTable } from './ascii-table.ts';
import { decodeTable, type TableColumnSpec } from './bintable.ts';
import { encodeTable } from './bintable-encode.ts';
import { Header } from './header.ts';
import { parseFits, serializeFits } from './fits.ts';

function roundTrip(columns: TableColumnSpec[], nrows: number) {
  const file = serializeFits([{ header: new Header() }, { header: new Header().add('EXTNAME', 'T'), table: { columns, nrows } }]);
  const hdus = parseFits(file);
  expect(hdus[1].type).toBe('BINTABLE');
  expect(hdus[1].verifyChecksum()).toMatchObject({ present: true, valid: true, datasumValid: true });
  return { table: hdus[1].readTable(), header: hdus[1].header };
}

describe('binary table codec (FITS 4.0 sect. 7.3)', () => {
  it('round-trips every fixed TFORM with repeat counts', () => {
    const n = 3;
    const cols: TableColumnSpec[] = [
      { name: 'L', tform: 'L', data: Int8Array.from([1, 0, -1]) },
      { name: 'L2', tform: '2L', data: Int8Array.from([1, 1, 0, 0, -1, 1]) },
      { name: 'X', tform: '11X', data: Uint8Array.from({ length: 33 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0) },
      { name: 'B', tform: 'B', data: Uint8Array.from([0, 128, 255]) },
      { name: 'I', tform: '2I', data: Int16Array.from([-32768, 32767, 0, 1, -1, 2]), unit: 'DN' },
      { name: 'J', tform: 'J', data: Int32Array.from([-2147483648, 2147483647, 5]) },
      { name: 'K', tform: 'K', data: BigInt64Array.from([-9223372036854775808n, 9223372036854775807n, 0n]) },
      { name: 'E', tform: '3E', data: Float32Array.from([1.5, NaN, -Infinity, 0, 1e-38, 3.4e38, 7, 8, 9]) },
      { name: 'D', tform: 'D', data: Float64Array.from([Math.PI, -0, 5e-324]) },
      { name: 'C', tform: 'C', data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { name: 'M', tform: '2M', data: Float64Array.from({ length: 12 }, (_, i) => i * 0.5 - 2) },
      { name: 'A', tform: '8A', data: ['abc', '', "it's 8ch"] },
    ];
    const { table, header } = roundTrip(cols, n);
    expect(table.nrows).toBe(n);
    for (const c of cols) {
      const got = table.columns.find((x) => x.name === c.name);
      expect(got?.data, c.name).toEqual(c.data);
    }
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    expect(byName.I).toMatchObject({ code: 'I', repeat: 2, dtype: 'int16', cellShape: [2], unit: 'DN', tform: '2I' });
    expect(byName.J).toMatchObject({ dtype: 'int32', cellShape: [] });
    expect(byName.X).toMatchObject({ dtype: 'bool', cellShape: [11] });
    expect(byName.C.dtype).toBe('complex64');
    expect(byName.M.dtype).toBe('complex128');
    expect(byName.A).toMatchObject({ dtype: 'str', cellShape: [] });
    expect(header.get('NAXIS1')).toBe(1 + 2 + 2 + 1 + 4 + 4 + 8 + 12 + 8 + 8 + 32 + 8);
    expect(header.get('TFIELDS')).toBe(cols.length);
  });

  it('writes unsigned columns with TZERO (Table 19) and reads them back unsigned', () => {
    const cols: TableColumnSpec[] = [
      { name: 'U8', tform: 'B', data: Int8Array.from([-128, 0, 127]) },
      { name: 'U16', tform: 'I', data: Uint16Array.from([0, 32768, 65535]) },
      { name: 'U32', tform: 'J', data: Uint32Array.from([0, 2147483648, 4294967295]) },
      { name: 'U64', tform: 'K', data: BigUint64Array.from([0n, 9223372036854775808n, 18446744073709551615n]) },
    ];
    const { table, header } = roundTrip(cols, 3);
    expect(header.get('TZERO1')).toBe(-128);
    expect(header.get('TZERO2')).toBe(32768);
    expect(header.get('TZERO3')).toBe(2147483648);
    expect(header.get('TZERO4')).toBe(9223372036854775808n);
    expect(table.columns.map((c) => c.dtype)).toEqual(['int8', 'uint16', 'uint32', 'uint64']);
    table.columns.forEach((c, i) => expect(c.data).toEqual(cols[i].data));
  });

  it('applies TSCAL/TZERO and TNULL', () => {
    const cols: TableColumnSpec[] = [
      { name: 'S', tform: 'J', data: Float64Array.from([1.5, NaN, -2.25]), tscal: 0.25, tzero: 10, null: -999 },
      { name: 'F', tform: 'E', data: Float32Array.from([100, 200, 300]), tscal: 2, tzero: 100 },
      { name: 'N', tform: 'I', data: Int16Array.from([1, -99, 3]), null: -99 },
    ];
    const { table, header } = roundTrip(cols, 3);
    expect(header.get('TSCAL1')).toBe(0.25);
    expect(header.get('TNULL1')).toBe(-999);
    expect(table.columns[0]).toMatchObject({ dtype: 'float64', tscal: 0.25, tzero: 10, null: -999 });
    expect(Array.from(table.columns[0].data as Float64Array)).toEqual([1.5, NaN, -2.25]);
    expect(Array.from(table.columns[1].data as Float32Array)).toEqual([100, 200, 300]);
    expect(table.columns[2]).toMatchObject({ dtype: 'int16', null: -99 });
  });

  it('keeps TDIM cell shapes (numpy order) for numbers and strings', () => {
    const cols: TableColumnSpec[] = [
      { name: 'IMG', tform: '6E', cellShape: [2, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) },
      { name: 'CUBE', tform: '24B', cellShape: [2, 3, 4], data: Uint8Array.from({ length: 48 }, (_, i) => i) },
      { name: 'NAMES', tform: '15A', cellShape: [3], data: ['a', 'bb', 'ccc', 'dddde', '', 'f g'] },
    ];
    const { table, header } = roundTrip(cols, 2);
    expect(header.get('TDIM1')).toBe('(3,2)');
    expect(header.get('TDIM2')).toBe('(4,3,2)');
    expect(header.get('TDIM3')).toBe('(5,3)');
    expect(table.columns.map((c) => c.cellShape)).toEqual([[2, 3], [2, 3, 4], [3]]);
    table.columns.forEach((c, i) => expect(c.data).toEqual(cols[i].data));
  });

  it('round-trips P and Q variable-length arrays through the heap', () => {
    const cols: TableColumnSpec[] = [
      { name: 'PE', tform: 'PE()', data: [Float32Array.from([1, 2, 3]), new Float32Array(0), Float32Array.from([4])] },
      { name: 'QD', tform: 'QD', data: [Float64Array.from([0.5]), Float64Array.from([1, 2, 3, 4, 5]), new Float64Array(0)] },
      { name: 'PA', tform: 'PA', data: ['hello', '', 'variable strings'] },
      { name: 'PJU', tform: '1PJ', data: [Uint32Array.from([4294967295]), Uint32Array.from([0, 1]), new Uint32Array(0)] },
      { name: 'PX', tform: 'PX', data: [Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 1]), new Uint8Array(0), Uint8Array.from([1])] },
      { name: 'PC', tform: 'PC', data: [Float32Array.from([1, -1, 2, -2]), new Float32Array(0), Float32Array.from([0, 9])] },
      { name: 'FIXED', tform: 'J', data: Int32Array.from([7, 8, 9]) },
    ];
    const { table, header } = roundTrip(cols, 3);
    expect(header.get('TFORM1')).toBe('PE(3)');
    expect(header.get('TFORM2')).toBe('QD(5)');
    expect(header.get('THEAP')).toBe((header.get('NAXIS1') as number) * 3);
    expect(header.get('PCOUNT')).toBeGreaterThan(0);
    table.columns.forEach((c, i) => expect(c.data, c.name).toEqual(cols[i].data));
    expect(table.columns[3].dtype).toBe('uint32');
    expect(table.columns[0]).toMatchObject({ code: 'P', heapCode: 'E', dtype: 'float32' });
  });

  it('handles zero rows and zero-width columns', () => {
    const { table } = roundTrip([{ name: 'Z', tform: '0J', data: new Int32Array(0) }, { name: 'E', tform: 'E', data: new Float32Array(0) }], 0);
    expect(table.nrows).toBe(0);
    expect(table.columns[0].repeat).toBe(0);
  });

  it('rejects bad specs and bad headers with FitsError', () => {
    expect(() => encodeTable([{ name: 'a', tform: 'J', data: new Int32Array(2) }], 3)).toThrow(FitsError);
    expect(() => encodeTable([{ name: 'a', tform: '3Z', data: new Int32Array(3) }], 3)).toThrow(/unknown TFORM/);
    expect(() => encodeTable([{ name: 'a', tform: '4A', data: ['toolong'] }], 1)).toThrow(FitsError);
    const { cards, data } = encodeTable([{ name: 'a', tform: 'J', data: Int32Array.from([1, 2]) }], 2);
    const h = new Header(cards.map((c) => ({ ...c })));
    h.set('TFORM1', 'W');
    expect(() => decodeTable(h, data)).toThrow(/unknown TFORM "W"/);
    h.set('TFORM1', '2J');
    expect(() => decodeTable(h, data)).toThrow(/NAXIS1/);
    h.set('TFORM1', 'J');
    expect(() => decodeTable(h, data.subarray(0, 5))).toThrow(/truncated|need/);
    const v = encodeTable([{ name: 'v', tform: 'PJ', data: [Int32Array.from([1, 2])] }], 1);
    const vh = new Header(v.cards);
    const bad = v.data.slice();
    bad[7] = 200; // heap offset past the heap
    expect(() => decodeTable(vh, bad)).toThrow(/outside the heap/);
  });
});

describe('ASCII table (FITS 4.0 sect. 7.2)', () => {
  it('decodes A, I, F, E and D fields, with TNULL and implicit decimals', () => {
    const put = (vals: string[]): string => {
      const cols = [[1, 6], [7, 4], [11, 6], [17, 8], [26, 9]];
      let row = ' '.repeat(34);
      vals.forEach((v, i) => { const [c, w] = cols[i]; row = row.slice(0, c - 1) + v.padStart(w).slice(0, w) + row.slice(c - 1 + w); });
      return row;
    };
    const rows = [put(['abc', '12', '1.50', '1.0E+02', '-2.5D-01']), put(['de', '-3', '250', '****', '1.0D0']), put(['x', '0', '-0.75', '3.5E-01', ''])];
    const h = new Header();
    h.add('XTENSION', 'TABLE').add('BITPIX', 8).add('NAXIS', 2).add('NAXIS1', 34).add('NAXIS2', 3).add('PCOUNT', 0).add('GCOUNT', 1).add('TFIELDS', 5);
    const fields: Array<[string, string, number]> = [['NAME', 'A6', 1], ['N', 'I4', 7], ['F', 'F6.2', 11], ['E', 'E8.1', 17], ['D', 'D9.2', 26]];
    fields.forEach(([n, f, c], i) => h.add(`TTYPE${i + 1}`, n).add(`TFORM${i + 1}`, f).add(`TBCOL${i + 1}`, c));
    h.add('TNULL4', '****');
    const data = new TextEncoder().encode(rows.join(''));
    const t = decodeAsciiTable(h, data);
    expect(t.nrows).toBe(3);
    expect(t.columns[0].data).toEqual(['   abc', '    de', '     x']);
    expect(Array.from(t.columns[1].data as Int32Array)).toEqual([12, -3, 0]);
    expect(Array.from(t.columns[2].data as Float64Array)).toEqual([1.5, 2.5, -0.75]);
    expect(Array.from(t.columns[3].data as Float64Array)).toEqual([100, NaN, 0.35]);
    expect(Array.from(t.columns[4].data as Float64Array)).toEqual([-0.25, 1, NaN]);
    // Through the whole-file path too.
    const file = serializeFits([{ header: new Header() }, { header: h, rawData: data }]);
    const hdus = parseFits(file);
    expect(hdus[1].type).toBe('TABLE');
    expect(hdus[1].readTable().columns[2].data).toEqual(t.columns[2].data);
    h.set('TFORM2', 'Z4');
    expect(() => decodeAsciiTable(h, data)).toThrow(FitsError);
  });
});
