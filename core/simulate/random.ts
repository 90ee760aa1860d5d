/** The simulator's seeded random source (uniform and normal deviates, core/random). */
import { gaussian, mulberry32 } from '../random/index.ts';
import type { RampRandom } from './ramp.ts';

export function rampRandom(seed: number): RampRandom {
  const uniform = mulberry32(seed ^ 0x0a11ce01);
  const normal = gaussian(seed ^ 0x0b0b0b01);
  return { uniform, normal };
}
