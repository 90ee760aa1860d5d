/**
 * JumpStep then RampFitStep on the ramp_fit_jump golden cases (jwst 3.0 /
 * stcal 1.19.1 outputs), with the tolerances of each case.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel } from '../../core/stpipe/index.ts';
import { step as jumpStep } from '../../core/steps/jump/index.node.ts';
import { step as rampStep } from '../../core/steps/ramp_fit/index.node.ts';
import { createPool } from '../../core/workers/pool.node.ts';
import { fakeContext } from './context.ts';

function defaults(spec: Record<string, { default: unknown }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, v.default]));
}

interface Tol { rtol: number; atol: number }
function compare(name: string, got: ArrayLike<number>, exp: ArrayLike<number>, tol: Tol | 'exact'): { bad: number; nan: number } {
  let bad = 0, nan = 0;
  for (let i = 0; i < exp.length; i++) {
    const a = got[i], b = exp[i];
    if (Number.isNaN(a) || Number.isNaN(b)) { if (Number.isNaN(a) !== Number.isNaN(b)) nan++; continue; }
    if (tol === 'exact' ? a !== b : Math.abs(a - b) > tol.atol + tol.rtol * Math.abs(b)) bad++;
  }
  if (bad || nan) console.log(`${name}: ${bad} values outside tolerance, ${nan} NaN mismatches`);
  return { bad, nan };
}

const CASES = [
  { dir: 'p01_sub64_imaging', base: 'jw09001001011_01101_00001_mirimage', gain: 'ref_gain_sub64.fits', rn: 'ref_readnoise_sub64.fits', jump: {} },
  { dir: 'p02_slitlessprism_tso', base: 'jw09001002021_01101_00001_mirimage', gain: 'ref_gain_full.fits', rn: 'ref_readnoise_slitlessprism.fits', jump: { rejection_threshold: 4.0, after_jump_flag_dn1: 1000.0, after_jump_flag_time1: 0.5, flag_4_neighbors: true } },
];

describe.skipIf(!HAVE_SHARED)('ramp_fit_jump golden cases', () => {
  for (const c of CASES) {
    it(`${c.dir}: GROUPDQ, rate and rateints within case.json tolerances`, async () => {
      const dir = sharedPath('golden', 'ramp_fit_jump', c.dir);
      const tol = JSON.parse(readFileSync(`${dir}/case.json`, 'utf8')).tolerances as Record<string, Record<string, Tol | string>>;
      const refs = { gain: `${dir}/${c.gain}`, readnoise: `${dir}/${c.rn}` };
      const input = await loadModel(`${dir}/${c.base}_ramp.fits`);
      const before = Uint8Array.from(input.arrays.groupdq.data as Uint8Array);
      const jumped = await jumpStep.run(input, fakeContext({ ...defaults(jumpStep.spec), ...c.jump }, refs));
      expect(input.arrays.groupdq.data).toEqual(before);
      const expJump = await loadModel(`${dir}/${c.base}_jumpstep.fits`);
      const g = compare('GROUPDQ', jumped.arrays.groupdq.data as Uint8Array, expJump.arrays.groupdq.data as Uint8Array, 'exact');
      expect(g.bad).toBeLessThanOrEqual(Math.floor(1e-4 * expJump.arrays.groupdq.data.length));
      expect(compare('PIXELDQ', jumped.arrays.pixeldq.data as Uint32Array, expJump.arrays.pixeldq.data as Uint32Array, 'exact').bad).toBe(0);
      const crs = Number((jumped.meta as Record<string, Record<string, unknown>>).exposure.primary_cosmic_rays);
      const expCrs = Number((expJump.meta as Record<string, Record<string, unknown>>).exposure.primary_cosmic_rays);
      expect(crs).toBeCloseTo(expCrs, 6);

      // ramp_fit runs on the golden jump output, as the case did.
      const [rate, rateints] = (await rampStep.run(expJump, fakeContext(defaults(rampStep.spec), refs))) as JwstModel[];
      for (const [k, prod] of [['0', rate], ['1', rateints]] as const) {
        const exp = await loadModel(`${dir}/${c.base}_${k}_rampfitstep.fits`);
        const t = tol[`${c.base}_${k}_rampfitstep.fits`];
        for (const [attr, ext] of [['data', 'SCI'], ['err', 'ERR'], ['var_poisson', 'VAR_POISSON'], ['var_rnoise', 'VAR_RNOISE']] as const) {
          const r = compare(`${k} ${ext}`, prod.arrays[attr].data as Float32Array, exp.arrays[attr].data as Float32Array, t[ext] as Tol);
          expect(r.bad + r.nan).toBe(0);
        }
        expect(compare(`${k} DQ`, prod.arrays.dq.data as Uint32Array, exp.arrays.dq.data as Uint32Array, 'exact').bad).toBe(0);
      }
    });
  }

  it('p01 through a 2-worker pool equals the inline run', async () => {
    const c = CASES[0];
    const dir = sharedPath('golden', 'ramp_fit_jump', c.dir);
    const refs = { gain: `${dir}/${c.gain}`, readnoise: `${dir}/${c.rn}` };
    const input = await loadModel(`${dir}/${c.base}_ramp.fits`);
    const pool = createPool({ size: 2 });
    try {
      const a = await jumpStep.run(input, fakeContext(defaults(jumpStep.spec), refs));
      const b = await jumpStep.run(input, fakeContext(defaults(jumpStep.spec), refs, pool));
      expect(b.arrays.groupdq.data).toEqual(a.arrays.groupdq.data);
      const ra = (await rampStep.run(a, fakeContext(defaults(rampStep.spec), refs))) as JwstModel[];
      const rb = (await rampStep.run(b, fakeContext(defaults(rampStep.spec), refs, pool))) as JwstModel[];
      for (let k = 0; k < 2; k++) {
        for (const attr of ['data', 'err', 'dq', 'var_poisson', 'var_rnoise']) expect(rb[k].arrays[attr].data).toEqual(ra[k].arrays[attr].data);
      }
    } finally {
      await pool.close();
    }
  });
});
