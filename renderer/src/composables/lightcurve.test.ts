import { describe, expect, it } from 'vitest';
import { binSeries, binnedLightCurves, madNoise, median, normalise, timeAxis, toCsv } from './lightcurve.ts';

describe('light-curve arithmetic', () => {
  it('bins consecutive points by their mean; excluded points are left out; the last bin may be short', () => {
    const t = [0, 1, 2, 3, 4, 5, 6];
    const f = [1, 3, 5, 7, 100, 11, 13];
    const b = binSeries(t, f, 3, new Set([4]));
    expect(b.t).toEqual([1, 4, 6]);
    expect(b.f).toEqual([3, 9, 13]);
    expect(binSeries(t, f, 1, new Set([0])).t).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('median: the middle value, the mean of the two middle ones for an even count (not the upper one), NaN when empty', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeNaN();
  });

  it('normalises by the median of the kept points', () => {
    expect(normalise([2, 4, 6, 1000], new Set([3]))).toEqual([0.5, 1, 1.5, 250]);
    expect(normalise([1, 3])).toEqual([0.5, 1.5]);
  });

  it('MAD noise of an alternating +-a series is 1.4826 * 2a / sqrt(2)', () => {
    const a = 0.003;
    expect(madNoise([1 + a, 1 - a, 1 + a, 1 - a, 1 + a])).toBeCloseTo((1.4826 * 2 * a) / Math.SQRT2, 12);
  });

  it('time axes: hours from the middle, BJD when present', () => {
    expect(timeAxis([100, 100.5, 101], null, 'hours')).toEqual([-12, 0, 12]);
    expect(timeAxis([100, 101], [200, 201], 'bjd')).toEqual([200, 201]);
    expect(timeAxis([100, 101], null, 'bjd')).toEqual([100, 101]);
  });

  it('spectroscopic light curves sum the flux in [lo, hi) wavelength bins', () => {
    const wave = Float64Array.from([5, 6, 7, 8, 5, 6, 7, 8]);
    const flux = Float64Array.from([1, 2, 3, 4, 10, 20, NaN, 40]);
    expect(binnedLightCurves(wave, flux, 2, 4, [5, 7, 9])).toEqual([[3, 30], [7, 40]]); // per bin: one value per integration
  });

  it('CSV has a header row and one row per point', () => {
    expect(toCsv({ a: [1, 2], b: ['x', 'y'] })).toBe('a,b\n1,x\n2,y\n');
  });
});
