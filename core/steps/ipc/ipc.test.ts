import { describe, it, expect } from 'vitest';
import { ipcConvolveFrame, refBorders, type RefBorders } from './ipc.ts';
import { mulberry32 } from '../../random/index.ts';

/** The definition pixel by pixel: float32 sum of the in-region terms row by row, the centre last. */
function ipcPerPixel(frame: Float32Array, ny: number, nx: number, kernel: Float32Array, ky: number, kx: number, r: RefBorders, perPixel: boolean): Float32Array {
  const out = Float32Array.from(frame);
  const cj = Math.floor(ky / 2), ci = Math.floor(kx / 2);
  const terms: [number, number][] = [];
  for (let j = 0; j < ky; j++) for (let i = 0; i < kx; i++) if (j !== cj || i !== ci) terms.push([j, i]);
  terms.push([cj, ci]);
  for (let y = r.bottom; y < ny - r.top; y++) for (let x = r.left; x < nx - r.right; x++) {
    let s = 0;
    for (const [j, i] of terms) {
      const yy = y + cj - j, xx = x + ci - i;
      if (yy < r.bottom || yy >= ny - r.top || xx < r.left || xx >= nx - r.right) continue;
      const k = perPixel ? kernel[(j * kx + i) * ny * nx + y * nx + x] : kernel[j * kx + i];
      s = Math.fround(s + Math.fround(k * frame[yy * nx + xx]));
    }
    out[y * nx + x] = s;
  }
  return out;
}

describe('ipc kernel', () => {
  it('convolves with the kernel so that a deconvolution kernel undoes a known IPC convolution', () => {
    const ny = 12, nx = 12, alpha = 0.02;
    const ipcK = new Float32Array([0, alpha, 0, alpha, 1 - 4 * alpha, alpha, 0, alpha, 0]);
    // Deconvolution kernel: the Neumann series delta - E + E*E (E = ipc - delta) on a 5x5 support;
    // what is left after deconvolving is third order in alpha.
    const E = new Float64Array(25);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) E[(j + 1) * 5 + i + 1] = ipcK[j * 3 + i] - (i === 1 && j === 1 ? 1 : 0);
    const E2 = new Float64Array(25);
    for (let a = 0; a < 25; a++) for (let b = 0; b < 25; b++) {
      const y = Math.floor(a / 5) + Math.floor(b / 5) - 2, x = (a % 5) + (b % 5) - 2;
      if (y >= 0 && y < 5 && x >= 0 && x < 5) E2[y * 5 + x] += E[a] * E[b];
    }
    const inv = new Float32Array(25);
    for (let k = 0; k < 25; k++) inv[k] = (k === 12 ? 1 : 0) - E[k] + E2[k];
    const truth = new Float32Array(ny * nx);
    truth[6 * nx + 6] = 1000; truth[3 * nx + 4] = 500;
    const none = { bottom: 0, top: 0, left: 0, right: 0 };
    const observed = new Float32Array(ny * nx), restored = new Float32Array(ny * nx);
    ipcConvolveFrame(truth, observed, ny, nx, ipcK, 3, 3, none, false);
    expect(observed[6 * nx + 7]).toBeCloseTo(1000 * alpha, 4);
    ipcConvolveFrame(observed, restored, ny, nx, inv, 5, 5, none, false);
    let worst = 0;
    for (let i = 0; i < truth.length; i++) worst = Math.max(worst, Math.abs(restored[i] - truth[i]));
    // Before: the IPC moved 4*alpha*1000 = 80 DN out of the bright pixel; after: third order,
    // bounded by 1000 * (8 alpha)^3 = 4.1 DN; measured 0.9 DN.
    expect(1000 - observed[6 * nx + 6]).toBeCloseTo(80, 3);
    expect(worst).toBeLessThan(1.0);
  });

  it('leaves MIRI reference columns untouched and never mixes them in', () => {
    const nref = refBorders(true, 1, 8, 1, 4); // left 4 columns are reference columns
    expect(nref).toEqual({ bottom: 0, top: 0, left: 4, right: 0 });
    const frame = new Float32Array(32).fill(1);
    for (let y = 0; y < 4; y++) frame[y * 8 + 3] = 1000; // hot reference column
    const out = new Float32Array(32);
    ipcConvolveFrame(frame, out, 4, 8, new Float32Array([0, 0.1, 0, 0.1, 0.6, 0.1, 0, 0.1, 0]), 3, 3, nref, false);
    expect(out[1 * 8 + 3]).toBe(1000);
    expect(out[1 * 8 + 4]).toBeCloseTo(0.9, 6); // only 3 in-region neighbours + centre
  });

  it('a 4-D per-pixel kernel uses the kernel at the output pixel', () => {
    const ny = 2, nx = 2, npix = 4;
    const k = new Float32Array(9 * npix);
    for (let p = 0; p < npix; p++) k[4 * npix + p] = p + 1; // centre weights 1..4
    const out = new Float32Array(npix);
    ipcConvolveFrame(new Float32Array([10, 10, 10, 10]), out, ny, nx, k, 3, 3, { bottom: 0, top: 0, left: 0, right: 0 }, true);
    expect(Array.from(out)).toEqual([10, 20, 30, 40]);
  });

  it('the row stencil equals the per-pixel definition bit for bit (3x3, 5x5, 4-D, borders, NaN, zeros)', () => {
    const rnd = mulberry32(11);
    const ny = 9, nx = 13;
    const frame = Float32Array.from({ length: ny * nx }, () => 14000 + 3000 * rnd());
    frame[4 * nx + 6] = NaN; // a NaN in the science region spreads to its neighbours only
    frame[2 * nx + 1] = NaN; // a NaN in a reference column is never mixed in
    for (let y = 5; y < 9; y++) for (let x = 8; x < 13; x++) frame[y * nx + x] = 0; // -0 products must sum to +0
    const cases: [number, number, RefBorders, boolean][] = [
      [3, 3, { bottom: 0, top: 0, left: 4, right: 0 }, false],
      [3, 3, { bottom: 1, top: 2, left: 2, right: 3 }, false],
      [5, 5, { bottom: 0, top: 0, left: 0, right: 0 }, false],
      [3, 5, { bottom: 0, top: 1, left: 4, right: 1 }, true],
    ];
    for (const [ky, kx, r, perPixel] of cases) {
      const k = Float32Array.from({ length: ky * kx * (perPixel ? ny * nx : 1) }, () => 0.02 * (rnd() - 0.6));
      const out = new Float32Array(ny * nx);
      ipcConvolveFrame(frame, out, ny, nx, k, ky, kx, r, perPixel);
      const want = ipcPerPixel(frame, ny, nx, k, ky, kx, r, perPixel);
      expect(Array.from(new Uint32Array(out.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
      expect(out[2 * nx + 1]).toBeNaN();
    }
    // All-negative weights over zeros: every product is -0, the sum +0 (as 0 + -0).
    const neg = new Float32Array(9).fill(-0.1), out = new Float32Array(ny * nx);
    ipcConvolveFrame(frame, out, ny, nx, neg, 3, 3, { bottom: 0, top: 0, left: 0, right: 0 }, false);
    expect(Object.is(out[6 * nx + 10], 0)).toBe(true);
  });
});

