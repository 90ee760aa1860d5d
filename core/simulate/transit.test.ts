import { describe, expect, it } from 'vitest';
import { centralDepth, gaussLegendre, intensity, occultedFlux, separation, transitFlux, uniformFlux } from './transit.ts';

/**
 * Independent check: integrate the limb-darkened intensity over the planet's
 * disk in polar coordinates centred on the planet (rho, psi), keeping only the
 * part on the star (r < 1), with Gauss-Legendre in rho and in psi over the
 * on-star arc (found analytically per rho).
 */
function bruteForce(z: number, p: number, u1: number, u2: number): number {
  const nr = 400, np = 400;
  const gr = gaussLegendre(nr), gp = gaussLegendre(np);
  let lost = 0;
  for (let i = 0; i < nr; i++) {
    // rho = p * s, s in [0, 1]
    const s = (gr.x[i]! + 1) / 2;
    const rho = p * s;
    const wr = (gr.w[i]! / 2) * p;
    // r^2 = z^2 + rho^2 + 2 z rho cos(psi) < 1  <=>  cos(psi) < c
    const c = z * rho > 0 ? (1 - z * z - rho * rho) / (2 * z * rho) : (rho < 1 ? 2 : -2);
    if (c <= -1) continue;
    const psiMax = c >= 1 ? Math.PI : Math.acos(c); // arc |psi - pi| <= pi - ... : on-star where cos(psi) < c, i.e. psi in [psiMax, 2pi - psiMax]
    const a = c >= 1 ? 0 : psiMax, b = c >= 1 ? 2 * Math.PI : 2 * Math.PI - psiMax;
    let sp = 0;
    for (let j = 0; j < np; j++) {
      // substitution to soften the sqrt edge of mu at the limb
      const t = (Math.PI / 2) * (gp.x[j]! + 1);
      const psi = (a + b) / 2 - ((b - a) / 2) * Math.cos(t);
      const jac = ((b - a) / 2) * Math.sin(t) * (Math.PI / 2);
      const r = Math.sqrt(z * z + rho * rho + 2 * z * rho * Math.cos(psi));
      sp += gp.w[j]! * jac * intensity(Math.min(r, 1), u1, u2);
    }
    lost += wr * rho * sp;
  }
  return 1 - lost / (Math.PI * (1 - u1 / 3 - u2 / 6));
}

describe('limb-darkened transit', () => {
  it('reduces to the uniform-source closed form (Mandel & Agol eq. 1)', () => {
    for (const p of [0.05, 0.1, 0.2]) {
      for (const z of [0, 0.3, 0.85, 0.95, 1.0, 1.05, 1.1, 1.19]) {
        expect(Math.abs(occultedFlux(z, p, 0, 0) - uniformFlux(z, p))).toBeLessThan(1e-10);
      }
    }
  });

  it('matches a two-dimensional integration of the limb-darkened disk to 1e-5', () => {
    let worst = 0;
    for (const [u1, u2] of [[0.1, 0.2], [0.4, 0.25], [0.0, 0.5]] as const) {
      for (const p of [0.05, 0.1, 0.15]) {
        for (const z of [0, 0.2, 0.5, 0.8, 0.9, 0.97, 1.0, 1.04, 1.1]) {
          const d = Math.abs(occultedFlux(z, p, u1, u2) - bruteForce(z, p, u1, u2));
          worst = Math.max(worst, d);
        }
      }
    }
    console.log(`transit: worst |analytic - 2D| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });

  it('converges: 96 and 400 nodes agree to 1e-9', () => {
    for (const z of [0.1, 0.91, 1.05]) expect(Math.abs(occultedFlux(z, 0.1, 0.3, 0.2) - occultedFlux(z, 0.1, 0.3, 0.2, 400))).toBeLessThan(1e-9);
  });

  it('central depth exceeds (Rp/Rs)^2 for limb-darkened stars by the intensity ratio I(0)/<I>', () => {
    const tp = { rpRs: 0.1, tMid: 0, t14: 0.1, u1: 0.2, u2: 0.1 };
    // small-planet limit: depth ~ p^2 I(0) / (1 - u1/3 - u2/6)
    expect(centralDepth(tp)).toBeCloseTo(0.01 / (1 - 0.2 / 3 - 0.1 / 6), 4);
    expect(transitFlux(0.06, tp)).toBe(1);
    expect(separation(0.05, tp)).toBeCloseTo(1.1, 12); // first/fourth contact at t_mid +- t14/2
  });
});
