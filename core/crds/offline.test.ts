/**
 * The cache answers without a server: after a sync, best references come
 * from the cached rules (and the files they name are in the cache), and they
 * agree with what the server said online (get_best_references).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { bestrefs } from './bestrefs.ts';
import { referencePath, resolveConfig } from './config.node.ts';
import { loadContext } from './context.node.ts';
import { CrdsServer } from './server.node.ts';
import { sync } from './sync.node.ts';
import { makeHarness, type Harness } from '../../test/crds-server/harness.ts';

const HEADER = {
  'META.INSTRUMENT.NAME': 'MIRI',
  'META.INSTRUMENT.DETECTOR': 'MIRIMAGE',
  'META.OBSERVATION.DATE': '2023-03-01',
  'META.OBSERVATION.TIME': '10:00:00',
};

let h: Harness;
let servedCache: string;
beforeEach(async () => {
  // The test server answers get_best_references with the same rules engine over the files it serves.
  h = await makeHarness({
    bestRefs: (context, header, reftypes) => {
      const cfg = resolveConfig({ CRDS_PATH: servedCache, CRDS_MAPPATH_SINGLE: join(servedCache, 'mappings'), HOME: servedCache });
      const r = bestrefs(loadContext(context, cfg), header, { reftypes: reftypes ?? undefined });
      return Object.fromEntries(Object.entries(r.answers).map(([k, a]) => [k, a.value]));
    },
  });
  servedCache = h.fixture.dir;
});
afterEach(async () => { await h.cleanup(); });

it('answers best references from the cache with the server stopped, as the server did online', async () => {
  const config = h.config();
  await sync({ config, contexts: ['jwst_9001.pmap'], fetchReferences: true });
  const online = await new CrdsServer(h.server.url).getBestReferences('jwst_9001.pmap', HEADER, ['dark', 'flat', 'gain']);
  expect(online).toEqual({ dark: 'jwst_miri_dark_9103.fits', flat: 'jwst_miri_flat_9101.fits', gain: 'NOT FOUND n/a' });
  await h.server.close();

  const offlineConfig = h.config({ CRDS_MODE: 'local' });
  const r = bestrefs(loadContext('jwst_9001.pmap', offlineConfig), HEADER, { reftypes: ['dark', 'flat', 'gain'] });
  expect(Object.fromEntries(Object.entries(r.answers).map(([k, a]) => [k, a.value]))).toEqual(online);
  for (const f of ['jwst_miri_dark_9103.fits', 'jwst_miri_flat_9101.fits']) expect(referencePath(offlineConfig, f)).toBeTruthy();
  const older = bestrefs(loadContext('jwst_9001.pmap', offlineConfig), { ...HEADER, 'META.OBSERVATION.DATE': '2015-01-01' }, { reftypes: ['dark'] });
  expect(older.answers.dark?.value).toBe('jwst_miri_dark_9101.fits');
});
