import { describe, expect, it } from 'vitest';
import { DQ } from '../../core/datamodels/dq.ts';
import { ndarray } from '../../core/ndarray/index.ts';
import { sigmaClipKeep } from '../../core/steps/background/combine.ts';
import { step as bkg } from '../../core/steps/background/index.node.ts';
import { step as pixrep } from '../../core/steps/pixel_replace/index.node.ts';
import { step as resample } from '../../core/steps/resample_spec/index.node.ts';
import type { JwstModel } from '../../core/stpipe/index.ts';
import { makeCtx } from './helpers.ts';

function img(fill: (i: number) => number, dqAt: Record<number, number> = {}, ny = 4, nx = 5): JwstModel {
  const n = ny * nx;
  const dq = new Uint32Array(n);
  for (const [k, v] of Object.entries(dqAt)) dq[Number(k)] = v;
  return {
    type: 'ImageModel', meta: { exposure: { type: 'MIR_LRS-FIXEDSLIT' }, wcsinfo: { dispersion_direction: 2 } }, tables: {}, extras: [],
    arrays: { data: ndarray(Float32Array.from({ length: n }, (_, i) => fill(i)), [ny, nx]), dq: ndarray(dq, [ny, nx]), err: ndarray(new Float32Array(n).fill(1), [ny, nx]) },
  };
}

describe('bkg_subtract (image from image)', () => {
  it('subtracts the sigma-clipped mean of the background members and ORs their DQ', async () => {
    const sci = img((i) => 10 + i);
    const b = [img(() => 2), img(() => 4), img(() => 3, { 7: DQ.JUMP_DET }), img((i) => (i === 3 ? 1000 : 3))];
    const out = (await bkg.run([sci, ...b], makeCtx(bkg.spec, { sigma: 1.5 }))) as JwstModel;
    const d = out.arrays.data.data as Float32Array;
    expect(d[0]).toBeCloseTo(10 - 3, 5);
    // pixel 3: 1000 is clipped, the mean of 2, 4, 3 remains
    expect(d[3]).toBeCloseTo(13 - 3, 5);
    expect((out.arrays.dq.data as Uint32Array)[7]).toBe(DQ.JUMP_DET);
    expect((sci.arrays.data.data as Float32Array)[0]).toBe(10);
  });
  it('sigma clipping keeps a tight cluster and drops a far value', () => {
    expect(sigmaClipKeep([1, 1.1, 0.9, 1.05, 50], 2, null)).toEqual([true, true, true, true, false]);
  });
  it('skips with a warning when there are no background members', async () => {
    const ctx = makeCtx(bkg.spec);
    const sci = img(() => 1);
    expect(await bkg.run(sci, ctx)).toBe(sci);
    expect(ctx.logs.some((l) => l.includes('No background list'))).toBe(true);
  });
});

describe('pixel_replace fit_profile', () => {
  it('restores a bad pixel of a separable profile exactly and flags FLUX_ESTIMATED', async () => {
    // dispersion along y (rows); cross profile along x: [1, 3, 5, 3, 1] times a per-row amplitude
    const prof = [1, 3, 5, 3, 1];
    const m = img((i) => prof[i % 5] * (2 + Math.floor(i / 5)), { 12: DQ.DO_NOT_USE }, 6, 5);
    (m.arrays.data.data as Float32Array)[12] = NaN;
    const out = (await pixrep.run(m, makeCtx(pixrep.spec, { algorithm: 'fit_profile' }))) as JwstModel;
    expect((out.arrays.data.data as Float32Array)[12]).toBeCloseTo(5 * 4, 4);
    expect((out.arrays.dq.data as Uint32Array)[12]).toBe(DQ.FLUX_ESTIMATED);
    await expect(pixrep.run(m, makeCtx(pixrep.spec))).rejects.toThrow(/mingrad.*not implemented/);
  });
  it('resample_spec fails clearly', async () => {
    await expect(resample.run(img(() => 1), makeCtx(resample.spec))).rejects.toThrow(/not implemented/);
  });
});
