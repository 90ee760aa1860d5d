import { describe, expect, it } from 'vitest';
import { gaussian } from '../random/index.ts';
import { buildLrsWcs, evalSpline, smoothingSpline, Wcs, wavelengthMap, type LrsSpecwcs } from './index.ts';

describe('smoothing spline (Dierckx criterion)', () => {
  it('returns the least-squares cubic when it already meets S (data from a cubic)', () => {
    const x = Array.from({ length: 40 }, (_, i) => i);
    const f = (v: number) => 1 + 0.5 * v - 0.01 * v * v + 2e-4 * v ** 3;
    const sp = smoothingSpline(x, x.map(f), 0.01);
    expect(sp.t.length).toBe(8); // no interior knots
    for (const v of [0, 7.5, 39]) expect(evalSpline(sp, v)).toBeCloseTo(f(v), 9);
  });

  it('adds knots until the residual sum of squares equals S within 0.1%', () => {
    const g = gaussian(7);
    const x = Array.from({ length: 200 }, (_, i) => i / 10);
    const y = x.map((v) => Math.sin(v) + 0.01 * g());
    const s = 200 * 0.01 ** 2;
    const sp = smoothingSpline(x, y, s);
    expect(Math.abs(sp.fp - s) / s).toBeLessThan(1e-3);
    expect(sp.t.length).toBeGreaterThan(8);
    let ss = 0;
    x.forEach((v, i) => (ss += (evalSpline(sp, v) - y[i]!) ** 2));
    expect(ss).toBeCloseTo(sp.fp, 10);
    for (const v of [2, 10, 17]) expect(Math.abs(evalSpline(sp, v) - Math.sin(v))).toBeLessThan(0.01);
  });
});

/** A synthetic LRS specwcs: vertical trace, wavelength linear in y. */
function synthetic(): LrsSpecwcs {
  const n = 101;
  const y = Array.from({ length: n }, (_, i) => 50 - i);
  return {
    xCenter: y.map(() => 0), yCenter: y, wavelength: y.map((v) => 10 - 0.05 * v),
    x0: y.map(() => -5), y0: y.map((v) => v + 0.5), x1: y.map(() => 5), y2: y.map((v) => v - 0.5),
    imxsltl: 38, imysltl: 829,
  };
}

describe('MIRI LRS WCS', () => {
  const exp = {
    expType: 'MIR_LRS-SLITLESS' as const, xstart: 1, ystart: 529, xsize: 72, ysize: 416,
    // v2/v3_ref = the distortion at the zero point (37, 300 + 528), so that pixel lands on RA_REF/DEC_REF
    pointing: { v2_ref: 0.11 * 37 - 382.5, v3_ref: 0.11 * 828 - 436, roll_ref: 30, ra_ref: 10, dec_ref: 20 },
  };
  const distortion = { type: 'affine' as const, matrix: [[0.11, 0], [0, 0.11]], translation: [-382.5, -436] };
  const wcs = buildLrsWcs(exp, synthetic(), distortion);

  it('maps the zero point to alpha 0 and the tabulated wavelength; wavelength map NaN outside the box', () => {
    const [alpha, beta, lam] = wcs.evaluate([Float64Array.of(37), Float64Array.of(300)], { to: 'alpha_beta' }).map((a) => a[0]!);
    expect(alpha).toBeCloseTo(0, 12);
    expect(beta).toBe(0);
    expect(lam).toBeCloseTo(10, 9); // y_center 0 -> 10 um (linear data: the spline is exact)
    const [a2] = wcs.evaluate([Float64Array.of(38), Float64Array.of(300)], { to: 'alpha_beta' }).map((a) => a[0]!);
    expect(a2).toBeCloseTo(0.11, 12); // pixel scale from the distortion
    const wl = wavelengthMap(wcs, 416, 72);
    expect(wl[300 * 72 + 2]).toBeNaN(); // x < 3.5: reference columns
    expect(wl[300 * 72 + 40]).toBeCloseTo(10, 5);
    expect(wl[360 * 72 + 40]).toBeNaN(); // beyond the trace table
  });

  it('sky: v2v3 reference point lands on RA_REF/DEC_REF; round trip and JSON round trip', () => {
    const w = wcs.call(37, 300);
    expect(w[0]).toBeCloseTo(10, 9);
    expect(w[1]).toBeCloseTo(20, 9);
    let back = wcs.call(40, 310);
    for (const t of wcs.path('world', 'detector')) back = t.call(...back);
    expect(back[0]).toBeCloseTo(40, 6);
    expect(back[1]).toBeCloseTo(310, 6);
    const again = Wcs.fromJSON(JSON.parse(JSON.stringify(wcs.toJSON())));
    expect(again.call(40, 310)).toEqual(wcs.call(40, 310));
  });
});
