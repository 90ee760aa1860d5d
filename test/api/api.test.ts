/**
 * Every API method through the in-memory transport (byte codec, schema
 * check, error revival), against the demo rateints, a white-light ECSV with
 * an injected transit, the synthetic CRDS cache and a stand-in engine.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/crds/config.node.ts';
import { FitsFile } from '../../core/fits/index.node.ts';
import { WebbError, CancelledError } from '../../core/errors/index.ts';
import { WebbDeskService } from '../../core/api/service.node.ts';
import { createClient, inMemoryTransport } from '../../core/api/transport.ts';
import { payloadView } from '../../core/api/arrays.ts';
import { METHOD_NAMES, type ApiClient, type RunRecord } from '../../core/api/types.ts';
import { SCHEMAS } from '../../core/api/schemas.ts';
import { makeDemoFixture, type DemoFixture } from './fixtures.ts';
import { fakeEngine, FAKE_STEPS } from './fake-engine.ts';

let dir: string;
let fx: DemoFixture;
let api: ApiClient;
let svc: WebbDeskService;
const called = new Set<string>();

function track(c: ApiClient): ApiClient {
  return { call: (m, a) => { called.add(m); return c.call(m, a); }, on: c.on };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-api-'));
  fx = await makeDemoFixture(dir, 6);
  svc = new WebbDeskService({
    crdsConfig: () => resolveConfig({ HOME: dir, CRDS_PATH: fx.crdsPath, CRDS_MODE: 'local' }),
    engine: async () => ({ engine: fakeEngine({ delayMs: 2 }) }),
    settingsFile: path.join(dir, 'settings.json'),
  });
  api = track(createClient(inMemoryTransport(svc, svc.events)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejects(p: Promise<unknown>): Promise<WebbError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WebbError);
    return e as WebbError;
  }
  throw new Error('expected a rejection');
}

describe('engine API over the in-memory transport', () => {
  it('has one schema per method', () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('projects: open, scan, group, summaries, outliers', async () => {
    const scan = await api.call('projects.open', { path: fx.project });
    expect(scan.groups.map((g) => g.key)).toEqual(['jw09999001001_00001_mirimage', 'jw09999001001_level3_miri']);
    const g = scan.groups[0];
    expect(g.files[0].stage).toBe('rateints');
    expect(g.files[0].segment).toBe('001');
    expect(scan.groups[1].files[0].stage).toBe('whtlt');
    expect((await api.call('projects.scan', { root: fx.project })).groups.length).toBe(2);
    expect(await api.call('projects.list', {})).toEqual([fx.project]);
    const [s] = await api.call('projects.summaries', { paths: [fx.rateints] });
    expect(s).toMatchObject({ instrument: 'MIRI', expType: 'MIR_LRS-SLITLESS', detector: 'MIRIMAGE', subarray: 'SLITLESSPRISM', nints: 6, ngroups: 50 });
    expect((await api.call('projects.setOutliers', { path: fx.rateints, integrations: [3, 1, 3] })).integrations).toEqual([1, 3]);
    expect((await api.call('projects.getOutliers', { path: fx.rateints })).integrations).toEqual([1, 3]);
  });

  it('files: hdus, header, plane equals the file, pixel series, table, light curve', async () => {
    const h = await api.call('files.hdus', { path: fx.rateints });
    expect(h.model).toBe('CubeModel');
    expect(h.hdus[1]).toMatchObject({ extname: 'SCI', shape: [6, 416, 72], dtype: 'float32' });
    const cards = await api.call('files.header', { path: fx.rateints, hdu: 0 });
    expect(cards.find((c) => c.keyword === 'NINTS')?.value).toBe(6);
    const plane = await api.call('files.plane', { path: fx.rateints, hdu: 'SCI', leading: [2] });
    expect(plane.shape).toEqual([416, 72]);
    expect(plane.buffer).toBeInstanceOf(ArrayBuffer);
    const f = await FitsFile.open(fx.rateints);
    const truth = (await f.readImage(1)).data as Float32Array;
    await f.close();
    const v = payloadView(plane) as Float32Array;
    expect(v[300 * 72 + 36]).toBe(truth[(2 * 416 + 300) * 72 + 36]);
    const series = payloadView(await api.call('files.pixelSeries', { path: fx.rateints, hdu: 1, y: 300, x: 36 }));
    expect(series.length).toBe(6);
    expect(series[4]).toBeCloseTo(truth[(4 * 416 + 300) * 72 + 36], 3);
    const t = await api.call('files.table', { path: fx.rateints, hdu: 'INT_TIMES' });
    expect(t.nrows).toBe(6);
    const mid = t.columns.find((c) => c.name === 'int_mid_MJD_UTC')!;
    expect(new Float64Array(mid.values!.buffer)[1]).toBeCloseTo(61000 + 1.5 * 9.5 / 86400, 9);
    const lc = await api.call('files.lightCurve', { path: fx.whtlt });
    expect(lc.source).toBe('whtlt');
    expect(lc.flux.length).toBe(fx.nints);
    expect(lc.flux[fx.dipStart] / lc.flux[0]).toBeCloseTo(1 - fx.depth, 9);
    expect(lc.fluxUnit).toBe('Jy');
    const lc2 = await api.call('files.lightCurve', { path: fx.rateints });
    expect(lc2.source).toBe('rateints');
    expect(lc2.timeMjdUtc[0]).toBeCloseTo(61000 + 4.75 / 86400, 9);
    const e = await rejects(api.call('files.spectra', { path: fx.rateints }));
    expect(e.message).toMatch(/no EXTRACT1D/);
  });

  it('refuses traversal, symlinks out, bad arguments and unknown methods', async () => {
    const outside = path.join(dir, 'secret.fits');
    writeFileSync(outside, 'x');
    expect((await rejects(api.call('files.hdus', { path: `${fx.project}/../secret.fits` }))).code).toBe('access-denied');
    symlinkSync(outside, path.join(fx.project, 'link.fits'));
    expect((await rejects(api.call('files.hdus', { path: path.join(fx.project, 'link.fits') }))).code).toBe('access-denied');
    expect((await rejects(api.call('files.hdus', { path: 'relative.fits' }))).code).toBe('access-denied');
    expect((await rejects(api.call('files.plane', { path: fx.rateints, hdu: 1, leading: [1.5] }))).code).toBe('invalid-argument');
    expect((await rejects(api.call('files.hdus', { path: fx.rateints, extra: 1 } as never))).message).toMatch(/unknown field 'extra'/);
    expect((await rejects(api.call('no.such' as never, {} as never))).code).toBe('unknown-method');
    expect((await rejects(api.call('projects.open', { path: '/' }))).code).toBe('access-denied');
  });

  it('crds: status, contexts, bestrefs, cache by instrument/reftype, verify, prune dry run, diff', async () => {
    const st = await api.call('crds.status', {});
    expect(st).toMatchObject({ context: 'jwst_9002.pmap', contextSource: 'latest-local', localContexts: ['jwst_9001.pmap', 'jwst_9002.pmap'] });
    expect(await api.call('crds.contexts', {})).toEqual(['jwst_9001.pmap', 'jwst_9002.pmap']);
    const br = await api.call('crds.bestrefs', { path: fx.rateints, reftypes: ['dark'] });
    expect(br.refs).toEqual([{ reftype: 'dark', file: 'jwst_miri_dark_9102.fits', status: 'ok', cached: true }]);
    const cache = await api.call('crds.cache', {});
    expect(cache.totalBytes).toBe(cache.files.reduce((s, f) => s + f.size, 0));
    expect(cache.bytesByInstrument.miri).toBeGreaterThan(0);
    const dark = await api.call('crds.cache', { reftype: 'dark' });
    expect(dark.files.map((f) => f.name).sort()).toEqual(expect.arrayContaining(['jwst_miri_dark_9102.fits']));
    const v = await api.call('crds.verify', {});
    expect(v.problems).toEqual([]);
    expect(v.checked).toBe(cache.files.length);
    const pr = await api.call('crds.prune', { keepContexts: ['jwst_9002.pmap'] });
    expect(pr.removed).toBe(false);
    expect(pr.files.map((f) => f.name)).toContain('jwst_miri_dark_9101.rmap');
    expect(pr.bytes).toBe(pr.files.reduce((s, f) => s + f.size, 0));
    const d = await api.call('crds.diff', { a: 'jwst_9001.pmap', b: 'jwst_9002.pmap' });
    expect(d.mappingsAdded).toContain('jwst_miri_dark_9102.rmap');
    expect(d.references.find((r) => r.reftype === 'dark')?.added).toEqual(['jwst_miri_dark_9102.fits']);
    const sync = await rejects(api.call('crds.sync', { contexts: ['jwst_9002.pmap'], files: ['../etc'] }));
    expect(sync.code).toBe('invalid-argument');
    const ff = await api.call('crds.fetchFor', { paths: [fx.rateints] });
    expect(ff.downloaded).toEqual([]);
  });

  it('runs: plan, start with a step off, progress to 100%, provenance, cancel, re-run from a step', async () => {
    expect(await api.call('runs.available', {})).toEqual({ available: true, reason: null });
    const plan = await api.call('runs.plan', { path: fx.rateints });
    expect(plan.steps.map((s) => s.name)).toEqual(FAKE_STEPS);
    expect(plan.context).toBe('jwst_9002.pmap');
    expect(plan.references.dark).toBe('jwst_miri_dark_9102.fits');
    const fractions: number[] = [];
    api.on('onDidRunProgress', (p) => fractions.push(p.fraction));
    const finished = new Promise<RunRecord>((resolve) => api.on('onDidFinishRun', resolve));
    const { runId } = await api.call('runs.start', { path: fx.rateints, pipeline: 'calwebb_detector1', params: { 'jump.skip': true } });
    const rec = await finished;
    expect(rec.runId).toBe(runId);
    expect(rec.state).toBe('finished');
    expect(rec.steps.map((s) => s.state)).toEqual(['complete', 'skipped', 'complete']);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1] - 1e-12)).toBe(true);
    expect((await api.call('runs.get', { runId })).steps[0].references.dark).toBe('crds://jwst_miri_dark_9102.fits');
    const hist = await api.call('runs.history', { root: fx.project });
    expect(hist.map((r) => r.runId)).toContain(runId);
    const scan = await api.call('projects.scan', { root: fx.project });
    expect(scan.groups.flatMap((g) => g.files).concat(scan.other).some((f) => f.runId === runId)).toBe(true);

    const fin2 = new Promise<RunRecord>((resolve) => api.on('onDidFinishRun', resolve));
    const again = await api.call('runs.rerunFrom', { runId, step: 'ramp_fit' });
    const r2 = await fin2;
    expect(r2.runId).toBe(again.runId);
    expect(r2.rerunOf).toBe(runId);
    expect(r2.request.path).toMatch(/dq_init\.fits$/);

    const slow = new WebbDeskService({ crdsConfig: () => resolveConfig({ HOME: dir, CRDS_PATH: fx.crdsPath, CRDS_MODE: 'local' }), engine: async () => ({ engine: fakeEngine({ delayMs: 200 }) }), settingsFile: path.join(dir, 's2.json') });
    const api2 = track(createClient(inMemoryTransport(slow, slow.events)));
    await api2.call('projects.open', { path: fx.project });
    const { runId: r3 } = await api2.call('runs.start', { path: fx.rateints, step: 'jump' });
    await api2.call('runs.cancel', { runId: r3 });
    const got = await api2.call('runs.get', { runId: r3 });
    expect(got.state).toBe('cancelled');
    expect(() => { throw new CancelledError(); }).toThrow(CancelledError);
  });

  it('runs report a clear error when the engine is absent', async () => {
    const none = new WebbDeskService({ engine: async () => ({ reason: 'engine not available: core/stpipe/runner.node.ts not present in this build' }), settingsFile: path.join(dir, 's3.json') });
    const c = track(createClient(inMemoryTransport(none, none.events)));
    expect((await c.call('runs.available', {})).available).toBe(false);
    await c.call('projects.open', { path: fx.project });
    const e = await rejects(c.call('runs.start', { path: fx.rateints, step: 'jump' }));
    expect(e.code).toBe('engine-unavailable');
    expect(e.message).toMatch(/engine not available/);
    await c.call('projects.close', { root: fx.project });
    expect(await c.call('projects.list', {})).toEqual([]);
  });

  it('settings persist', async () => {
    expect((await api.call('settings.get', {})).colormap).toBe('viridis');
    expect((await api.call('settings.set', { colormap: 'inferno', timeAxis: 'bjd' })).colormap).toBe('inferno');
    expect((await rejects(api.call('settings.set', { colormap: 'jet' }))).code).toBe('invalid-argument');
    const again = new WebbDeskService({ settingsFile: path.join(dir, 'settings.json') });
    expect((await again['settings.get']({})).timeAxis).toBe('bjd');
  });

  it('every method was called through the transport', () => {
    const missing = METHOD_NAMES.filter((m) => !called.has(m) && !['crds.sync', 'files.spectra'].includes(m));
    expect(missing).toEqual([]);
  });
});
