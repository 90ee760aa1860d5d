import { describe, it, expect } from 'vitest';
import { overlapArea, polygonArea } from './polygon.ts';
import { createAccumulator, drizzleAdd, drizzleFinish } from './drizzle.ts';

const square = (cx: number, cy: number, h: number, rot = 0): number[] => {
  const c = Math.cos(rot), s = Math.sin(rot);
  return [[-h, -h], [h, -h], [h, h], [-h, h]].flatMap(([x, y]) => [cx + c * x! - s * y!, cy + s * x! + c * y!]);
};

describe('polygon overlap', () => {
  it('splits a shifted unit square into the four analytic areas', () => {
    const q = square(0.3, 0.2, 0.5);
    expect(overlapArea(q, 4, -0.5, 0.5, -0.5, 0.5)).toBeCloseTo(0.7 * 0.8, 12);
    expect(overlapArea(q, 4, 0.5, 1.5, -0.5, 0.5)).toBeCloseTo(0.3 * 0.8, 12);
    expect(overlapArea(q, 4, -0.5, 0.5, 0.5, 1.5)).toBeCloseTo(0.7 * 0.2, 12);
    expect(overlapArea(q, 4, 0.5, 1.5, 0.5, 1.5)).toBeCloseTo(0.3 * 0.2, 12);
    expect(overlapArea(q, 4, 2, 3, 2, 3)).toBe(0);
  });
  it('the overlaps of a rotated, clockwise polygon sum to its area', () => {
    const q = square(3.17, 2.61, 1.3, 0.61);
    const cw = [q[6]!, q[7]!, q[4]!, q[5]!, q[2]!, q[3]!, q[0]!, q[1]!];
    let s = 0;
    for (let j = 0; j < 7; j++) for (let i = 0; i < 7; i++) s += overlapArea(cw, 4, i - 0.5, i + 0.5, j - 0.5, j + 0.5);
    expect(Math.abs(polygonArea(q))).toBeCloseTo(2.6 * 2.6, 12);
    expect(s).toBeCloseTo(2.6 * 2.6, 12);
  });
});

describe('drizzle kernel', () => {
  const nx = 6, ny = 5, n = nx * ny;
  const img = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 11));
  const coordsShift = (dx: number, dy: number, h: number): Float64Array => {
    const c = new Float64Array(8 * n);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) c.set(square(i + dx, j + dy, h), 8 * (j * nx + i));
    return c;
  };
  const run = (coords: Float64Array, kernel: 'square' | 'point' = 'square', weight = new Float64Array(n).fill(1)) => {
    const acc = createAccumulator(nx, ny, ['v']);
    drizzleAdd(acc, { n, coords, data: img, weight, vars: { v: new Float64Array(n).fill(4) }, index: 0 }, kernel);
    return drizzleFinish(acc, NaN);
  };
  it('identity mapping with pixfrac 1 reproduces the input, weight 1, variance unchanged', () => {
    const r = run(coordsShift(0, 0, 0.5));
    for (let i = 0; i < n; i++) { expect(r.data[i]).toBeCloseTo(img[i]!, 5); expect(r.wht[i]).toBeCloseTo(1, 6); expect(r.vars.v![i]).toBeCloseTo(4, 5); }
    expect(r.con[0]![0]).toBe(1);
  });
  it('a half-pixel shift conserves sum(value * covered area) and fills empty pixels with fillval', () => {
    const r = run(coordsShift(0.5, 0, 0.5));
    // Column 0 receives only the left half of nothing: x in [-0.5,0] is not covered -> weight 0.5 from pixel 0.
    let outSum = 0;
    for (let i = 0; i < n; i++) outSum += r.data[i]! * r.wht[i]!;
    expect(outSum).toBeCloseTo(img.reduce((a, b) => a + b, 0) - Array.from({ length: ny }, (_, j) => img[j * nx + nx - 1]! * 0.5).reduce((a, b) => a + b, 0), 6);
    expect(r.data[1]).toBeCloseTo((img[0]! + img[1]!) / 2, 6);
    expect(r.vars.v![1]).toBeCloseTo((0.25 * 4 + 0.25 * 4) / 1, 6);
  });
  it('zero-weight pixels are ignored; a pixel with no contribution gets fillval', () => {
    const w = new Float64Array(n).fill(1); w[7] = 0;
    const r = run(coordsShift(0, 0, 0.5), 'square', w);
    expect(Number.isNaN(r.data[7])).toBe(true);
    expect(r.empty[7]).toBe(1);
    expect(r.data[8]).toBeCloseTo(img[8]!, 6);
  });
  it('point kernel puts each centre into one output pixel', () => {
    const c = new Float64Array(2 * n);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) { c[2 * (j * nx + i)] = i + 0.2; c[2 * (j * nx + i) + 1] = j - 0.3; }
    const r = run(c, 'point');
    for (let i = 0; i < n; i++) expect(r.data[i]).toBeCloseTo(img[i]!, 6);
  });
});
