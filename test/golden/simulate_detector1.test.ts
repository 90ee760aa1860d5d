/**
 * End to end: `webbdesk simulate miri-ramp` (a MIRI SUB64 uncal with known
 * slopes, noise, jumps and a reference set installed under its own local
 * CRDS context) -> `webbdesk strun calwebb_detector1` selecting every
 * reference THROUGH CRDS -> `webbdesk info --json` on rate and rateints
 * (model, shape, crds:// reference names, context, cal_step) and the slopes
 * against the simulation truth: (rate - truth) / ERR has median ~0 and a
 * robust spread ~1 (the ERR the pipeline reports is the real scatter).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../core/fits/index.node.ts';
import { cleanup, emptyDir, errorLines, runCli } from './harness.ts';

afterAll(cleanup);

const ROOT = 'jw09999001001_03101_00001_mirimage';

async function image(file: string, ext: string): Promise<Float32Array | Uint32Array> {
  const f = await FitsFile.open(file);
  try {
    return (await f.readImage(f.hdus.find((h) => h.extname === ext)!.index)).data as Float32Array | Uint32Array;
  } finally {
    await f.close();
  }
}

/** z = (rate - truth) / err over unflagged finite pixels: median, robust sigma (16-84%), count. */
function zStats(sci: ArrayLike<number>, err: ArrayLike<number>, dq: ArrayLike<number>, truth: ArrayLike<number>, offset = 0): { median: number; sigma: number; n: number } {
  const z: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const s = sci[offset + i]!;
    if (!Number.isFinite(s) || (dq[offset + i]! & 1) !== 0) continue;
    z.push((s - truth[i]!) / err[offset + i]!);
  }
  z.sort((a, b) => a - b);
  const q = (p: number): number => z[Math.floor(p * (z.length - 1))]!;
  return { median: q(0.5), sigma: (q(0.8413) - q(0.1587)) / 2, n: z.length };
}

interface InfoFile { model: string; error: unknown; meta: { ref_file: Record<string, { name?: string; context_used?: string }>; cal_step: Record<string, string> }; hdus: { extname?: string; shape?: number[] }[] }

describe('end to end: simulate miri-ramp -> strun calwebb_detector1 through CRDS -> info', () => {
  it('recovers the simulated slopes within the reported errors', async () => {
    const d = await emptyDir();
    const sim = await runCli(d, ['simulate', 'miri-ramp', '--out', d, '--subarray', 'SUB64', '--nints', '2', '--ngroups', '10', '--seed', '7']);
    expect(sim.code, sim.stderr).toBe(0);
    const truth = JSON.parse(await readFile(path.join(d, 'truth.json'), 'utf8')) as { crds: { path: string; context: string } };
    const env = { CRDS_MODE: 'local', CRDS_PATH: truth.crds.path, CRDS_CONTEXT: truth.crds.context, CRDS_SERVER_URL: 'https://crds.invalid' };
    const run = await runCli(d, ['strun', 'calwebb_detector1', `${ROOT}_uncal.fits`], env);
    expect(run.code, errorLines(run)).toBe(0);

    const info = await runCli(d, ['info', '--json', `${ROOT}_rate.fits`, `${ROOT}_rateints.fits`]);
    expect(info.code).toBe(0);
    const [rate, ints] = (JSON.parse(info.stdout) as { files: InfoFile[] }).files;
    expect([rate!.model, ints!.model]).toEqual(['ImageModel', 'CubeModel']);
    expect(rate!.hdus.find((h) => h.extname === 'SCI')?.shape).toEqual([64, 72]);
    expect(ints!.hdus.find((h) => h.extname === 'SCI')?.shape).toEqual([2, 64, 72]);
    for (const f of [rate!, ints!]) {
      expect(f.meta.ref_file.crds?.context_used).toBe(truth.crds.context);
      // Every reference came from the simulator's context (crds://...), none from an override.
      for (const rt of ['mask', 'saturation', 'ipc', 'reset', 'linearity', 'rscd', 'dark', 'gain', 'readnoise']) {
        expect(f.meta.ref_file[rt]?.name, rt).toMatch(/^crds:\/\/jwst_miri_.*_wd\d{4}\.fits$/);
      }
      expect(f.meta.cal_step).toMatchObject({ dq_init: 'COMPLETE', linearity: 'COMPLETE', dark_sub: 'COMPLETE', jump: 'COMPLETE', ramp_fit: 'COMPLETE' });
    }

    const slope = await image(path.join(d, 'truth.fits'), 'TRUE_SLOPE');
    const r = (ext: string) => image(path.join(d, `${ROOT}_rate.fits`), ext);
    const z = zStats(await r('SCI'), await r('ERR'), await r('DQ'), slope);
    console.log(`e2e rate: (rate - truth)/ERR median ${z.median.toFixed(3)}, robust sigma ${z.sigma.toFixed(3)} over ${z.n}/${slope.length} pixels`);
    expect(z.n).toBeGreaterThan(0.9 * slope.length);
    expect(Math.abs(z.median)).toBeLessThan(0.1);
    expect(z.sigma).toBeGreaterThan(0.9);
    expect(z.sigma).toBeLessThan(1.1);
    const ri = (ext: string) => image(path.join(d, `${ROOT}_rateints.fits`), ext);
    const [s, e, q] = [await ri('SCI'), await ri('ERR'), await ri('DQ')];
    for (let i = 0; i < 2; i++) {
      const zi = zStats(s, e, q, slope, i * slope.length);
      console.log(`e2e rateints[${i}]: median ${zi.median.toFixed(3)}, robust sigma ${zi.sigma.toFixed(3)} over ${zi.n}`);
      expect(Math.abs(zi.median)).toBeLessThan(0.1);
      expect(zi.sigma).toBeGreaterThan(0.85);
      expect(zi.sigma).toBeLessThan(1.15);
    }
  });
});
