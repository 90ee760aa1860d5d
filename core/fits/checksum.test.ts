import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { HAVE_SHARED, sharedPath } from '../../test/shared.ts';
import { addOnes, computeChecksum, computeDatasum, encodeChecksum, OnesSum, verifyChecksum } from './checksum.ts';
import { Header, formatHeader } from './header.ts';
import { parseFits, serializeFits } from './fits.ts';

const words = (...w: number[]): Uint8Array => {
  const b = new Uint8Array(4 * w.length);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint32(4 * i, x));
  return b;
};

describe('checksum convention (FITS 4.0 App. J)', () => {
  it('sums 32-bit words with end-around carry (hand-computed vectors)', () => {
    expect(computeDatasum(words(1, 2, 3))).toBe(6);
    expect(computeDatasum(words(0xffffffff, 1))).toBe(1); // 0x1_00000000 -> 0x00000001
    expect(computeDatasum(words(0x80000000, 0x80000000))).toBe(1);
    expect(computeDatasum(words(0x0000ffff, 0x00000001))).toBe(0x00010000); // carry from the low half into the high half
    expect(computeDatasum(words(0xffff0000, 0x00010000))).toBe(1); // carry out of the high half wraps to bit 0
    expect(addOnes(0xfffffffe, 2)).toBe(1);
    expect(computeDatasum(new Uint8Array(2880))).toBe(0);
  });

  it('is the same when bytes arrive in odd-sized pieces', () => {
    const b = Uint8Array.from({ length: 10007 }, (_, i) => (i * 131 + 7) & 0xff);
    const whole = computeDatasum(b);
    const s = new OnesSum();
    for (let i = 0; i < b.length; i += 13) s.update(b.subarray(i, i + 13));
    expect(s.value()).toBe(whole);
  });

  it('encodes values as 16 alphanumeric characters (hand-computed)', () => {
    expect(encodeChecksum(0)).toBe('0000000000000000');
    // Each byte 0xff: quotient 63 + 0x30 = 'o', remainder 3 -> 'r','o','o','o'; interleaved, rotated right by one.
    expect(encodeChecksum(0xffffffff)).toBe('orrrrooooooooooo');
    for (const v of [0x12345678, 0xdeadbeef, 0x3a3a3a3a, 0x5b5b5b5b, 0x40404040]) expect(encodeChecksum(v)).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('a header-only HDU with our CHECKSUM sums to -0', () => {
    const h = new Header().add('SIMPLE', true).add('BITPIX', 8).add('NAXIS', 0).add('CHECKSUM', '0000000000000000').add('DATASUM', '0');
    const zeroed = formatHeader(h);
    h.set('CHECKSUM', computeChecksum(zeroed, 0));
    const final = formatHeader(h);
    expect(computeDatasum(final)).toBe(0xffffffff);
    expect(verifyChecksum(final, new Uint8Array(0))).toEqual({ present: true, valid: true, datasumValid: true });
    final[200] ^= 1;
    expect(verifyChecksum(final, new Uint8Array(0)).valid).toBe(false);
  });

  it('every HDU we write carries a valid CHECKSUM/DATASUM', () => {
    const file = serializeFits([
      { header: new Header().add('OBJECT', 'x') },
      { header: new Header().add('EXTNAME', 'SCI'), image: { data: Float32Array.from([1, 2, 3]), dtype: 'float32', shape: [3], strides: [1] } },
    ]);
    for (const h of parseFits(file)) expect(h.verifyChecksum()).toEqual({ present: true, valid: true, datasumValid: true });
    expect(parseFits(serializeFits([{ header: new Header() }], { checksum: false }))[0].verifyChecksum().present).toBe(false);
  });

  it.skipIf(!HAVE_SHARED)('reproduces the CHECKSUM the pipeline wrote (jwst_nirspec_superbias_0075)', () => {
    const bytes = new Uint8Array(readFileSync(sharedPath('external', 'reffiles', 'nirspec', 'jwst_nirspec_superbias_0075.fits')));
    let n = 0;
    for (const h of parseFits(bytes)) {
      const stored = h.header.get('CHECKSUM');
      if (typeof stored !== 'string') continue;
      const head = h.rawHeader().slice();
      const text = new TextDecoder().decode(head);
      const at = text.indexOf(`'${stored}'`);
      expect(at).toBeGreaterThan(0);
      head.set(new TextEncoder().encode('0'.repeat(16)), at + 1);
      const data = bytes.subarray(h.dataOffset, h.dataOffset + h.paddedBytes);
      expect(String(computeDatasum(data))).toBe(h.header.get('DATASUM'));
      expect(computeChecksum(head, computeDatasum(data))).toBe(stored);
      n++;
    }
    expect(n).toBeGreaterThan(1);
  });
});
