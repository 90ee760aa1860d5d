import { describe, it, expect } from 'vitest';
import { darkForScience, darkMismatch, subtractInt } from './dark_current.ts';

// Dark frame value encodes (integration, frame): 100*int + frame.
function dark(nints: number, nframes: number, npix: number): Float32Array {
  const d = new Float32Array(nints * nframes * npix);
  for (let i = 0; i < nints; i++) for (let f = 0; f < nframes; f++) for (let p = 0; p < npix; p++) d[(i * nframes + f) * npix + p] = 100 * i + f;
  return d;
}

describe('dark_current kernel', () => {
  it('MIRI: same readout -> dark group g of integration min(i, nints_dark-1)', () => {
    const layout = { nints: 2, ngroups: 5, nframes: 1, groupgap: 0 };
    const d = dark(2, 5, 2);
    expect(Array.from(darkForScience(d, layout, 0, 2, 4, 1, 0)).filter((_, k) => k % 2 === 0)).toEqual([0, 1, 2, 3]);
    expect(Array.from(darkForScience(d, layout, 1, 2, 4, 1, 0)).filter((_, k) => k % 2 === 0)).toEqual([100, 101, 102, 103]);
    const sci = new Float32Array([10, 10, 10, 10]);
    subtractInt(sci, darkForScience(d, layout, 1, 2, 2, 1, 0));
    expect(Array.from(sci)).toEqual([-90, -90, -91, -91]);
  });

  it('frame-averaged readout (nframes=4, groupgap=1) averages the right single frames', () => {
    const layout = { nints: 1, ngroups: 20, nframes: 1, groupgap: 0 };
    const d = dark(1, 20, 1);
    // group g uses frames [5g, 5g+4): means 1.5, 6.5, 11.5
    expect(Array.from(darkForScience(d, layout, 0, 1, 3, 4, 1))).toEqual([1.5, 6.5, 11.5]);
    // groupgap only (nframes 1): frames 0, 3, 6
    expect(Array.from(darkForScience(d, layout, 0, 1, 3, 1, 2))).toEqual([0, 3, 6]);
  });

  it('refuses a dark that is too short or more averaged than the science', () => {
    expect(darkMismatch(20, 1, 0, { nints: 1, ngroups: 15, nframes: 1, groupgap: 0 })).toMatch(/Not enough data/);
    expect(darkMismatch(5, 1, 0, { nints: 1, ngroups: 15, nframes: 4, groupgap: 0 })).toMatch(/nframes or groupgap/);
    expect(darkMismatch(15, 1, 0, { nints: 1, ngroups: 15, nframes: 1, groupgap: 0 })).toBeUndefined();
  });

  it('NaN dark values count as 0', () => {
    const d = new Float32Array([NaN, 2]);
    expect(Array.from(darkForScience(d, { nints: 1, ngroups: 2, nframes: 1, groupgap: 0 }, 0, 1, 2, 1, 0))).toEqual([0, 2]);
  });
});
