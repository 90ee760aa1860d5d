import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContext } from '../../core/crds/context.node.ts';
import { referencePath, resolveConfig } from '../../core/crds/config.node.ts';
import { bestrefs, parkeysFromFitsHeader } from '../../core/crds/index.ts';
import { DataModel } from '../../core/datamodels/model.node.ts';
import { FitsFile } from '../../core/fits/index.node.ts';
import type { NDArray } from '../../core/ndarray/index.ts';
import { simulateMiriRamp, type SimulationResult } from '../../core/simulate/miri-ramp.node.ts';
import { meanStd, olsSlope, olsSlopeVariance } from './helpers.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'wd-sim-ramp-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function readExt(file: string, extname: string): Promise<NDArray> {
  const f = await FitsFile.open(file);
  try {
    const h = f.hdus.find((x) => x.extname === extname)!;
    return await f.readImage(h.index);
  } finally {
    await f.close();
  }
}

const NG = 20;

describe('simulate miri-ramp: ideal detector (effects off)', () => {
  let sim: SimulationResult;
  beforeAll(async () => {
    sim = await simulateMiriRamp({ out: path.join(dir, 'ideal'), subarray: 'SUB64', nints: 2, ngroups: NG, seed: 7, jumps: 0,
      detector: { nonlinearity: false, ipc: false, reset: false, dark: false, badPixels: 0 } });
  });

  it('slopes fitted by least squares equal the truth within the expected noise', async () => {
    const sci = await readExt(sim.uncal, 'SCI');
    const truth = (await readExt(sim.truthFits, 'TRUE_SLOPE')).data as Float32Array;
    const rn = (await readExt(sim.references.find((p) => p.includes('readnoise'))!, 'SCI')).data as Float32Array;
    const gain = (await readExt(sim.references.find((p) => p.includes('_gain_'))!, 'SCI')).data as Float32Array;
    const [nints, ngroups, ny, nx] = sci.shape as [number, number, number, number];
    const n = ny * nx, tg = 0.08512;
    const z: number[] = [];
    const ramp = new Float64Array(ngroups);
    for (let i = 0; i < nints; i++) {
      for (let p = 0; p < n; p++) {
        if (p % nx < 4 || truth[p]! > 1500) continue; // reference columns; bright pixels saturate
        for (let g = 0; g < ngroups; g++) ramp[g] = sci.data[(i * ngroups + g) * n + p] as number;
        // per-read noise R/sqrt2 plus the 1/12 DN^2 of rounding to integers
        const sigma = Math.sqrt(olsSlopeVariance(ngroups, tg, Math.sqrt(rn[p]! ** 2 / 2 + 1 / 12), truth[p]!, gain[p]!));
        z.push((olsSlope(ramp, tg) - truth[p]!) / sigma);
      }
    }
    const { mean, std } = meanStd(z);
    console.log(`miri-ramp: ${z.length} ramps, (fit - truth)/sigma mean ${mean.toFixed(3)} std ${std.toFixed(3)}`);
    expect(z.length).toBeGreaterThan(7000);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(std).toBeGreaterThan(0.9);
    expect(std).toBeLessThan(1.1);
  });

  it('differences of consecutive reads have the CDS read noise of the READNOISE reference', async () => {
    const sci = await readExt(sim.uncal, 'SCI');
    const rn = (await readExt(sim.references.find((p) => p.includes('readnoise'))!, 'SCI')).data as Float32Array;
    const [nints, ngroups, ny, nx] = sci.shape as [number, number, number, number];
    const n = ny * nx;
    const ratios: number[] = [];
    for (let i = 0; i < nints; i++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < 4; x++) { // reference columns: no light, no dark here
          const p = y * nx + x;
          for (let g = 1; g < ngroups; g++) {
            const d = (sci.data[(i * ngroups + g) * n + p] as number) - (sci.data[(i * ngroups + g - 1) * n + p] as number);
            ratios.push(d / rn[p]!);
          }
        }
      }
    }
    const { mean, std } = meanStd(ratios);
    console.log(`miri-ramp: ${ratios.length} read differences, diff/READNOISE std ${std.toFixed(3)} (CDS convention: 1; per-read noise R/sqrt2)`);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(std).toBeGreaterThan(0.95);
    expect(std).toBeLessThan(1.05);
  });
});

