/**
 * End to end: a simulated MIRI LRS slitless transit (core/simulate) through
 * calwebb_detector1 -> calwebb_spec2 -> asn_from_list -> calwebb_tso3 with
 * every reference chosen by CRDS from the simulated context (the same
 * runDemo the `webbdesk demo` command runs), checked against what was
 * injected (truth.json):
 *  - the white-light curve has nints rows;
 *  - the limb-darkened transit fitted to it (core/analysis; depth = (Rp/Rs)^2,
 *    truth `depth`, with t14, b, u1, u2 fixed at the injected values) gives
 *    the injected depth within 3 sigma and the mid-time within 3 integrations;
 *  - the extracted spectrum of single integrations equals the injected
 *    blackbody (lrs.ts starFluxJy, in Jy: photom's response is the inverse of
 *    the simulated sensitivity, so blackbody x response x sensitivity = the
 *    blackbody) times the transit's relative flux, within a few percent over
 *    5-10 um;
 *  - `webbdesk info --json` reads the rate and rateints products.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitWhiteLight } from '../../core/analysis/white-light.ts';
import { runDemo, type DemoResult } from '../../core/cli/demo.ts';
import { main } from '../../core/cli/main.ts';
import { readEcsv, type EcsvTable } from '../../core/ecsv/index.ts';
import { starFluxJy } from '../../core/simulate/lrs.ts';
import { loadModel } from '../../core/stpipe/index.node.ts';

/** Sized for a busy 2-core machine: 64 integrations of 6 groups, a K = 7 star, a 1.5% transit. */
const NINTS = 64, NGROUPS = 6, KMAG = 7, DEPTH = 0.015, SEED = 41;

interface Truth {
  depth: number; central_depth: number; t_mid_mjd: number; t14_days: number; b: number; u1: number; u2: number;
  teff: number; magnitude: number; nints: number; relative_flux: number[];
}

let dir: string;
let r: DemoResult;
let truth: Truth;
let seconds = 0;
const log: string[] = [];
const io = { stdout: (s: string) => { log.push(s); }, stderr: (s: string) => { log.push(s); } };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wd-e2e-lrs-'));
  const t0 = Date.now();
  r = await runDemo(dir, io, { nints: NINTS, ngroups: NGROUPS, kmag: KMAG, depth: DEPTH, seed: SEED });
  seconds = (Date.now() - t0) / 1000;
  console.log(`e2e lrs-transit: simulate + detector1 + spec2 + tso3 of ${NINTS} x ${NGROUPS} groups in ${seconds.toFixed(1)} s\n${log.join('')}`);
  truth = JSON.parse(await readFile(r.truth, 'utf8')) as Truth;
}, 600_000);
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

function product(stage: string, suffix: string): string {
  if (r.failed) throw new Error(`the chain stopped at ${r.failed.stage}: ${r.failed.message}`);
  const p = r.products[stage]?.find((f) => f.endsWith(suffix));
  if (!p) throw new Error(`${stage} wrote no ${suffix} (outputs: ${(r.products[stage] ?? []).map((f) => path.basename(f)).join(', ')})`);
  return p;
}

async function whiteLight(): Promise<{ file: string; table: EcsvTable }> {
  const file = product('calwebb_tso3', '_whtlt.ecsv');
  return { file, table: readEcsv(await readFile(file, 'utf8'), file) };
}

