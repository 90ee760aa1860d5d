/** Property-based round trips (fast-check) for the card codec and the table codec. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { TypedArray } from '../ndarray/index.ts';
import type { Card } from './card.ts';
import { Header, formatHeader, parseHeader } from './header.ts';
import { decodeTable, type TableColumnSpec } from './bintable.ts';
import { encodeTable } from './bintable-encode.ts';

const RESERVED = new Set(['END', 'COMMENT', 'HISTORY', 'CONTINUE', 'HIERARCH', '']);
const keyChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split(''));
const keyword = fc.array(keyChar, { minLength: 1, maxLength: 8 }).map((a) => a.join('')).filter((k) => !RESERVED.has(k));
const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
// Trailing spaces in strings and comments are not significant (4.2.1), so they are not generated.
const text = (max: number) => printable(max).map((s) => s.replace(/ +$/, ''));
const comment = fc.option(text(40).map((s) => s.trim()).filter((s) => s.length > 0), { nil: undefined });

const valueCard: fc.Arbitrary<Omit<Card, 'keyword'>> = fc.oneof(
  fc.boolean().map((v) => ({ value: v, kind: 'logical' as const })),
  fc.maxSafeInteger().map((v) => ({ value: v, kind: 'integer' as const })),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).filter((v) => v > 2n ** 53n || v < -(2n ** 53n)).map((v) => ({ value: v, kind: 'integer' as const })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ value: v, kind: 'float' as const })),
  fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })).map(([re, im]) => ({ value: { re, im }, kind: 'complex' as const })),
  text(150).map((v) => ({ value: v, kind: 'string' as const })),
  fc.constant({ value: null, kind: 'undefined' as const }),
);

const card: fc.Arbitrary<Card> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(keyword, valueCard, comment).map(([k, v, c]) => (c === undefined ? { keyword: k, ...v } : { keyword: k, ...v, comment: c })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('COMMENT', 'HISTORY', ''), text(72)).map(([k, t]) => ({ keyword: k, value: t, kind: 'commentary' as const })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.array(fc.array(keyChar, { minLength: 1, maxLength: 6 }).map((a) => a.join('')), { minLength: 2, maxLength: 4 }), fc.integer()).map(([parts, v]) => ({ keyword: 'ESO ' + parts.join(' '), value: v, kind: 'integer' as const })),
  },
);

describe('property: header cards round-trip', () => {
  it('format -> parse gives back the same cards (values, kinds, comments, order)', () => {
    fc.assert(
      fc.property(fc.array(card, { maxLength: 40 }), (cards) => {
        const h = new Header([{ keyword: 'SIMPLE', value: true, kind: 'logical' }, ...cards]);
        const bytes = formatHeader(h);
        expect(bytes.length % 2880).toBe(0);
        const back = parseHeader(bytes, 0).header.cards;
        expect(back.length).toBe(h.cards.length);
        back.forEach((c, i) => {
          const want = h.cards[i];
          expect(c.keyword).toBe(want.keyword);
          expect(c.kind).toBe(want.kind);
          if (want.kind === 'float') expect(Object.is(c.value, want.value) || c.value === want.value).toBe(true);
          else expect(c.value).toEqual(want.value);
          // Comments are cut to what fits in the card; long strings keep theirs whole.
          if (want.comment !== undefined && c.comment !== undefined) expect(want.comment.startsWith(c.comment)).toBe(true);
          if (want.kind === 'string' || want.kind === 'commentary') {
            if (want.kind === 'string' && (want.value as string).length > 40) expect(c.comment).toBe(want.comment);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

const CODES = ['L', 'X', 'B', 'I', 'J', 'K', 'E', 'D', 'C', 'M', 'A', 'PE', 'QJ', 'PA', 'UI', 'UJ', 'UK', 'SB'] as const;
type Code = (typeof CODES)[number];

function columnArb(nrows: number): fc.Arbitrary<TableColumnSpec> {
  return fc.record({ code: fc.constantFrom(...CODES), repeat: fc.integer({ min: 0, max: 5 }), seed: fc.integer(), name: text(12) }).chain(({ code, repeat, seed, name }) => {
    const n = nrows * repeat;
    const f32 = fc.float32Array({ minLength: n, maxLength: n, noDefaultInfinity: false });
    const f64 = fc.float64Array({ minLength: n, maxLength: n });
    const arr = <T,>(a: fc.Arbitrary<T>, len = n) => fc.array(a, { minLength: len, maxLength: len });
    const base = (d: fc.Arbitrary<TableColumnSpec['data']>, tform: string): fc.Arbitrary<TableColumnSpec> => d.map((data) => ({ name: name || `c${seed & 0xff}`, tform, data }));
    const r = `${repeat}`;
    switch (code as Code) {
      case 'L': return base(arr(fc.constantFrom(-1, 0, 1)).map((a) => Int8Array.from(a)), r + 'L');
      case 'X': return base(arr(fc.constantFrom(0, 1)).map((a) => Uint8Array.from(a)), r + 'X');
      case 'B': return base(arr(fc.integer({ min: 0, max: 255 })).map((a) => Uint8Array.from(a)), r + 'B');
      case 'SB': return base(arr(fc.integer({ min: -128, max: 127 })).map((a) => Int8Array.from(a)), r + 'B');
      case 'I': return base(arr(fc.integer({ min: -32768, max: 32767 })).map((a) => Int16Array.from(a)), r + 'I');
      case 'UI': return base(arr(fc.integer({ min: 0, max: 65535 })).map((a) => Uint16Array.from(a)), r + 'I');
      case 'J': return base(arr(fc.integer()).map((a) => Int32Array.from(a)), r + 'J');
      case 'UJ': return base(arr(fc.integer({ min: 0, max: 4294967295 })).map((a) => Uint32Array.from(a)), r + 'J');
      case 'K': return base(arr(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map((a) => BigInt64Array.from(a)), r + 'K');
      case 'UK': return base(arr(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map((a) => BigUint64Array.from(a)), r + 'K');
      case 'E': return base(f32 as fc.Arbitrary<TypedArray>, r + 'E');
      case 'D': return base(f64 as fc.Arbitrary<TypedArray>, r + 'D');
      case 'C': return base(fc.float32Array({ minLength: 2 * n, maxLength: 2 * n }) as fc.Arbitrary<TypedArray>, r + 'C');
      case 'M': return base(fc.float64Array({ minLength: 2 * n, maxLength: 2 * n }) as fc.Arbitrary<TypedArray>, r + 'M');
      case 'A': return base(arr(text(repeat), nrows), r + 'A');
      case 'PE': return base(arr(fc.float32Array({ maxLength: 6 }), nrows) as fc.Arbitrary<TypedArray[]>, 'PE');
      case 'QJ': return base(arr(fc.array(fc.integer(), { maxLength: 6 }).map((a) => Int32Array.from(a)), nrows), 'QJ');
      case 'PA': return base(arr(text(20), nrows), 'PA');
    }
  });
}

describe('property: binary tables round-trip', () => {
  it('encodeTable -> decodeTable gives back every column', () => {
    const tables = fc.integer({ min: 0, max: 6 }).chain((nrows) => fc.tuple(fc.constant(nrows), fc.array(columnArb(nrows), { minLength: 1, maxLength: 8 })));
    fc.assert(
      fc.property(tables, ([nrows, cols]) => {
        const { cards, data } = encodeTable(cols, nrows);
        const t = decodeTable(new Header(cards), data);
        expect(t.nrows).toBe(nrows);
        t.columns.forEach((c, i) => {
          expect(c.name).toBe(cols[i].name.trim());
          expect(c.data).toEqual(cols[i].data);
        });
      }),
      { numRuns: 300 },
    );
  });
});