describe('simulate miri-ramp: full detector and CRDS', () => {
  let sim: SimulationResult;
  beforeAll(async () => {
    sim = await simulateMiriRamp({ out: path.join(dir, 'full'), subarray: 'SUB64', nints: 2, ngroups: NG, seed: 11, jumps: 3e-3 });
  });

  it('carries the Level1b keywords and opens as a RampModel', async () => {
    const m = await DataModel.open(sim.uncal);
    try {
      expect(m.type).toBe('RampModel');
      const meta = m.meta as Record<string, Record<string, unknown>>;
      expect(meta.instrument).toMatchObject({ name: 'MIRI', detector: 'MIRIMAGE' });
      expect(meta.exposure).toMatchObject({ nints: 2, ngroups: NG, readpatt: 'FASTR1', nframes: 1, groupgap: 0 });
      expect(meta.subarray).toMatchObject({ name: 'SUB64', xstart: 1, ystart: 779, xsize: 72, ysize: 64 });
      const e = meta.exposure as Record<string, number>;
      expect(e.group_time).toBeCloseTo(0.08512, 6);
      expect(e.integration_time).toBeCloseTo((NG - 1) * 0.08512, 6);
      const sci = await m.array('data');
      expect(sci?.dtype).toBe('uint16');
      expect(sci?.shape).toEqual([2, NG, 64, 72]);
    } finally {
      await m.close();
    }
  });

  it('records the injected jumps, each visible as a step in its ramp', async () => {
    const sci = await readExt(sim.uncal, 'SCI');
    const [, ngroups, ny, nx] = sci.shape as [number, number, number, number];
    const n = ny * nx;
    expect(sim.jumps.length).toBeGreaterThan(3);
    let seen = 0;
    for (const j of sim.jumps) {
      const at = (g: number) => sci.data[(j.integration * ngroups + g) * n + j.y * nx + j.x] as number;
      const step = at(j.group) - at(j.group - 1);
      if (at(j.group) < 55000 && step > 0.6 * j.amplitude_dn) seen++;
    }
    expect(seen).toBeGreaterThanOrEqual(sim.jumps.length - 1);
  });

  it('the reference files undo the simulation: reset, linearity and dark from the references give the true slopes', async () => {
    const sci = await readExt(sim.uncal, 'SCI');
    const ref = (t: string) => sim.references.find((p) => p.includes(`_${t}_`))!;
    const reset = (await readExt(ref('reset'), 'SCI')).data as Float32Array;
    const coeffs = (await readExt(ref('linearity'), 'COEFFS')).data as Float32Array;
    const dark = (await readExt(ref('dark'), 'SCI')).data as Float32Array;
    const truth = (await readExt(sim.truthFits, 'TRUE_SLOPE')).data as Float32Array;
    const [nints, ngroups, ny, nx] = sci.shape as [number, number, number, number];
    const n = ny * nx, tg = 0.08512;
    const jumped = new Set(sim.jumps.map((j) => j.y * nx + j.x));
    const rel: number[] = [];
    const ramp = new Float64Array(ngroups);
    for (let i = 0; i < nints; i++) {
      const c = i === 0 ? 0 : 1;
      for (let p = 0; p < n; p++) {
        if (p % nx < 4 || jumped.has(p) || truth[p]! < 200 || truth[p]! > 1500) continue;
        for (let g = 0; g < ngroups; g++) {
          let v = sci.data[(i * ngroups + g) * n + p] as number;
          if (g < 6) v -= reset[(c * 6 + g) * n + p]!;
          v = coeffs[p]! + coeffs[n + p]! * v + coeffs[2 * n + p]! * v * v + coeffs[3 * n + p]! * v * v * v;
          ramp[g] = v - dark[(c * ngroups + g) * n + p]!;
        }
        rel.push(olsSlope(ramp, tg, 6) / truth[p]! - 1);
      }
    }
    const { mean, std } = meanStd(rel);
    console.log(`miri-ramp: ${rel.length} bright ramps corrected with the references: slope/truth - 1 mean ${mean.toExponential(2)} std ${std.toExponential(2)}`);
    expect(rel.length).toBeGreaterThan(20);
    expect(Math.abs(mean)).toBeLessThan(0.01); // IPC (4% to neighbours) is not undone here
  });

  it('bestrefs on the uncal selects every simulated reference through the local context', async () => {
    const f = await FitsFile.open(sim.uncal);
    const h = f.hdus[0]!.header;
    await f.close();
    const cfg = resolveConfig({ CRDS_PATH: sim.crdsPath, CRDS_MODE: 'local' });
    const ctx = loadContext(sim.context, cfg);
    const types = ['mask', 'saturation', 'readnoise', 'gain', 'linearity', 'dark', 'reset', 'rscd', 'ipc'];
    const r = bestrefs(ctx, parkeysFromFitsHeader((k) => h.get(k) ?? undefined), { reftypes: [...types, 'superbias', 'refpix', 'emicorr'] });
    for (const t of types) {
      const a = r.answers[t]!;
      expect(a.kind, t).toBe('file');
      expect(referencePath(cfg, a.value), t).toBe(sim.references.find((p) => path.basename(p) === a.value));
    }
    for (const t of ['superbias', 'refpix', 'emicorr']) expect(r.answers[t]?.kind, t).toBe('n/a');
  });
});
