import { describe, expect, it } from 'vitest';
import { chunkRanges, intsPerChunk, rollingWindows, sliceTable, chunkMeta, restoreMeta } from '../../core/pipelines/stream/plan.ts';
import { flagTsoOutliers } from '../../core/steps/outlier_detection/tso.ts';
import { mulberry32 } from '../../core/random/index.ts';

describe('chunk planning', () => {
  it('covers [0, nints) in order; a 1-integration tail is merged', () => {
    expect(chunkRanges(10, 4)).toEqual([{ start: 0, stop: 4 }, { start: 4, stop: 8 }, { start: 8, stop: 10 }]);
    expect(chunkRanges(9, 4)).toEqual([{ start: 0, stop: 4 }, { start: 4, stop: 9 }]);
    expect(chunkRanges(3, 8)).toEqual([{ start: 0, stop: 3 }]);
    expect(intsPerChunk(599040, 128 * 2 ** 20)).toBe(224);
    expect(intsPerChunk(599040, 10)).toBe(2);
  });

  it('windows add w integrations each side, clipped', () => {
    expect(rollingWindows(20, 6, 3)).toEqual([
      { core: { start: 0, stop: 6 }, window: { start: 0, stop: 9 } },
      { core: { start: 6, stop: 12 }, window: { start: 3, stop: 15 } },
      { core: { start: 12, stop: 18 }, window: { start: 9, stop: 20 } },
      { core: { start: 18, stop: 20 }, window: { start: 15, stop: 20 } },
    ]);
  });

  it('slices table rows of scalar and vector columns; integration_start round trip', () => {
    const t = { nrows: 4, columns: [
      { name: 'A', tform: 'J', code: 'J', repeat: 1, dtype: 'int32', cellShape: [], data: Int32Array.of(1, 2, 3, 4) },
      { name: 'B', tform: '2D', code: 'D', repeat: 2, dtype: 'float64', cellShape: [2], data: Float64Array.of(1, 1, 2, 2, 3, 3, 4, 4) },
    ] };
    const s = sliceTable(t, 1, 3);
    expect(s.nrows).toBe(2);
    expect(Array.from(s.columns[0]!.data as Int32Array)).toEqual([2, 3]);
    expect(Array.from(s.columns[1]!.data as Float64Array)).toEqual([2, 2, 3, 3]);
    const m = chunkMeta({ exposure: { nints: 8 } }, 5);
    expect(m).toEqual({ exposure: { nints: 8, integration_start: 6 } });
    expect(restoreMeta(m, { exposure: { nints: 8 } })).toEqual({ exposure: { nints: 8 } });
    expect(restoreMeta(chunkMeta({ exposure: { integration_start: 3 } }, 2), { exposure: { integration_start: 3 } })).toEqual({ exposure: { integration_start: 3 } });
  });
});

/** A TSO cube with noise, a few injected outliers and some DO_NOT_USE pixels. */
function cube(nints: number, npix: number, seed: number) {
  const r = mulberry32(seed);
  const data = Float32Array.from({ length: nints * npix }, () => 100 + (r() - 0.5) * 2);
  const err = new Float32Array(nints * npix).fill(1);
  const dq = new Uint32Array(nints * npix);
  for (let k = 0; k < 25; k++) data[Math.floor(r() * data.length)] += 50;
  for (let k = 0; k < 10; k++) dq[Math.floor(r() * dq.length)] = 1;
  return { nints, npix, data, err, dq, vars: [Float32Array.from(err, (e) => e * e)] };
}

describe('outlier_detection by overlapping windows equals the whole cube (rolling median)', () => {
  for (const [nints, w, per] of [[40, 5, 6], [37, 4, 5], [25, 3, 4]] as const) {
    it(`nints ${nints}, window ${w}, chunks of ${per}`, () => {
      const npix = 30;
      const whole = cube(nints, npix, 7);
      const opts = { goodBits: ~1 >>> 0, maskpt: 0.7, rollingWindowWidth: w, snr: 5 };
      const nWhole = flagTsoOutliers(whole, opts);
      expect(nWhole).toBeGreaterThanOrEqual(20);
      const fresh = cube(nints, npix, 7);
      const dq = new Uint32Array(nints * npix), data = new Float32Array(nints * npix);
      for (const { core, window } of rollingWindows(nints, per, w)) {
        const sl = <T extends Float32Array | Uint32Array>(a: T) => a.slice(window.start * npix, window.stop * npix) as T;
        const c = { nints: window.stop - window.start, npix, data: sl(fresh.data), err: sl(fresh.err), dq: sl(fresh.dq), vars: fresh.vars.map(sl) };
        flagTsoOutliers(c, opts);
        const off = (core.start - window.start) * npix, len = (core.stop - core.start) * npix;
        dq.set(c.dq.subarray(off, off + len), core.start * npix);
        data.set(c.data.subarray(off, off + len), core.start * npix);
      }
      expect(Array.from(dq)).toEqual(Array.from(whole.dq));
      expect(Array.from(data)).toEqual(Array.from(whole.data));
    });
  }
});
