import { describe, expect, it } from 'vitest';
import { gaussian } from '../random/index.ts';
import { compareWhiteLight } from './compare.ts';
import { transitFlux } from './transit.ts';

describe('compareWhiteLight', () => {
  it('recovers an injected drop within its error', () => {
    const tp = { rpRs: 0.1, tMid: 50, t14: 40, u1: 0.1, u2: 0.1 };
    const rel = Array.from({ length: 100 }, (_, i) => transitFlux(i, tp));
    const g = gaussian(4);
    const flux = rel.map((r) => 2.5 * r * (1 + 1e-3 * g()));
    const c = compareWhiteLight(flux, rel, 0.0105);
    expect(c.nIn).toBeGreaterThan(20);
    expect(c.sigma).toBeGreaterThan(1e-4);
    expect(Math.abs(c.measured - c.injected)).toBeLessThan(3 * c.sigma);
  });
});
