/**
 * Runs off the serving thread: the real stpipe runner inside a worker thread
 * (core/api/engine-worker.node.ts). Truth: the golden lrs_spec2_tso3 p01
 * white-light curve written by jwst 3.0's WhiteLightStep; typed errors and
 * cancellation crossing the thread boundary.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine, type EngineEvent } from '../../core/api/engine.node.ts';
import { CancelledError, FitsError, StepError } from '../../core/errors/index.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { caseWorkDir, ecsvColumns, tso3Params } from './runs-case.ts';

const CASE = sharedPath('golden', 'lrs_spec2_tso3', 'p01_lrs_slitless_transit');
const PRODUCT = 'jw09003003011-o001_t001_miri_p750l-slitlessprism';

const WL = { min_wavelength: 6, max_wavelength: 10, override_wavelengthrange: 'N/A', save_results: true };

describe.skipIf(!HAVE_SHARED)('runs in a worker thread (real stpipe runner)', () => {
  let dir = '';
  let restore = (): void => {};
  let engine: Engine & { close?: () => Promise<void> };

  beforeAll(async () => {
    ({ dir, restore } = await caseWorkDir());
    const e = await loadEngine({ mode: 'worker' });
    if (!('engine' in e)) throw new Error(e.reason);
    engine = e.engine;
    expect(typeof engine.close).toBe('function'); // the worker engine, not the inline fallback
  });
  afterAll(async () => {
    await engine?.close?.();
    restore();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs white_light in the worker: events forwarded, the curve equals jwst 3.0 (rtol 1e-5)', async () => {
    const events: EngineEvent[] = [];
    const out = path.join(dir, 'wl');
    const r = await engine.run({ input: path.join(dir, `${PRODUCT}_x1dints.fits`), step: 'white_light', params: WL, outputDir: out, signal: new AbortController().signal, onEvent: (e) => events.push(e) });
    expect(r.outputs.map((p) => path.basename(p))).toEqual([`${PRODUCT}_whtlt.ecsv`]);
    expect(events[0]).toEqual({ kind: 'step-start', step: 'white_light' });
    expect(events.some((e) => e.kind === 'log' && /WAVELENGTHRANGE/.test(e.message ?? ''))).toBe(true);
    expect(events.some((e) => e.kind === 'step-end' && e.step === 'white_light' && e.state === 'complete')).toBe(true);
    const got = ecsvColumns(await readFile(r.outputs[0]!, 'utf8'));
    const want = ecsvColumns(await readFile(path.join(CASE, `${PRODUCT}_whtlt.ecsv`), 'utf8'));
    expect(got.MJD_UTC).toEqual(want.MJD_UTC);
    expect(got.whitelight_flux).toHaveLength(8);
    got.whitelight_flux!.forEach((f, i) => expect(Math.abs(f / want.whitelight_flux![i]! - 1)).toBeLessThan(1e-5));
  }, 30_000);

  it('revives errors as their WebbError subclass with code and location', async () => {
    const missing = path.join(dir, 'nope_x1dints.fits');
    const e1 = await engine.run({ input: missing, step: 'white_light', params: WL, outputDir: dir, signal: new AbortController().signal, onEvent: () => {} }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(FitsError);
    expect((e1 as FitsError).message).toContain(missing);
    const e2 = await engine.run({ input: path.join(dir, `${PRODUCT}_x1dints.fits`), step: 'white_light', params: { ...WL, min_wavelenght: 6 }, outputDir: dir, signal: new AbortController().signal, onEvent: () => {} }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(StepError);
    expect((e2 as StepError).message).toMatch(/min_wavelenght/);
  }, 30_000);

  it('cancels a tso3 run through postMessage -> AbortController; the files it wrote are removed; the next run works', async () => {
    const out = path.join(dir, 'cancel');
    await mkdir(out, { recursive: true });
    const ac = new AbortController();
    let sawEvent = false;
    const t0 = performance.now();
    const p = engine.run({
      input: path.join(dir, `${PRODUCT}_tso3_asn.json`), pipeline: 'calwebb_tso3', params: tso3Params(dir), outputDir: out, signal: ac.signal,
      onEvent: (e) => { if (!sawEvent && e.kind === 'step-start') { sawEvent = true; ac.abort(); } },
    });
    const err = await p.catch((e: unknown) => e);
    expect(sawEvent).toBe(true);
    expect(err).toBeInstanceOf(CancelledError);
    expect(performance.now() - t0).toBeLessThan(9_000); // stopped by the runner, before the 10 s terminate grace
    expect((await readdir(out)).filter((f) => !f.startsWith('.'))).toEqual([]);
    const again = await engine.run({ input: path.join(dir, `${PRODUCT}_x1dints.fits`), step: 'white_light', params: WL, outputDir: path.join(dir, 'after'), signal: new AbortController().signal, onEvent: () => {} });
    expect(again.outputs).toHaveLength(1);
  }, 30_000);
});
