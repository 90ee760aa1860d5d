/**
 * MD5 message digest, written from RFC 1321 (sections 3.1-3.5).
 * ASDF block headers carry the MD5 of a block's used (stored) bytes
 * (ASDF Standard, "Blocks": checksum field).
 */

// RFC 1321 section 3.4: per-round shift amounts.
const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

// RFC 1321 section 3.4: T[i] = floor(2^32 * abs(sin(i + 1))).
const T = new Int32Array(64);
for (let i = 0; i < 64; i++) T[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;

/** Process one 64-byte chunk starting at `p` into the state `h`. */
function chunk(h: Int32Array, x: Int32Array): void {
  let a = h[0], b = h[1], c = h[2], d = h[3];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) { f = (b & c) | (~b & d); g = i; }
    else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
    else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
    else { f = c ^ (b | ~d); g = (7 * i) & 15; }
    const sum = (a + f + T[i] + x[g]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
}

/** The 16-byte MD5 digest of `bytes`. */
export function md5(bytes: Uint8Array): Uint8Array {
  const h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  const x = new Int32Array(16);
  const n = bytes.length;
  const full = n - (n % 64);
  for (let p = 0; p < full; p += 64) {
    for (let j = 0; j < 16; j++) {
      const q = p + 4 * j;
      x[j] = bytes[q] | (bytes[q + 1] << 8) | (bytes[q + 2] << 16) | (bytes[q + 3] << 24);
    }
    chunk(h, x);
  }
  // RFC 1321 sections 3.1-3.2: pad with 0x80, zeros, then the bit length (little-endian 64-bit).
  const restLen = n - full;
  const tail = new Uint8Array(restLen < 56 ? 64 : 128);
  tail.set(bytes.subarray(full));
  tail[restLen] = 0x80;
  const bitsLo = (n * 8) >>> 0;
  const bitsHi = Math.floor(n / 0x20000000) >>> 0;
  const L = tail.length;
  for (let k = 0; k < 4; k++) {
    tail[L - 8 + k] = (bitsLo >>> (8 * k)) & 0xff;
    tail[L - 4 + k] = (bitsHi >>> (8 * k)) & 0xff;
  }
  for (let p = 0; p < L; p += 64) {
    for (let j = 0; j < 16; j++) {
      const q = p + 4 * j;
      x[j] = tail[q] | (tail[q + 1] << 8) | (tail[q + 2] << 16) | (tail[q + 3] << 24);
    }
    chunk(h, x);
  }
  const out = new Uint8Array(16);
  for (let k = 0; k < 4; k++) {
    for (let b = 0; b < 4; b++) out[4 * k + b] = (h[k] >>> (8 * b)) & 0xff;
  }
  return out;
}

/** Lower-case hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
