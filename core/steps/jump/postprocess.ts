/**
 * Jump post-processing on a block of rows (stcal docs, "Two-Point Difference
 * Method", steps 9-10): flag the 4 neighbours of qualifying jumps, flag the
 * groups following large jumps, and drop JUMP where DO_NOT_USE or SATURATED
 * is also set. Runs after detection finished on every row, because a
 * neighbour may lie in another block.
 */
import { DNU, JUMP, SAT, type JumpArrays } from './twopoint.ts';

/** After-jump flagging: jumps of at least e1 (e2) electrons flag the next n1 (n2) groups. */
export interface AfterJumpParams {
  e1: number;
  n1: number;
  e2: number;
  n2: number;
  flag4Neighbors: boolean;
}

/**
 * Neighbour flags for rows [row0, row1): each marked source (nbr, rows
 * row0-1 .. row1) flags its 4 neighbours that lie in the block and are
 * neither SATURATED nor DO_NOT_USE. Sources are rare: the scan of the mask
 * is the only per-sample work.
 */
function flagNeighbours(a: JumpArrays, row0: number, row1: number): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const plane = ny * nx;
  const y0 = Math.max(0, row0 - 1);
  const y1 = Math.min(ny, row1 + 1);
  const nbr = a.nbr;
  // The mask is almost all zero: skip it 4 bytes at a time where aligned.
  const words = nbr.byteOffset % 4 === 0 ? new Uint32Array(nbr.buffer, nbr.byteOffset, nbr.length >> 2) : undefined;
  for (let k = 0; k < nints * ngroups; k++) {
    const lo = k * plane + y0 * nx;
    const hi = k * plane + y1 * nx;
    let idx = lo;
    if (words) {
      for (; idx < hi && (idx & 3) !== 0; idx++) if (nbr[idx] !== 0) flagAround(a, idx - k * plane, k * plane, row0, row1);
      for (; idx + 4 <= hi; idx += 4) {
        if (words[idx >> 2] === 0) continue;
        for (let q = idx; q < idx + 4; q++) if (nbr[q] !== 0) flagAround(a, q - k * plane, k * plane, row0, row1);
      }
    }
    for (; idx < hi; idx++) if (nbr[idx] !== 0) flagAround(a, idx - k * plane, k * plane, row0, row1);
  }
}

/** Flag the 4 neighbours (within rows [row0, row1), neither SATURATED nor DO_NOT_USE) of pixel r of the plane at `base`. */
function flagAround(a: JumpArrays, r: number, base: number, row0: number, row1: number): void {
  const nx = a.shape[3];
  const y = Math.floor(r / nx);
  const x = r - y * nx;
  const idx = base + r;
  const g = a.gdqOut;
  const set = (q: number): void => {
    if ((g[q] & (SAT | DNU)) === 0) g[q] |= JUMP;
  };
  if (y >= row0 && y < row1) {
    if (x > 0) set(idx - 1);
    if (x < nx - 1) set(idx + 1);
  }
  if (y - 1 >= row0 && y - 1 < row1) set(idx - nx);
  if (y + 1 >= row0 && y + 1 < row1) set(idx + nx);
}

/** Flag n groups after each jump whose size (difference minus the pixel median, electrons) is at least e. */
function flagAfterJumps(a: JumpArrays, p: AfterJumpParams, row0: number, row1: number): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const plane = ny * nx;
  for (let y = row0; y < row1; y++) {
    for (let x = 0; x < nx; x++) {
      const pix = y * nx + x;
      const gain = a.gain[pix];
      const med = a.median[pix];
      for (let i = 0; i < nints; i++) {
        const marks: number[] = [];
        for (let g = 1; g < ngroups; g++) {
          const idx = (i * ngroups + g) * plane + pix;
          if ((a.gdqOut[idx] & JUMP) === 0) continue;
          if (((a.gdqIn[idx] | a.gdqIn[idx - plane]) & (DNU | SAT)) !== 0) continue;
          const e0 = Math.fround(a.data[idx - plane] * gain);
          const e1v = Math.fround(a.data[idx] * gain);
          const ejump = Math.fround(Math.fround(e1v - e0) - med);
          let n = 0;
          if (p.n1 > 0 && ejump >= p.e1) n = Math.max(n, p.n1);
          if (p.n2 > 0 && ejump >= p.e2) n = Math.max(n, p.n2);
          if (n > 0) marks.push(g, n);
        }
        for (let m = 0; m < marks.length; m += 2) {
          const g0 = marks[m];
          const last = Math.min(ngroups - 1, g0 + Math.min(marks[m + 1], ngroups - 2));
          for (let g = g0; g <= last; g++) {
            const idx = (i * ngroups + g) * plane + pix;
            if ((a.gdqOut[idx] & (SAT | DNU)) === 0) a.gdqOut[idx] |= JUMP;
          }
        }
      }
    }
  }
}

/**
 * Remove JUMP where DO_NOT_USE or SATURATED is set too (stcal: redundant
 * bits). Checks 4 flags at a time through a 32-bit view where aligned.
 */
function clearRedundant(a: JumpArrays, row0: number, row1: number): void {
  const [nints, ngroups, ny, nx] = a.shape;
  const plane = ny * nx;
  const g = a.gdqOut;
  const words = g.byteOffset % 4 === 0 ? new Uint32Array(g.buffer, g.byteOffset, g.length >> 2) : undefined;
  const fix = (idx: number): void => {
    const q = g[idx];
    if ((q & JUMP) !== 0 && (q & (DNU | SAT)) !== 0) g[idx] = q & ~JUMP;
  };
  for (let k = 0; k < nints * ngroups; k++) {
    const lo = k * plane + row0 * nx;
    const hi = k * plane + row1 * nx;
    if (!words) { for (let idx = lo; idx < hi; idx++) fix(idx); continue; }
    const w0 = (lo + 3) >> 2;
    const w1 = hi >> 2;
    if (w0 >= w1) { for (let idx = lo; idx < hi; idx++) fix(idx); continue; }
    for (let idx = lo; idx < w0 * 4; idx++) fix(idx);
    for (let w = w0; w < w1; w++) {
      const v = words[w];
      // A byte with JUMP (bit 2) and DO_NOT_USE or SATURATED (bits 0, 1).
      if ((((v >>> 2) & (v | (v >>> 1))) & 0x01010101) !== 0) for (let idx = w * 4; idx < w * 4 + 4; idx++) fix(idx);
    }
    for (let idx = w1 * 4; idx < hi; idx++) fix(idx);
  }
}

/** All post-processing for rows [row0, row1). */
export function postprocessRows(a: JumpArrays, p: AfterJumpParams, row0: number, row1: number): void {
  if (p.flag4Neighbors) flagNeighbours(a, row0, row1);
  if (p.n1 > 0 || p.n2 > 0) flagAfterJumps(a, p, row0, row1);
  clearRedundant(a, row0, row1);
}
