import { describe, expect, it } from 'vitest';
import { step } from '../../core/steps/extract_1d/index.node.ts';
import { loadModel } from '../../core/stpipe/model-io.node.ts';
import type { JwstModel } from '../../core/stpipe/index.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { colData, GOLDEN_LRS, makeCtx, worstRatio } from './helpers.ts';

const G = (f: string): string => sharedPath(GOLDEN_LRS, f);
const TOL: Record<string, [number, number]> = {
  WAVELENGTH: [1e-6, 0], FLUX: [1e-4, 1e-9], SURF_BRIGHT: [1e-4, 1e-9], BACKGROUND: [1e-4, 1e-9],
  FLUX_ERROR: [1e-4, 1e-12], FLUX_VAR_POISSON: [1e-4, 1e-12], FLUX_VAR_RNOISE: [1e-4, 1e-12], FLUX_VAR_FLAT: [1e-4, 1e-12],
  SB_ERROR: [1e-4, 1e-12], SB_VAR_POISSON: [1e-4, 1e-12], SB_VAR_RNOISE: [1e-4, 1e-12], SB_VAR_FLAT: [1e-4, 1e-12],
  BKGD_ERROR: [1e-4, 1e-12], BKGD_VAR_POISSON: [1e-4, 1e-12], BKGD_VAR_RNOISE: [1e-4, 1e-12], BKGD_VAR_FLAT: [1e-4, 1e-12],
  DQ: [0, 0], NPIXELS: [0, 0], INT_NUM: [0, 0], N_ALONGDISP: [0, 0], SEGMENT: [0, 0],
  'MJD-BEG': [0, 0], 'MJD-AVG': [0, 0], 'MJD-END': [0, 0], 'TDB-BEG': [0, 0], 'TDB-MID': [0, 0], 'TDB-END': [0, 0],
};

export async function compareX1dints(inputFile: string, goldenFile: string): Promise<Record<string, number>> {
  const input = await loadModel(G(inputFile));
  const golden = await loadModel(G(goldenFile));
  const ctx = makeCtx(step.spec, {}, { extract1d: G('ref_extract1d_lrs.json') });
  const out = (await step.run(input, ctx)) as JwstModel;
  expect(out.type).toBe('TSOMultiSpecModel');
  const got = out.parts?.[0].table;
  const exp = golden.parts?.[0].table;
  if (!got || !exp) throw new Error('missing EXTRACT1D table');
  expect(got.columns.map((c) => c.name)).toEqual(exp.columns.map((c) => c.name));
  expect(got.columns.map((c) => [c.tform, c.unit ?? null])).toEqual(exp.columns.map((c) => [c.tform, c.unit ?? null]));
  const ratios: Record<string, number> = {};
  for (const [name, [rtol, atol]] of Object.entries(TOL)) ratios[name] = worstRatio(colData(got, name), colData(exp, name), rtol, atol);
  const pm = out.parts?.[0].meta ?? {};
  expect([pm.extraction_xstart, pm.extraction_xstop, pm.extraction_ystart, pm.extraction_ystop]).toEqual([34, 43, 11, 396]);
  expect(Object.keys(out.tables)).toEqual(['int_times']);
  return ratios;
}

describe.skipIf(!HAVE_SHARED)('extract_1d vs jwst 3.0 golden (MIRI LRS slitless TSO)', () => {
  it('calints -> seg001 x1dints within the case tolerances', async () => {
    const r = await compareX1dints('jw09003003011_04101_00001-seg001_mirimage_calints.fits', 'jw09003003011_04101_00001-seg001_mirimage_x1dints.fits');
    console.log('extract_1d calints worst |d|/(atol+rtol|e|):', JSON.stringify(r));
    for (const v of Object.values(r)) expect(v).toBeLessThanOrEqual(1);
  });
});
