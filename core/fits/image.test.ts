import { describe, it, expect } from 'vitest';
import { FitsError } from '../errors/index.ts';
import { ndarray, type DType, type NDArray } from '../ndarray/index.ts';
import { Header } from './header.ts';
import { decodeImage, decodeImagePlane, encodeImage, imageLayout, planeRange, swapInPlace } from './image.ts';
import { parseFits, serializeFits } from './fits.ts';

function headerOf(cards: Array<[string, number | bigint]>): Header {
  const h = new Header();
  h.add('SIMPLE', true);
  for (const [k, v] of cards) h.add(k, v);
  return h;
}

function sample(dtype: DType, n: number): NDArray['data'] {
  switch (dtype) {
    case 'uint8': return Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
    case 'int8': return Int8Array.from({ length: n }, (_, i) => ((i * 37) & 0xff) - 128);
    case 'int16': return Int16Array.from({ length: n }, (_, i) => (i * 4099) % 65536 - 32768);
    case 'uint16': return Uint16Array.from({ length: n }, (_, i) => (i * 4099 + 32760) % 65536);
    case 'int32': return Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0);
    case 'uint32': return Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0);
    case 'int64': return BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1234567890123457n - 9000000000000000000n);
    case 'uint64': return BigUint64Array.from({ length: n }, (_, i) => 18446744073709551615n - BigInt(i) * 987654321987n);
    case 'float32': return Float32Array.from({ length: n }, (_, i) => (i - 7) / 3);
    case 'float64': return Float64Array.from({ length: n }, (_, i) => Math.PI * (i - 11) * 1e-7);
  }
}

const ALL: DType[] = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

