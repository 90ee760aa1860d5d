/**
 * Slope maps (linear DN/s) for `simulate miri-ramp`: a sky background with a
 * gentle gradient plus Gaussian point sources with log-uniform peaks, one of
 * which is bright enough to saturate in long ramps. Reference columns get no
 * light.
 */
import { mulberry32 } from '../random/index.ts';
import type { DetectorModel } from './detector.ts';
import { isReferenceColumn } from './subarrays.ts';

export interface RampSceneOptions {
  /** Background at the bottom row, DN/s (default 8). */
  readonly background?: number;
  /** Number of point sources (default: one per 4000 pixels, at least 3). */
  readonly sources?: number;
  /** Brightest source peak, DN/s (default 4000). */
  readonly peak?: number;
}

export function rampScene(det: DetectorModel, seed: number, opts: RampSceneOptions = {}): Float32Array {
  const { ny, nx } = det;
  const u = mulberry32(seed ^ 0x5ce7e001);
  const out = new Float32Array(ny * nx);
  const bkg = opts.background ?? 8;
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) out[y * nx + x] = bkg * (1 + (0.5 * y) / ny);
  const nsrc = opts.sources ?? Math.max(3, Math.round((ny * nx) / 4000));
  const peak = opts.peak ?? 4000;
  for (let s = 0; s < nsrc; s++) {
    const cx = 6 + u() * (nx - 10), cy = 2 + u() * (ny - 4);
    const amp = s === 0 ? peak : peak * Math.exp(-u() * Math.log(200));
    const sig = 1.2 + 0.6 * u();
    const r = Math.ceil(4 * sig);
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(ny - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(nx - 1, Math.ceil(cx + r)); x++) {
        out[y * nx + x] += amp * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sig * sig));
      }
    }
  }
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (isReferenceColumn(det.sub, x)) out[y * nx + x] = 0;
  return out;
}
