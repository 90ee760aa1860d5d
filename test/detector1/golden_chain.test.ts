/**
 * calwebb_detector1 (MIRI) steps before jump, chained on the golden uncal
 * with the case's references, compared with the jwst 3.0 calibrated ramp
 * (_ramp.fits, saved after jump): SCI within the case tolerance
 * (|a-e| <= 1e-3 + 1e-6|e|), PIXELDQ exact, GROUPDQ exact except JUMP_DET.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import { getMeta } from '../../core/datamodels/meta.ts';
import { DQ } from '../../core/datamodels/dq.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';
import { runStep } from './context.ts';
import { step as groupScale } from '../../core/steps/group_scale/index.node.ts';
import { step as dqInit } from '../../core/steps/dq_init/index.node.ts';
import { step as saturation } from '../../core/steps/saturation/index.node.ts';
import { step as ipc } from '../../core/steps/ipc/index.node.ts';
import { step as lastframe } from '../../core/steps/lastframe/index.node.ts';
import { step as reset } from '../../core/steps/reset/index.node.ts';
import { step as linearity } from '../../core/steps/linearity/index.node.ts';
import { step as rscd } from '../../core/steps/rscd/index.node.ts';
import { step as darkCurrent } from '../../core/steps/dark_current/index.node.ts';
import { step as refpix } from '../../core/steps/refpix/index.node.ts';

const CASE = 'golden/detector1_miri/p01_slitlessprism_tso';
const P = (f: string) => sharedPath(CASE, f);

export interface Agreement { maxAbs: number; maxRel: number; nBad: number; n: number }

export function compareSci(a: Float32Array, e: Float32Array, atol: number, rtol: number): Agreement {
  let maxAbs = 0, maxRel = 0, nBad = 0;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (Number.isNaN(e[i]) !== Number.isNaN(a[i])) { nBad++; continue; }
    if (Number.isNaN(e[i])) continue;
    maxAbs = Math.max(maxAbs, d);
    if (e[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(e[i]));
    if (d > atol + rtol * Math.abs(e[i])) nBad++;
  }
  return { maxAbs, maxRel, nBad, n: e.length };
}

describe.skipIf(!HAVE_SHARED)('detector1 MIRI chain vs jwst 3.0 _ramp.fits', () => {
  it('reproduces SCI, PIXELDQ and GROUPDQ (except JUMP_DET)', async () => {
    const tol = JSON.parse(readFileSync(P('case.json'), 'utf8')).tolerances['jw09002001011_03102_00001_mirimage_ramp.fits'].SCI;
    const uncal = await loadModel(P('jw09002001011_03102_00001_mirimage_uncal.fits'));
    const expected = await loadModel(P('jw09002001011_03102_00001_mirimage_ramp.fits'));
    const refs = {
      mask: P('ref_mask_slitlessprism.fits'), saturation: P('ref_saturation_slitlessprism.fits'), superbias: 'N/A',
      ipc: P('ref_ipc.fits'), reset: P('ref_reset_slitlessprism.fits'), linearity: P('ref_linearity_slitlessprism.fits'),
      rscd: P('ref_rscd.fits'), dark: P('ref_dark_slitlessprism.fits'), refpix: 'N/A', sirskernel: 'N/A',
    };
    const uncalCopy = new Uint16Array(uncal.arrays['data'].data as Uint16Array);
    let m: JwstModel = uncal;
    // MIRI order; emicorr and firstframe are skipped by default in this case.
    for (const s of [groupScale, dqInit, saturation, ipc, lastframe, reset, linearity, rscd, darkCurrent, refpix]) {
      m = await runStep(s, m, refs);
    }
    // Inputs stay intact.
    expect(Buffer.compare(Buffer.from(uncalCopy.buffer), Buffer.from((uncal.arrays['data'].data as Uint16Array).buffer))).toBe(0);
    expect(getMeta(m.meta, 'cal_step.group_scale')).toBe('SKIPPED');
    expect(getMeta(m.meta, 'cal_step.refpix')).toBe('SKIPPED');
    expect(getMeta(m.meta, 'rscd.ngroups_skip_int1')).toBe(1);
    expect(getMeta(m.meta, 'rscd.ngroups_skip_int2p')).toBe(3);

    const sci = compareSci(m.arrays['data'].data as Float32Array, expected.arrays['data'].data as Float32Array, tol.atol, tol.rtol);
    console.log(`SCI agreement: max|diff| ${sci.maxAbs.toExponential(3)} DN, max rel ${sci.maxRel.toExponential(3)}, outside tolerance ${sci.nBad}/${sci.n}`);
    expect(sci.nBad).toBe(0);

    const pa = m.arrays['pixeldq'].data as Uint32Array, pe = expected.arrays['pixeldq'].data as Uint32Array;
    let pdiff = 0;
    for (let i = 0; i < pe.length; i++) if (pa[i] !== pe[i]) pdiff++;
    expect(pdiff).toBe(0);

    const ga = m.arrays['groupdq'].data as Uint8Array, ge = expected.arrays['groupdq'].data as Uint8Array;
    let gdiff = 0;
    for (let i = 0; i < ge.length; i++) if ((ga[i] & ~DQ.JUMP_DET) !== (ge[i] & ~DQ.JUMP_DET)) gdiff++;
    console.log(`PIXELDQ differences ${pdiff}/${pe.length}; GROUPDQ differences (JUMP_DET masked) ${gdiff}/${ge.length}`);
    expect(gdiff).toBe(0);

    const av = m.arrays['average_dark_current'].data as Float32Array;
    const ave = expected.arrays['average_dark_current']?.data as Float32Array | undefined;
    expect(av[0]).toBeCloseTo(0.45, 6);
    if (ave) expect(Math.max(...Array.from(av, (v, i) => Math.abs(v - ave[i])))).toBe(0);
  }, 30000);
});
