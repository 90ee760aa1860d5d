import { describe, it, expect } from 'vitest';
import { FitsError } from '../errors/index.ts';
import { formatCard, formatFloat, parseCardString } from './card.ts';
import { Header, formatHeader, parseHeader } from './header.ts';

const card = (s: string): string => s.padEnd(80);
const parse = (s: string) => parseCardString(card(s), {});

function headerBytes(lines: string[], withEnd = true): Uint8Array {
  const all = [...lines, ...(withEnd ? ['END'] : [])].map(card).join('');
  const n = Math.ceil(all.length / 2880) * 2880;
  return new TextEncoder().encode(all.padEnd(n, ' '));
}

describe('card parsing (FITS 4.0 sect. 4.1-4.2)', () => {
  it('reads every value type', () => {
    expect(parse('SIMPLE  =                    T / conforms')).toEqual({ keyword: 'SIMPLE', value: true, kind: 'logical', comment: 'conforms' });
    expect(parse('NAXIS1  =                 2048')).toEqual({ keyword: 'NAXIS1', value: 2048, kind: 'integer' });
    expect(parse('BIG     = 9223372036854775808')).toMatchObject({ value: 9223372036854775808n, kind: 'integer' });
    expect(parse('SAFE    = -9007199254740991')).toMatchObject({ value: -9007199254740991, kind: 'integer' });
    expect(parse('F1      =                  1.0')).toMatchObject({ value: 1, kind: 'float' });
    expect(parse('DEXP    =             1.5D-03 / d exponent')).toMatchObject({ value: 1.5e-3, kind: 'float', comment: 'd exponent' });
    expect(parse('EEXP    =              -2.5E+10')).toMatchObject({ value: -2.5e10, kind: 'float' });
    expect(parse('DOT     =                  .5')).toMatchObject({ value: 0.5, kind: 'float' });
    expect(parse("STR     = 'O''Hara  '         / name")).toMatchObject({ value: "O'Hara", kind: 'string', comment: 'name' });
    expect(parse("LEAD    = '  x'")).toMatchObject({ value: '  x' });
    expect(parse("EMPTY   = ''")).toMatchObject({ value: '', kind: 'string' });
    expect(parse('CPLX    = (1.5, -2.0E3)')).toMatchObject({ value: { re: 1.5, im: -2000 }, kind: 'complex' });
    expect(parse('UNDEF   =                      / nothing')).toEqual({ keyword: 'UNDEF', value: null, kind: 'undefined', comment: 'nothing' });
    expect(parse('HISTORY   step one done')).toEqual({ keyword: 'HISTORY', value: '  step one done', kind: 'commentary' });
    expect(parse('COMMENT = not a value')).toEqual({ keyword: 'COMMENT', value: '= not a value', kind: 'commentary' });
    expect(parse('        Program information')).toEqual({ keyword: '', value: 'Program information', kind: 'commentary' });
    expect(parse("HIERARCH ESO DET CHIP NAME = 'CCD-44' / chip")).toMatchObject({ keyword: 'ESO DET CHIP NAME', value: 'CCD-44', comment: 'chip' });
    expect(parse('HIERARCH ESO TEL AIRM = 1.25')).toMatchObject({ keyword: 'ESO TEL AIRM', value: 1.25, kind: 'float' });
  });

  it('rejects malformed values with FitsError naming the keyword', () => {
    for (const s of ["BAD     = 'unterminated", 'BAD     = 1.2.3', 'BAD     = 12 34', 'BAD     = (1.0, 2.0', "BAD     = 'x' junk"]) {
      let err: unknown;
      try { parse(s); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(FitsError);
      expect((err as FitsError).where.keyword).toBe('BAD');
    }
  });

  it('rejects non-ASCII bytes', () => {
    const b = headerBytes(['SIMPLE  =                    T', "OBJECT  = 'cafe'"]);
    b[80 + 14] = 0xe9;
    expect(() => parseHeader(b, 0, { file: 'x.fits', hdu: 0 })).toThrow(/0xe9/);
  });
});

describe('card formatting', () => {
  it('writes fixed-format cards', () => {
    expect(formatCard({ keyword: 'NAXIS', value: 2, kind: 'integer', comment: 'axes' })[0]).toBe(card('NAXIS   =                    2 / axes'));
    expect(formatCard({ keyword: 'SIMPLE', value: true, kind: 'logical' })[0]).toBe(card('SIMPLE  =                    T'));
    expect(formatCard({ keyword: 'X', value: 1, kind: 'float' })[0]).toBe(card('X       =                  1.0'));
    expect(formatCard({ keyword: 'S', value: "it's", kind: 'string' })[0]).toBe(card("S       = 'it''s   '"));
    expect(formatCard({ keyword: 'U', value: null, kind: 'undefined', comment: 'u' })[0]).toBe(card('U       =                      / u'));
    expect(formatCard({ keyword: 'ESO DET CHIP', value: 3, kind: 'integer' })[0]).toBe(card('HIERARCH ESO DET CHIP = 3'));
  });

  it('formats floats for exact round trip with upper-case E', () => {
    for (const x of [0.1, 1e-300, -1.7976931348623157e308, 5e-324, 123456789.125, 1e21, 0.000001, 1 / 3, 60383.42445591944, -0]) {
      const s = formatFloat(x);
      expect(s).toMatch(/[.E]/);
      expect(s).not.toMatch(/e/);
      expect(Object.is(Number(s), x)).toBe(true);
    }
    expect(formatFloat(1e21)).toBe('1E+21');
    expect(formatFloat(2)).toBe('2.0');
    expect(() => formatFloat(NaN)).toThrow(FitsError);
  });

  it('splits long strings over CONTINUE cards and joins them back', () => {
    const long = "A long value with 'quotes' ".repeat(12).trim();
    const lines = formatCard({ keyword: 'LONGSTR', value: long, kind: 'string', comment: 'a comment' });
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.every((l) => l.length === 80)).toBe(true);
    expect(lines[1].startsWith("CONTINUE  '")).toBe(true);
    for (const l of lines.slice(0, -1)) expect(l.trimEnd().endsWith("&'")).toBe(true);
    const { header } = parseHeader(headerBytes(['SIMPLE  =                    T', ...lines]), 0);
    expect(header.get('LONGSTR')).toBe(long);
    expect(header.card('LONGSTR')?.comment).toBe('a comment');
    expect(header.cards).toHaveLength(2);
  });

  it('keeps a long comment on a trailing CONTINUE card', () => {
    const value = 'x'.repeat(70);
    const comment = 'c'.repeat(60);
    const lines = formatCard({ keyword: 'K', value, kind: 'string', comment });
    const { header } = parseHeader(headerBytes(['SIMPLE  =                    T', ...lines]), 0);
    expect(header.card('K')).toMatchObject({ value, comment });
  });
});