describe('image codec (FITS 4.0 sect. 5)', () => {
  it('decodes big-endian BITPIX 16 with BZERO 32768 into a Uint16Array without wrapping', () => {
    const h = headerOf([['BITPIX', 16], ['NAXIS', 2], ['NAXIS1', 3], ['NAXIS2', 2], ['BZERO', 32768], ['BSCALE', 1]]);
    // stored int16: -32768, -1, 0, 1, 32767, 100  -> physical 0, 32767, 32768, 32769, 65535, 32868
    const stored = [0x80, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x7f, 0xff, 0x00, 0x64];
    const bytes = Uint8Array.from(stored);
    const a = decodeImage(h, bytes);
    expect(a.dtype).toBe('uint16');
    expect(a.data).toBeInstanceOf(Uint16Array);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Uint16Array)).toEqual([0, 32767, 32768, 32769, 65535, 32868]);
    expect(Array.from(bytes)).toEqual(stored); // input untouched
  });

  it('picks dtypes like astropy', () => {
    const lay = (bitpix: number, bzero?: number | bigint, bscale?: number) => {
      const c: Array<[string, number | bigint]> = [['BITPIX', bitpix], ['NAXIS', 1], ['NAXIS1', 4]];
      if (bzero !== undefined) c.push(['BZERO', bzero]);
      if (bscale !== undefined) c.push(['BSCALE', bscale]);
      return imageLayout(headerOf(c)).dtype;
    };
    expect(lay(8)).toBe('uint8');
    expect(lay(8, -128)).toBe('int8');
    expect(lay(16, 32768)).toBe('uint16');
    expect(lay(32, 2147483648)).toBe('uint32');
    expect(lay(64, 9223372036854775808n)).toBe('uint64');
    expect(lay(16, 0, 2)).toBe('float32');
    expect(lay(8, 10)).toBe('float32');
    expect(lay(32, 1.5)).toBe('float64');
    expect(lay(64, 0, 0.5)).toBe('float64');
    expect(lay(-32, 1, 2)).toBe('float32');
    expect(lay(-64)).toBe('float64');
  });

  it('applies BSCALE/BZERO and maps BLANK to NaN', () => {
    const h = headerOf([['BITPIX', 16], ['NAXIS', 1], ['NAXIS1', 4], ['BSCALE', 0.5], ['BZERO', 10], ['BLANK', -1]]);
    const a = decodeImage(h, Uint8Array.from([0, 4, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00]));
    expect(a.dtype).toBe('float32');
    expect(Array.from(a.data as Float32Array)).toEqual([12, NaN, 9, 10]);
    const h64 = headerOf([['BITPIX', 64], ['NAXIS', 1], ['NAXIS1', 2], ['BSCALE', 2], ['BZERO', 1], ['BLANK', 7]]);
    const b = decodeImage(h64, Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 7]));
    expect(Array.from(b.data as Float64Array)).toEqual([7, NaN]);
  });

  for (const dtype of ALL) {
    it(`round-trips ${dtype} through encodeImage/serializeFits/parseFits`, () => {
      const shape = [3, 4, 5];
      const arr = ndarray(sample(dtype, 60), shape);
      const before = new Uint8Array(arr.data.buffer.slice(0));
      const enc = encodeImage(arr);
      expect(new Uint8Array(arr.data.buffer)).toEqual(before); // caller's buffer not swapped
      const file = serializeFits([{ header: new Header(), image: arr }]);
      const [hdu] = parseFits(file);
      const back = hdu.readImage();
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(back.data).toEqual(arr.data);
      expect(hdu.header.get('BITPIX')).toBe(enc.cards[0].value);
      const plane = hdu.readPlane([2]);
      expect(plane.shape).toEqual([4, 5]);
      expect(plane.data).toEqual(arr.data.subarray(40, 60));
      expect(hdu.readPlane([1, 3]).data).toEqual(arr.data.subarray(35, 40));
    });
  }

  it('writes the standard offsets for unsigned and int8 data (Table 11)', () => {
    const cardsOf = (d: DType) => Object.fromEntries(encodeImage(ndarray(sample(d, 2), [2])).cards.map((c) => [c.keyword, c.value]));
    expect(cardsOf('uint16')).toMatchObject({ BITPIX: 16, BZERO: 32768, BSCALE: 1 });
    expect(cardsOf('uint32')).toMatchObject({ BITPIX: 32, BZERO: 2147483648 });
    expect(cardsOf('uint64')).toMatchObject({ BITPIX: 64, BZERO: 9223372036854775808n });
    expect(cardsOf('int8')).toMatchObject({ BITPIX: 8, BZERO: -128 });
    expect(cardsOf('float32')).not.toHaveProperty('BZERO');
    const u16 = encodeImage(ndarray(Uint16Array.from([0, 65535, 32768]), [3])).data;
    expect(Array.from(u16)).toEqual([0x80, 0x00, 0x7f, 0xff, 0x00, 0x00]);
  });

  it('handles NAXIS 0 to 6 and zero-length axes', () => {
    for (let naxis = 0; naxis <= 6; naxis++) {
      const shape = Array.from({ length: naxis }, (_, i) => (i % 3) + 1);
      const h = new Header();
      const spec = naxis === 0 ? { header: h } : { header: h, image: ndarray(sample('float32', shape.reduce((a, b) => a * b, 1)), shape) };
      const [hdu] = parseFits(serializeFits([spec]));
      expect(hdu.header.get('NAXIS')).toBe(naxis);
      if (naxis === 0) { expect(hdu.dataBytes).toBe(0); continue; }
      expect(hdu.readImage().shape).toEqual(shape);
      expect(hdu.readImage().data).toEqual(spec.image?.data);
    }
    const [z] = parseFits(serializeFits([{ header: new Header(), image: ndarray(new Float32Array(0), [0, 4]) }]));
    expect(z.readImage().shape).toEqual([0, 4]);
  });

  it('integer data with BZERO/BSCALE options read back scaled', () => {
    const arr = ndarray(Int16Array.from([0, 1, 2, -3]), [4]);
    const [hdu] = parseFits(serializeFits([{ header: new Header(), image: arr }]).slice(0));
    expect(hdu.readImage().data).toEqual(arr.data);
    const enc = encodeImage(arr, { bscale: 0.25, bzero: 100 });
    const h = headerOf(enc.cards.map((c) => [c.keyword, c.value as number]));
    expect(Array.from(decodeImage(h, enc.data).data as Float64Array)).toEqual([100, 100.25, 100.5, 99.25]);
    expect(() => encodeImage(ndarray(new Float32Array(1), [1]), { bscale: 2 })).toThrow(FitsError);
  });

  it('decodes a plane from its own bytes and rejects bad indices', () => {
    const arr = ndarray(sample('int32', 24), [2, 3, 4]);
    const { cards, data } = encodeImage(arr);
    const h = headerOf(cards.map((c) => [c.keyword, c.value as number]));
    const r = planeRange(imageLayout(h), [1, 2]);
    expect(r).toEqual({ byteOffset: (12 + 8) * 4, byteLength: 16, shape: [4] });
    const p = decodeImagePlane(h, data.subarray(r.byteOffset, r.byteOffset + r.byteLength), [1, 2]);
    expect(p.data).toEqual(arr.data.subarray(20, 24));
    expect(() => planeRange(imageLayout(h), [2])).toThrow(FitsError);
    expect(() => planeRange(imageLayout(h), [0, 0, 0, 0])).toThrow(FitsError);
    expect(() => decodeImage(h, data.subarray(0, 10))).toThrow(/truncated|declares/);
  });

  it('swaps unaligned buffers correctly', () => {
    const buf = new Uint8Array(13);
    buf.set([1, 2, 3, 4, 5, 6, 7, 8], 1);
    const v = buf.subarray(1, 9);
    swapInPlace(v, 4);
    expect(Array.from(v)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    swapInPlace(v, 8);
    expect(Array.from(v)).toEqual([5, 6, 7, 8, 1, 2, 3, 4]);
  });
});
