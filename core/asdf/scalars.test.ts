import { describe, expect, it } from 'vitest';
import { formatFloat, needsQuotes, resolvePlain, Tagged, TIMESTAMP_TAG } from './scalars.ts';

describe('YAML 1.1 plain scalars (as the reference loader resolves them)', () => {
  it('resolves ints, floats, bools, nulls, timestamps and strings', () => {
    const cases: Array<[string, unknown, boolean]> = [
      ['0', 0, false], ['-12', -12, false], ['+7', 7, false], ['1_000', 1000, false], ['0x1F', 31, false],
      ['0b101', 5, false], ['017', 15, false], ['190:20:30', 685230, false],
      ['09005', '09005', false], ['1e5', '1e5', false], ['0o17', '0o17', false],
      ['1.0', 1, true], ['-0.5', -0.5, true], ['1.5e+3', 1500, true], ['2.844e-13', 2.844e-13, true], ['.5', 0.5, true],
      ['1.', 1, true], ['.inf', Infinity, true], ['-.Inf', -Infinity, true],
      ['yes', true, false], ['Off', false, false], ['TRUE', true, false], ['y', 'y', false],
      ['~', null, false], ['null', null, false], ['', null, false], ['N/A', 'N/A', false], ['FASTR1', 'FASTR1', false],
      ['5.3.1', '5.3.1', false],
    ];
    for (const [text, value, isFloat] of cases) expect(resolvePlain(text), text).toEqual({ value, isFloat });
    expect(Number.isNaN(resolvePlain('.nan').value)).toBe(true);
    expect(resolvePlain('12345678901234567890').value).toBe(12345678901234567890n);
    expect(resolvePlain('2017-07-11 17:02:24.097282').value).toEqual(new Tagged(TIMESTAMP_TAG, '2017-07-11 17:02:24.097282'));
    expect(resolvePlain('2024-05-06').value).toEqual(new Tagged(TIMESTAMP_TAG, '2024-05-06'));
  });

  it('formats floats so they read back as floats', () => {
    expect([1, -0, 0.1, 1e21, 1e-7, 2.5e-300, NaN, Infinity, -Infinity, 24.975360000000002].map(formatFloat)).toEqual(
      ['1.0', '-0.0', '0.1', '1.0e+21', '1.0e-7', '2.5e-300', '.nan', '.inf', '-.inf', '24.975360000000002'],
    );
    for (const x of [1, 0.1, 1e21, 1e-7, 123456.789, -3.2e15]) expect(resolvePlain(formatFloat(x))).toEqual({ value: x, isFloat: true });
  });

  it('quotes strings any YAML reader could take for something else', () => {
    for (const s of ['09005', '1.0', '1e5', 'yes', 'y', 'No', 'null', '', '~', '2024-05-06', '.nan', '0o17', '<<', '=']) expect(needsQuotes(s), s).toBe(true);
    for (const s of ['MIRI', 'N/A', 'FASTR1', 'jwst.tweakreg.TweakRegStep', '5.3.1', 'crds://x.fits']) expect(needsQuotes(s), s).toBe(false);
  });
});