describe('Header', () => {
  const h = (): Header => {
    const x = new Header();
    x.add('SIMPLE', true).add('NAXIS', 0).add('EXPTIME', 1.5, 'seconds').add('OBJECT', 'M31').add('HISTORY', 'first');
    return x;
  };

  it('looks keys up case-insensitively with typed accessors', () => {
    const x = h();
    expect(x.get('exptime')).toBe(1.5);
    expect(x.has('Object')).toBe(true);
    expect(x.getString('OBJECT')).toBe('M31');
    expect(x.getNumber('EXPTIME')).toBe(1.5);
    expect(x.getInt('NAXIS')).toBe(0);
    expect(x.getBool('SIMPLE')).toBe(true);
    expect(x.getString('MISSING')).toBeUndefined();
    expect(() => x.getInt('EXPTIME')).toThrow(/keyword EXPTIME/);
    expect(() => x.getString('NAXIS')).toThrow(FitsError);
    expect(() => x.getBool('OBJECT')).toThrow(FitsError);
  });

  it('set replaces in place keeping comment, float kind and order; appends otherwise', () => {
    const x = h();
    x.set('EXPTIME', 2);
    expect(x.cards[2]).toEqual({ keyword: 'EXPTIME', value: 2, kind: 'float', comment: 'seconds' });
    x.set('NEWKEY', 'v', 'new');
    expect(x.cards.at(-1)).toMatchObject({ keyword: 'NEWKEY', value: 'v' });
    x.set('HISTORY', 'second');
    expect(x.getAll('HISTORY').map((c) => c.value)).toEqual(['first', 'second']);
    expect(x.remove('HISTORY')).toBe(2);
    const y = x.clone();
    y.set('OBJECT', 'M33');
    expect(x.get('OBJECT')).toBe('M31');
  });

  it('round-trips every card feature through bytes with order and comments kept', () => {
    const x = new Header();
    x.add('SIMPLE', true, 'conforms').add('BITPIX', 8).add('NAXIS', 0).add('EXTEND', true);
    x.add('', 'Section title').add('COMMENT', '  indented comment').add('HISTORY', 'did a thing');
    x.add('F', 1, 'float one', 'float').add('I', 1, 'integer one').add('BIG', 12345678901234567890n);
    x.add('D', 6.02214076e23).add('NEG', -0.0001).add('C', { re: 1, im: -2.5 }).add('U', null, 'undefined');
    x.add('S', "quote ' inside").add('LONG', 'y'.repeat(200), 'long one').add('ESO INS GRAT', 'G1', 'hierarch');
    x.add('DATE-OBS', '2024-05-06');
    const bytes = formatHeader(x);
    expect(bytes.length % 2880).toBe(0);
    const { header, end } = parseHeader(bytes, 0);
    expect(end).toBe(bytes.length);
    expect(header.cards).toEqual(x.cards);
  });

  it('reports missing END and truncated headers', () => {
    const noEnd = headerBytes(['SIMPLE  =                    T'], false);
    expect(() => parseHeader(noEnd, 0, { file: 'f.fits', hdu: 0 })).toThrow(/no END card/);
    expect(() => parseHeader(noEnd.subarray(0, 100), 0, { file: 'f.fits', hdu: 0 })).toThrow(/truncated/);
    try { parseHeader(noEnd, 0, { file: 'f.fits', hdu: 3 }); } catch (e) {
      expect((e as FitsError).message).toContain('f.fits, HDU 3');
      expect((e as FitsError).code).toBe('missing-end');
    }
  });

  it('parses D exponents and keeps the float/integer distinction on rewrite', () => {
    const { header } = parseHeader(headerBytes(['SIMPLE  =                    T', 'A       =               1.0D+2', 'B       =                  100']), 0);
    expect(header.card('A')).toMatchObject({ value: 100, kind: 'float' });
    expect(header.card('B')).toMatchObject({ value: 100, kind: 'integer' });
    const text = new TextDecoder().decode(formatHeader(header));
    expect(text).toContain(card('A       =                100.0'));
    expect(text).toContain(card('B       =                  100'));
  });
});
