/**
 * The simulator's seeded random source: mulberry32 uniforms (core/random)
 * and normal deviates by the Box-Muller transform using both outputs of each
 * pair (half the cost of core/random's gaussian, which keeps only one).
 */
import { mulberry32 } from '../random/index.ts';
import type { RampRandom } from './ramp.ts';

export function rampRandom(seed: number): RampRandom {
  const uniform = mulberry32(seed ^ 0x0a11ce01);
  const u2 = mulberry32(seed ^ 0x0b0b0b01);
  let spare = 0, haveSpare = false;
  const normal = (): number => {
    if (haveSpare) {
      haveSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(u2() + 1e-300)), a = 2 * Math.PI * u2();
    spare = r * Math.sin(a);
    haveSpare = true;
    return r * Math.cos(a);
  };
  return { uniform, normal };
}
