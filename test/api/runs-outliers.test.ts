/**
 * Outlier marks honoured by later runs: mark integrations 2 and 5 of the
 * golden lrs_spec2_tso3 p01 calints, run calwebb_tso3 through the API (real
 * runner, worker thread); the white-light curve lacks exactly those rows and
 * the other six equal jwst 3.0's whtlt (rtol 1e-5); the run's provenance
 * records the marks and the rows removed.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../core/api/engine.node.ts';
import { FitsFile } from '../../core/fits/index.node.ts';
import { dropWhiteLightRows, isWhiteLight, sameExposure } from '../../core/api/runs-outliers.node.ts';
import { parseJwstName } from '../../core/api/naming.ts';
import { WebbDeskService } from '../../core/api/service.node.ts';
import { createClient, inMemoryTransport } from '../../core/api/transport.ts';
import type { ApiClient, RunRecord } from '../../core/api/types.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { caseWorkDir, ecsvColumns, tso3Params } from './runs-case.ts';

const CASE = sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit');
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';
const CALINTS = 'jw09003003011_04101_00001-seg001_mirimage_calints.fits';
const WHTLT = `${PRODUCT}_whtlt.ecsv`;

describe('white-light row removal (pure text)', () => {
  const ecsv = ['# %ECSV 1.0', '# ---', '# datatype:', '# - {name: MJD_UTC, datatype: float64}', '# - {name: whitelight_flux, datatype: float64}', '# schema: astropy-2.0', 'MJD_UTC whitelight_flux', ...[1, 2, 3, 4, 5].map((k) => `${60000 + k} ${k * 10}`), ''].join('\n');
  it('drops rows k+1 = marked integration and records them in the meta', () => {
    expect(isWhiteLight(ecsv)).toBe(true);
    const r = dropWhiteLightRows(ecsv, [2, 5, 9]);
    expect(r.removed).toBe(2);
    expect(ecsvColumns(r.text).whitelight_flux).toEqual([10, 30, 40]);
    expect(r.text).toContain('# meta: !!omap\n# - {webbdesk_excluded_integrations: [2, 5, 9]}\n# schema: astropy-2.0');
  });
  it('matches marks by exposure: same visit level 3 <-> level 2, different exposure or detector not', () => {
    const p = (n: string) => parseJwstName(n)!;
    expect(sameExposure(p(WHTLT), p(CALINTS))).toBe(true);
    expect(sameExposure(p(CALINTS), p('jw09003003011_04101_00001-seg002_mirimage_x1dints.fits'))).toBe(true);
    expect(sameExposure(p(CALINTS), p('jw09003003011_04101_00002-seg001_mirimage_calints.fits'))).toBe(false);
    expect(sameExposure(p(CALINTS), p('jw09003003012_04101_00001-seg001_mirimage_calints.fits'))).toBe(false);
    expect(sameExposure(p(CALINTS), p('jw09003003011_04101_00001-seg001_nrs1_calints.fits'))).toBe(false);
  });
});

describe.skipIf(!HAVE_SHARED)('tso3 run honours the project outlier marks', () => {
  let dir = '';
  let restore = (): void => {};
  let engine: Engine & { close?: () => Promise<void> };
  let api: ApiClient;

  beforeAll(async () => {
    ({ dir, restore } = await caseWorkDir());
    const e = await loadEngine({ mode: 'worker' });
    if (!('engine' in e)) throw new Error(e.reason);
    engine = e.engine;
    const svc = new WebbDeskService({ engine: async () => ({ engine }), settingsFile: path.join(dir, 'settings.json') });
    api = createClient(inMemoryTransport(svc, svc.events));
  });
  afterAll(async () => {
    await engine?.close?.();
    restore();
    await rm(dir, { recursive: true, force: true });
  });

  it('marks 2 and 5 on the calints; the new whtlt has the other 6 rows equal to jwst', async () => {
    await api.call('projects.open', { path: dir });
    const marked = await api.call('projects.setOutliers', { path: path.join(dir, CALINTS), integrations: [5, 2] });
    expect(marked.integrations).toEqual([2, 5]);
    const finished = new Promise<RunRecord>((resolve) => api.on('onDidFinishRun', resolve));
    const { runId } = await api.call('runs.start', { path: path.join(dir, `${PRODUCT}_tso3_asn.json`), pipeline: 'calwebb_tso3', params: tso3Params(dir) });
    const rec = await finished;
    expect(rec.runId).toBe(runId);
    expect(rec.error).toBeNull();
    expect(rec.state).toBe('finished');
    // Provenance from the runner (across the worker boundary): context and per-step references.
    expect(rec.context).toBe('jwst_golden_0001.pmap');
    expect(rec.steps.find((s) => s.name === 'extract_1d')?.references.extract1d).toMatch(/ref_extract1d_lrs\.json$/);
    expect(rec.steps.find((s) => s.name === 'white_light')?.state).toBe('complete');
    const whtlt = rec.outputs.find((o) => o.endsWith(WHTLT));
    expect(whtlt).toBeDefined();
    expect(rec.outliers?.integrations).toEqual([2, 5]);
    expect(rec.outliers?.markedOn).toEqual([CALINTS]);
    expect(rec.outliers?.applied).toEqual([{ output: whtlt, rowsRemoved: 2 }]);
    const text = await readFile(whtlt!, 'utf8');
    expect(text).toContain('# - {webbdesk_excluded_integrations: [2, 5]}');
    const got = ecsvColumns(text);
    const want = ecsvColumns(await readFile(path.join(CASE, WHTLT), 'utf8'));
    const keep = [0, 2, 3, 5, 6, 7];
    expect(got.MJD_UTC).toEqual(keep.map((k) => want.MJD_UTC![k]));
    expect(got.whitelight_flux).toHaveLength(6);
    got.whitelight_flux!.forEach((f, i) => expect(Math.abs(f / want.whitelight_flux![keep[i]!]! - 1)).toBeLessThan(1e-5));
    // Other products untouched: the product x1dints still has all 8 integrations.
    const x1d = await FitsFile.open(rec.outputs.find((o) => o.endsWith(`${PRODUCT}_x1dints.fits`))!);
    try {
      expect(x1d.hdus.find((h) => h.extname === 'EXTRACT1D')?.header.get('NAXIS2')).toBe(8);
    } finally {
      await x1d.close();
    }
    const saved = JSON.parse(await readFile(path.join(dir, '.webbdesk', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
    expect(saved.outliers?.applied[0]?.rowsRemoved).toBe(2);
  }, 60_000);
});
