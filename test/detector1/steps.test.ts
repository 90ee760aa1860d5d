/** Step declarations (jwst 3.0 parameters as the golden pipeline.log lists them) and skip / not-implemented paths. */
import { describe, it, expect } from 'vitest';
import { ndarray } from '../../core/ndarray/index.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';
import { getMeta } from '../../core/datamodels/meta.ts';
import { runStep } from './context.ts';
import { step as emicorr } from '../../core/steps/emicorr/index.node.ts';
import { step as refpix } from '../../core/steps/refpix/index.node.ts';
import { step as saturation } from '../../core/steps/saturation/index.node.ts';
import { step as dark } from '../../core/steps/dark_current/index.node.ts';
import { step as firstframe } from '../../core/steps/firstframe/index.node.ts';
import { step as dqInit } from '../../core/steps/dq_init/index.node.ts';

function miri(nx = 72, ny = 416, readpatt = 'FASTR1'): JwstModel {
  return {
    type: 'RampModel',
    meta: { instrument: { name: 'MIRI', detector: 'MIRIMAGE' }, exposure: { readpatt, nframes: 1, groupgap: 0 }, subarray: { xstart: 1, ystart: 1, xsize: nx, ysize: ny } },
    arrays: { data: ndarray(new Float32Array(2 * 4 * ny * nx).fill(100), [2, 4, ny, nx]) },
    tables: {}, extras: [],
  };
}

describe('detector1 step declarations', () => {
  it('declare the jwst 3.0 parameters, defaults and reference types', () => {
    expect(Object.keys(emicorr.spec)).toEqual(['algorithm', 'nints_to_phase', 'nbins', 'scale_reference', 'onthefly_corr_freq', 'use_n_cycles', 'fit_ints_separately', 'user_supplied_reffile', 'save_intermediate_results']);
    expect(emicorr.skipByDefault).toBe(true);
    expect(Object.keys(refpix.spec)).toEqual(['odd_even_columns', 'use_side_ref_pixels', 'side_smoothing_length', 'side_gain', 'odd_even_rows', 'ovr_corr_mitigation_ftr', 'preserve_irs2_refpix', 'irs2_mean_subtraction', 'refpix_algorithm', 'sigreject', 'gaussmooth', 'halfwidth', 'siglimit']);
    expect(saturation.referenceTypes).toEqual(['saturation', 'superbias']);
    expect([saturation.spec['n_pix_grow_sat'].default, saturation.spec['use_readpatt'].default]).toEqual([1, true]);
    expect(firstframe.spec['bright_use_group1'].default).toBe(true);
    expect(Object.keys(dark.spec)).toEqual(['dark_output', 'average_dark_current']);
    expect(Object.keys(dqInit.spec)).toEqual(['user_supplied_dq']);
  });
});

describe('skip and not-implemented paths', () => {
  it('emicorr skips without a reference and names a missing reference file', async () => {
    const m = miri(8, 4);
    const out = await runStep(emicorr, m, { emicorr: 'N/A' });
    expect(getMeta(out.meta, 'cal_step.emicorr')).toBe('SKIPPED');
    await expect(runStep(emicorr, m, { emicorr: '/x/emi.asdf' })).rejects.toThrow(/emi\.asdf/);
  });

  it('refpix skips MIRI subarrays and refuses MIRI full frame', async () => {
    const out = await runStep(refpix, miri(8, 4), {});
    expect(getMeta(out.meta, 'cal_step.refpix')).toBe('SKIPPED');
    const full = miri(1032, 1024);
    full.arrays['data'] = ndarray(new Float32Array(1), [1, 1, 1, 1]);
    expect(refpix.supports?.(full)).toMatch(/MIRI full-frame.*not implemented/);
  });

  it('steps with an N/A reference return the input unchanged, marked SKIPPED', async () => {
    const m = miri(8, 4);
    const out = await runStep(dark, m, { dark: 'N/A' });
    expect(getMeta(out.meta, 'cal_step.dark_sub')).toBe('SKIPPED');
    expect(out.arrays['data']).toBe(m.arrays['data']);
    expect(getMeta(m.meta, 'cal_step.dark_sub')).toBeUndefined();
  });
});
