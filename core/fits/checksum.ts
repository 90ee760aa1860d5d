/**
 * The FITS checksum convention (FITS Standard 4.0, Appendix J): 32-bit 1's complement
 * sums of the big-endian 32-bit words of an HDU; DATASUM is the data sum as an unsigned
 * decimal string, CHECKSUM the 16-character ASCII encoding of the complement of the HDU
 * sum, chosen so the whole HDU sums to -0 (all bits set).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Incremental 1's complement sum; bytes may arrive in pieces of any length. */
export class OnesSum {
  private hi = 0;
  private lo = 0;
  private pending = new Uint8Array(4);
  private npending = 0;

  update(bytes: Uint8Array): this {
    let i = 0;
    const n = bytes.length;
    while (this.npending > 0 && this.npending < 4 && i < n) this.pending[this.npending++] = bytes[i++];
    if (this.npending === 4) { this.addWords(this.pending, 0, 4); this.npending = 0; }
    const whole = i + Math.floor((n - i) / 4) * 4;
    this.addWords(bytes, i, whole);
    for (let j = whole; j < n; j++) this.pending[this.npending++] = bytes[j];
    return this;
  }

  private addWords(b: Uint8Array, start: number, end: number): void {
    let hi = this.hi;
    let lo = this.lo;
    // Sums of 16-bit halves stay exact in doubles; fold carries every 2^20 words.
    let k = 0;
    if (LITTLE_ENDIAN && (b.byteOffset + start) % 4 === 0) {
      // Fast path: native 32-bit loads; x holds the big-endian word byte-reversed.
      const w = new Uint32Array(b.buffer, b.byteOffset + start, (end - start) / 4);
      for (let i = 0; i < w.length; i++) {
        const x = w[i];
        hi += ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
        lo += ((x >>> 8) & 0xff00) | (x >>> 24);
        if (++k === 1 << 20) { [hi, lo] = fold(hi, lo); k = 0; }
      }
    } else {
      for (let p = start; p < end; p += 4) {
        hi += (b[p] << 8) | b[p + 1];
        lo += (b[p + 2] << 8) | b[p + 3];
        if (++k === 1 << 20) { [hi, lo] = fold(hi, lo); k = 0; }
      }
    }
    [this.hi, this.lo] = fold(hi, lo);
  }

  /** The 32-bit 1's complement sum so far (a trailing partial word is zero-padded). */
  value(): number {
    let hi = this.hi;
    let lo = this.lo;
    if (this.npending > 0) {
      const w = new Uint8Array(4);
      w.set(this.pending.subarray(0, this.npending));
      hi += (w[0] << 8) | w[1];
      lo += (w[2] << 8) | w[3];
      [hi, lo] = fold(hi, lo);
    }
    return hi * 65536 + lo;
  }
}

/** End-around carry: each half's overflow is added to the other half (App. J). */
function fold(hi: number, lo: number): [number, number] {
  while (hi > 0xffff || lo > 0xffff) {
    const hc = Math.floor(hi / 65536);
    const lc = Math.floor(lo / 65536);
    hi = (hi % 65536) + lc;
    lo = (lo % 65536) + hc;
  }
  return [hi, lo];
}

/** 1's complement addition of two 32-bit sums. */
export function addOnes(a: number, b: number): number {
  const s = a + b;
  return s > 0xffffffff ? s - 0xffffffff : s;
}

/** DATASUM of the (padded) data bytes, as an unsigned 32-bit number. */
export function computeDatasum(bytes: Uint8Array): number {
  return new OnesSum().update(bytes).value();
}

const EXCLUDE = (c: number): boolean => (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60);

/** App. J: encode a 32-bit value as 16 ASCII characters (alphanumeric only). */
export function encodeChecksum(value: number): string {
  const asc = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const q = Math.floor(byte / 4) + 0x30;
    const r = byte % 4;
    const ch = [q + r, q, q, q];
    // Shift pairs apart until neither is punctuation; the pair sum is unchanged.
    let again = true;
    while (again) {
      again = false;
      for (let j = 0; j < 4; j += 2) {
        if (EXCLUDE(ch[j]) || EXCLUDE(ch[j + 1])) { ch[j]++; ch[j + 1]--; again = true; }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  // Rotate right by one: the value starts in column 12, one byte past a word boundary.
  let s = '';
  for (let k = 0; k < 16; k++) s += String.fromCharCode(asc[(k + 15) % 16]);
  return s;
}

/**
 * CHECKSUM value for an HDU whose header bytes already hold CHECKSUM = '0000000000000000'
 * (and the final DATASUM): the complement of the header sum plus the data sum.
 */
export function computeChecksum(headerBytes: Uint8Array, datasum: number): string {
  const total = addOnes(computeDatasum(headerBytes), datasum);
  return encodeChecksum(~total >>> 0);
}

export interface ChecksumStatus {
  /** CHECKSUM present in the header. */
  present: boolean;
  /** The whole HDU sums to -0 (only meaningful when present). */
  valid: boolean;
  /** DATASUM present and equal to the data sum; undefined when absent. */
  datasumValid?: boolean;
}

function findCardValue(header: Uint8Array, key: string): string | undefined {
  const k = key.padEnd(8);
  for (let p = 0; p + 80 <= header.length; p += 80) {
    let match = true;
    for (let i = 0; i < 8; i++) if (header[p + i] !== k.charCodeAt(i)) { match = false; break; }
    if (!match) continue;
    const text = String.fromCharCode(...header.subarray(p + 10, p + 80));
    const m = /^\s*'([^']*)'/.exec(text);
    return m ? m[1].trimEnd() : text.split('/')[0].trim();
  }
  return undefined;
}

/** Check CHECKSUM (whole HDU sums to -0) and DATASUM of one HDU. */
export function verifyChecksum(headerBytes: Uint8Array, dataPaddedBytes: Uint8Array): ChecksumStatus {
  const checksum = findCardValue(headerBytes, 'CHECKSUM');
  const datasumText = findCardValue(headerBytes, 'DATASUM');
  const dsum = computeDatasum(dataPaddedBytes);
  const status: ChecksumStatus = { present: checksum !== undefined, valid: false };
  if (checksum !== undefined) {
    const total = addOnes(computeDatasum(headerBytes), dsum);
    status.valid = total === 0xffffffff;
  }
  if (datasumText !== undefined) status.datasumValid = /^\d+$/.test(datasumText) && Number(datasumText) === dsum;
  return status;
}