describe('MIRI LRS slitless transit end to end', () => {
  it('runs the whole chain through CRDS selection', () => {
    expect(r.failed, r.failed && `${r.failed.stage}: ${r.failed.message}`).toBeUndefined();
    for (const s of ['calwebb_detector1', 'calwebb_spec2', 'asn_from_list', 'calwebb_tso3']) expect(r.products[s]?.length, s).toBeGreaterThan(0);
  });

  it('writes a white-light curve with nints rows and increasing MJD mid times', async () => {
    const { table } = await whiteLight();
    const mjd = table.columns.find((c) => c.name === 'MJD_UTC')!.data as ArrayLike<number>;
    const flux = table.columns.find((c) => c.name === 'whitelight_flux')!.data as ArrayLike<number>;
    expect(mjd.length).toBe(NINTS);
    expect(flux.length).toBe(NINTS);
    for (let i = 1; i < NINTS; i++) expect(mjd[i]!).toBeGreaterThan(mjd[i - 1]!);
    expect(Array.from(flux).every(Number.isFinite)).toBe(true);
  });

  it('the fitted transit depth (Rp/Rs)^2 matches the injected depth within 3 sigma, mid-time within 3 integrations', async () => {
    const { file, table } = await whiteLight();
    const fit = fitWhiteLight(table, { t14: truth.t14_days, b: truth.b, u1: truth.u1, u2: truth.u2, file });
    const mjd = table.columns.find((c) => c.name === 'MJD_UTC')!.data as ArrayLike<number>;
    const tint = (mjd[NINTS - 1]! - mjd[0]!) / (NINTS - 1);
    const pull = (fit.depth - truth.depth) / fit.depthErr;
    const dt = (fit.tMid - truth.t_mid_mjd) / tint;
    console.log(`e2e lrs-transit: depth fitted ${fit.depth.toFixed(5)} ± ${fit.depthErr.toFixed(5)} (injected ${truth.depth.toFixed(5)}, pull ${pull.toFixed(2)}); `
      + `central drop ${fit.centralDepth.toFixed(5)} (injected ${truth.central_depth.toFixed(5)}); mid-time offset ${dt.toFixed(2)} ± ${(fit.tMidErr / tint).toFixed(2)} integrations; `
      + `reduced chi2 ${(fit.chi2 / fit.dof).toExponential(2)} (no errors: covariance scaled), ${fit.iterations} iterations`);
    expect(fit.converged).toBe(true);
    expect(Math.abs(pull)).toBeLessThan(3);
    expect(fit.depthErr).toBeLessThan(truth.depth / 5); // a real detection, not a wide error bar
    expect(Math.abs(dt)).toBeLessThan(3);
    // The demo prints and returns the same fit.
    expect(r.fit?.depth).toBeCloseTo(fit.depth, 12);
    expect(log.join('')).toMatch(/transit depth: fitted [\d.]+ ± [\d.]+ \(injected [\d.]+\), mid-time offset -?[\d.]+ integrations/);
  });

  it.each([
    ['calwebb_spec2', '_x1dints.fits'],
    ['calwebb_tso3', '_x1dints.fits'],
  ])('%s %s: single-integration spectra = injected blackbody x transit within a few percent over 5-10 um', async (stage, suffix) => {
    const m = await loadModel(product(stage, suffix));
    expect(m.type).toBe('TSOMultiSpecModel');
    const tab = m.parts?.[0]?.table;
    if (!tab) throw new Error(`${stage} ${suffix}: no EXTRACT1D table`);
    expect(tab.nrows).toBe(NINTS);
    const col = (name: string) => tab.columns.find((c) => c.name === name)!.data as ArrayLike<number>;
    const wl = col('WAVELENGTH'), flux = col('FLUX'), nw = wl.length / tab.nrows;
    const mid = truth.relative_flux.indexOf(Math.min(...truth.relative_flux));
    for (const k of [2, mid]) {
      const bins = new Map<number, number[]>();
      for (let j = 0; j < nw; j++) {
        const w = wl[k * nw + j]!, f = flux[k * nw + j]!;
        if (!(w >= 5 && w < 10) || !Number.isFinite(f)) continue;
        const b = Math.floor((w - 5) / 0.5);
        bins.set(b, [...(bins.get(b) ?? []), f / (starFluxJy(w, truth.teff, truth.magnitude) * truth.relative_flux[k]!)]);
      }
      expect(bins.size).toBe(10);
      const means = [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v.reduce((a, x) => a + x, 0) / v.length);
      const all = [...bins.values()].flat().sort((a, b) => a - b);
      const median = all[all.length >> 1]!;
      console.log(`e2e lrs-transit: ${stage}${suffix} integration ${k + 1} (relative flux ${truth.relative_flux[k]!.toFixed(5)}): `
        + `${all.length} wavelengths 5-10 um, median FLUX/truth ${median.toFixed(4)} (range ${all[0]!.toFixed(3)}..${all[all.length - 1]!.toFixed(3)}), 0.5-um bin means ${Math.min(...means).toFixed(4)}..${Math.max(...means).toFixed(4)}`);
      expect(Math.abs(median - 1)).toBeLessThan(0.02);
      for (const v of means) expect(Math.abs(v - 1)).toBeLessThan(0.05);
    }
  });

  it('webbdesk info --json reads the rate and rateints products', async () => {
    const rate = product('calwebb_detector1', '_rate.fits'), rateints = product('calwebb_detector1', '_rateints.fits');
    const out: string[] = [];
    const code = await main(['info', '--json', rate, rateints], { stdout: (s) => { out.push(s); }, stderr: (s) => { out.push(s); } });
    expect(code, out.join('')).toBe(0);
    const j = JSON.parse(out.join('')) as { files: Array<{ model: string; error: string | null; meta: { exposure?: { nints?: number } }; hdus: Array<{ extname: string | null; shape: number[] }> }> };
    expect(j.files.map((f) => f.model)).toEqual(['ImageModel', 'CubeModel']);
    for (const f of j.files) {
      expect(f.error).toBeNull();
      expect(f.meta.exposure?.nints).toBe(NINTS);
    }
    expect(j.files[0]!.hdus.find((h) => h.extname === 'SCI')!.shape).toEqual([416, 72]);
    expect(j.files[1]!.hdus.find((h) => h.extname === 'SCI')!.shape).toEqual([NINTS, 416, 72]);
  });
});
