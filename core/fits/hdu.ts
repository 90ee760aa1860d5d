/**
 * HDU structure: type, data size and location from the mandatory keywords
 * (FITS Standard 4.0, sections 4.4.1 and 7.1-7.3; data size: eq. 1 in 4.4.1.1 and eq. 2 in 4.4.1.2).
 */
import { FitsError } from '../errors/index.ts';
import { BLOCK_LENGTH } from './card.ts';
import type { Header, Where } from './header.ts';

export type HduType = 'PRIMARY' | 'IMAGE' | 'BINTABLE' | 'TABLE';

export interface HduInfo {
  /** 0-based HDU index. */
  index: number;
  type: HduType;
  header: Header;
  extname?: string;
  extver: number;
  /** Byte offset of the header's first block. */
  headerOffset: number;
  /** Byte offset of the data (just after the header's last block). */
  dataOffset: number;
  /** Main data + heap, unpadded: |BITPIX|/8 * GCOUNT * (PCOUNT + prod NAXISn). */
  dataBytes: number;
  /** dataBytes rounded up to a multiple of 2880. */
  paddedBytes: number;
}

export const VALID_BITPIX: ReadonlySet<number> = new Set([8, 16, 32, 64, -32, -64]);

export function padTo2880(n: number): number {
  return Math.ceil(n / BLOCK_LENGTH) * BLOCK_LENGTH;
}

function err(code: string, msg: string, where: Where): FitsError {
  return new FitsError(code, msg, where);
}

/** Read NAXIS and NAXISn (numpy order is the reverse: see `imageLayout`). */
export function readAxes(header: Header, where: Where): number[] {
  const naxis = header.getInt('NAXIS');
  if (naxis === undefined) throw err('missing-keyword', 'mandatory keyword NAXIS is missing (FITS 4.0 sect. 4.4.1)', { ...where, keyword: 'NAXIS' } as Where);
  if (naxis < 0 || naxis > 999) throw err('bad-naxis', `NAXIS = ${naxis} is outside 0..999 (FITS 4.0 sect. 4.4.1.1)`, where);
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const n = header.getInt(`NAXIS${i}`);
    if (n === undefined) throw err('missing-keyword', `mandatory keyword NAXIS${i} is missing (NAXIS = ${naxis})`, where);
    if (n < 0) throw err('bad-naxis', `NAXIS${i} = ${n} is negative (FITS 4.0 sect. 4.4.1.1)`, where);
    axes.push(n);
  }
  return axes;
}

export function readBitpix(header: Header, where: Where): number {
  const bitpix = header.getInt('BITPIX');
  if (bitpix === undefined) throw err('missing-keyword', 'mandatory keyword BITPIX is missing', where);
  if (!VALID_BITPIX.has(bitpix)) throw err('bad-bitpix', `BITPIX = ${bitpix} is not one of 8, 16, 32, 64, -32, -64 (FITS 4.0 Table 8)`, where);
  return bitpix;
}

function xtensionType(x: string, where: Where): HduType {
  const t = x.trim().toUpperCase();
  if (t === 'IMAGE') return 'IMAGE';
  if (t === 'BINTABLE' || t === 'A3DTABLE') return 'BINTABLE';
  if (t === 'TABLE') return 'TABLE';
  throw err('unsupported-xtension', `XTENSION = '${x}' is not a supported extension type (IMAGE, TABLE, BINTABLE)`, where);
}

/** 4.4.1.1: a primary header starts with 'SIMPLE  ='; checked before looking for END. */
export function checkFitsSignature(first: Uint8Array, file?: string): void {
  const sig = 'SIMPLE  =';
  for (let i = 0; i < sig.length; i++) {
    if (first[i] !== sig.charCodeAt(i)) {
      const head = String.fromCharCode(...first.subarray(0, 9)).replace(/[^\x20-\x7e]/g, '?');
      throw err('not-fits', `not a FITS file: it starts with ${JSON.stringify(head)}, not "SIMPLE  =" (FITS 4.0 sect. 4.4.1.1)`, { file, hdu: 0 });
    }
  }
}

/** Describe an HDU whose header has been parsed. */
export function describeHdu(header: Header, index: number, headerOffset: number, dataOffset: number, file?: string): HduInfo {
  const where: Where = { file, hdu: index };
  let type: HduType;
  const first = header.cards[0]?.keyword;
  if (index === 0) {
    if (first !== 'SIMPLE') throw err('not-fits', `the primary header must start with SIMPLE, found ${JSON.stringify(first ?? '')} (FITS 4.0 sect. 4.4.1.1)`, where);
    type = 'PRIMARY';
  } else {
    if (first !== 'XTENSION') throw err('bad-structure', `an extension header must start with XTENSION, found ${JSON.stringify(first ?? '')} (FITS 4.0 sect. 7.1)`, where);
    const x = header.getString('XTENSION') ?? '';
    type = xtensionType(x, where);
  }
  let extname: string | undefined;
  const en = header.get('EXTNAME');
  if (typeof en === 'string') extname = en.trim();
  if (extname) where.extname = extname;
  header.where = { ...where };
  const bitpix = readBitpix(header, where);
  const axes = readAxes(header, where);
  const pcount = header.getInt('PCOUNT') ?? 0;
  const gcount = header.getInt('GCOUNT') ?? 1;
  if (pcount < 0) throw err('bad-structure', `PCOUNT = ${pcount} is negative`, where);
  if (gcount < 0) throw err('bad-structure', `GCOUNT = ${gcount} is negative`, where);
  if ((type === 'BINTABLE' || type === 'TABLE') && (bitpix !== 8 || axes.length !== 2)) {
    throw err('bad-structure', `a ${type} extension needs BITPIX = 8 and NAXIS = 2, found BITPIX = ${bitpix}, NAXIS = ${axes.length} (FITS 4.0 sect. 7.2.1/7.3.1)`, where);
  }
  // Random groups (6.1): NAXIS1 = 0 and GROUPS = T; NAXIS1 is left out of the product.
  const groups = type === 'PRIMARY' && axes[0] === 0 && header.get('GROUPS') === true;
  let prod = 0;
  if (axes.length > 0) {
    prod = 1;
    for (let i = groups ? 1 : 0; i < axes.length; i++) prod *= axes[i];
  }
  const dataBytes = (Math.abs(bitpix) / 8) * gcount * (pcount + prod);
  if (!Number.isSafeInteger(dataBytes)) {
    throw err('too-large', `declared data size ${dataBytes} bytes (axes ${axes.join(' x ')}) is absurd`, where);
  }
  const extverV = header.get('EXTVER');
  const extver = typeof extverV === 'number' && Number.isInteger(extverV) ? extverV : 1;
  const info: HduInfo = { index, type, header, extver, headerOffset, dataOffset, dataBytes, paddedBytes: padTo2880(dataBytes) };
  if (extname !== undefined) info.extname = extname;
  return info;
}
