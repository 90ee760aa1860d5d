/**
 * The IFU cube viewer, the TSO view's spectroscopic light curves / noise /
 * exports, and the run comparison, in Chromium against `webbdesk serve` on
 * the REAL demo project (`webbdesk demo DIR --nints 20 --ngroups 5 --kmag 7`)
 * with stdatamodels' IFUCubeModel from the datamodels zoo copied in.
 * Every number shown is checked against the files (read here with core/fits).
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FitsFile } from '../../core/fits/index.node.ts';
import { HAVE_SHARED, sharedPath } from '../shared.ts';
import { HAVE_CHROMIUM, openWorkstation, screenshotPath, type Workstation } from './harness.ts';

const NINTS = 20, NGROUPS = 5;
const CUBE = 'zoo_s3d.fits';
let ws: Workstation, project: string, page: Page;
const file = (suffix: string): string => ws.file(suffix);
const cssOf = (x: number, y: number) => ws.cssOf(x, y);
type ViewHook = { __imageView: unknown };
const json = async <T>(testId: string): Promise<T> => JSON.parse((await page.getByTestId(testId).textContent()) ?? 'null') as T;

/** The whole SCI cube of a file: data (row-major, planes slowest) and shape [nz, ny, nx]. */
async function readCube(p: string): Promise<{ data: ArrayLike<number>; nz: number; ny: number; nx: number }> {
  const f = await FitsFile.open(p);
  try {
    const a = await f.readImage(f.hdus.find((h) => h.extname === 'SCI')!.index);
    const [nz, ny, nx] = a.shape;
    return { data: a.data as ArrayLike<number>, nz, ny, nx };
  } finally {
    await f.close();
  }
}

/** WAVELENGTH, FLUX and FLUX_ERROR of an x1dints EXTRACT1D table (one row per integration, nwave cells). */
async function readX1dints(p: string): Promise<{ w: ArrayLike<number>; f: ArrayLike<number>; e: ArrayLike<number>; nrows: number; nwave: number }> {
  const ff = await FitsFile.open(p);
  try {
    const t = await ff.readTable(ff.hdus.find((h) => h.extname === 'EXTRACT1D')!.index);
    const c = (n: string) => t.columns.find((x) => x.name === n)!;
    return { w: c('WAVELENGTH').data as ArrayLike<number>, f: c('FLUX').data as ArrayLike<number>, e: c('FLUX_ERROR').data as ArrayLike<number>, nrows: t.nrows, nwave: c('FLUX').cellShape[0] };
  } finally {
    await ff.close();
  }
}
const median = (a: readonly number[]) => { const s = [...a].sort((p, q) => p - q); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };

async function hoverPixel(x: number, y: number): Promise<void> {
  await page.getByTestId('image-canvas').hover({ position: await cssOf(x, y) });
  const at = async () => `${await page.getByTestId('readout-x').innerText().catch(() => '')},${await page.getByTestId('readout-y').innerText().catch(() => '')}`;
  await expect.poll(at).toBe(`${x},${y}`);
}

describe.skipIf(!HAVE_CHROMIUM || !HAVE_SHARED)('cube viewer, TSO view and run comparison in Chromium', () => {
  beforeAll(async () => {
    ws = await openWorkstation('webbdesk-views-', NINTS, NGROUPS, {
      acceptDownloads: true,
      prepare: (p) => copyFileSync(sharedPath('golden', 'datamodels_zoo', CUBE), path.join(p, CUBE)),
    });
    ({ project, page } = ws);
    await page.getByTestId('project-tree').waitFor();
  }, 150_000);
  afterAll(async () => {
    await ws?.close();
  });

  it("IFU cube: the slider's plane, a spaxel's spectrum and the aperture sum equal the s3d file's values", async () => {
    const cube = await readCube(path.join(project, CUBE));
    expect([cube.nz, cube.ny, cube.nx]).toEqual([20, 24, 22]);
    const at = (k: number, y: number, x: number) => cube.data[(k * cube.ny + y) * cube.nx + x];
    await page.getByTestId(`file-${CUBE}`).click();
    await page.getByTestId('cube-plane').waitFor();
    await expect.poll(() => page.getByTestId('image-shape').innerText()).toContain('22 × 24 × 20 wavelength planes');
    await page.waitForFunction(() => !!(globalThis as unknown as Partial<ViewHook>).__imageView);

    // Slider to plane 7 by keyboard (7 quick changes: the last one must win).
    const K = 7;
    await page.getByTestId('cube-plane').focus();
    for (let i = 0; i < K; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('cube-plane-index').innerText()).toBe(String(K));
    // lambda = CRVAL3 + (k + 1 - CRPIX3) * CDELT3 with the file's 4.9 um, 1, 0.0008 um.
    expect(Number(await page.getByTestId('cube-wavelength').innerText())).toBeCloseTo(4.9 + K * 0.0008, 9);
    // The readout at several spaxels is the file's plane K (and not plane 0 there).
    let differ = 0;
    for (const [x, y] of [[3, 4], [11, 12], [20, 22], [15, 5]]) {
      await hoverPixel(x, y);
      await expect.poll(async () => Number(await page.getByTestId('readout-value').innerText())).toBeCloseTo(at(K, y, x), 3);
      expect(Math.abs(Number(await page.getByTestId('readout-value').innerText()) - at(K, y, x))).toBeLessThanOrEqual(1e-5 * Math.abs(at(K, y, x)));
      if (Math.abs(at(K, y, x) - at(0, y, x)) > 1e-3) differ++;
    }
    expect(differ).toBeGreaterThan(0);

    // Radius 2.5 around spaxel (10, 12): spectrum of the spaxel and aperture sums per plane.
    const [X, Y, R] = [10, 12, 2.5];
    await page.getByTestId('cube-radius').fill(String(R));
    await page.getByTestId('image-canvas').click({ position: await cssOf(X, Y) });
    await expect.poll(() => page.getByTestId('cube-spaxel').innerText()).toBe(`${X},${Y}`);
    await expect.poll(async () => (await json<number[]>('cube-aperture-data')).length).toBe(cube.nz);
    const spec = await json<number[]>('cube-spectrum-data');
    expect(spec.length).toBe(cube.nz);
    for (let k = 0; k < cube.nz; k++) expect(spec[k]).toBe(at(k, Y, X));
    const ap = await json<number[]>('cube-aperture-data');
    let n = 0;
    const want = new Array<number>(cube.nz).fill(0);
    for (let dy = -3; dy <= 3; dy++) for (let dx = -3; dx <= 3; dx++) {
      if (dx * dx + dy * dy > R * R) continue;
      n++;
      for (let k = 0; k < cube.nz; k++) want[k] += at(k, Y + dy, X + dx);
    }
    expect(n).toBe(21);
    expect(Number(await page.getByTestId('cube-aperture-n').innerText())).toBe(n);
    for (let k = 0; k < cube.nz; k++) expect(Math.abs(ap[k] - want[k])).toBeLessThanOrEqual(1e-12 * want[k]);
    expect(Math.abs(Number(await page.getByTestId('cube-aperture-sum').innerText()) - want[K])).toBeLessThanOrEqual(1e-9 * want[K]);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('cube-viewer'), fullPage: true });
  });

  it('TSO view: spectroscopic light curves in 5-6, 6-8, 8-10 um equal the x1dints FLUX sums, noise vs photon noise, CSV/PNG exports', async () => {
    const x1dints = file('slitlessprism_x1dints.fits');
    const x = await readX1dints(x1dints);
    expect(x.nrows).toBe(NINTS);
    await page.getByTestId(`file-${path.basename(x1dints)}`).click();
    await expect.poll(() => page.getByTestId('lc-count').innerText().catch(() => '')).toBe(String(NINTS));
    await page.getByTestId('lc-edges').fill('5,6,8,10');
    await page.getByTestId('lc-edges-apply').click();
    await expect.poll(async () => (await json<unknown[]>('lc-spectral-data')).length).toBe(3);
    const curves = await json<Array<{ label: string; flux: number[] }>>('lc-spectral-data');
    const edges = [5, 6, 8, 10];
    const channels: number[] = [];
    for (let b = 0; b < 3; b++) {
      expect(curves[b].flux.length).toBe(NINTS);
      let nch = 0;
      const sums = Array.from({ length: NINTS }, (_, r) => {
        let s = 0;
        for (let j = 0; j < x.nwave; j++) {
          const w = x.w[r * x.nwave + j], f = x.f[r * x.nwave + j];
          if (w >= edges[b] && w < edges[b + 1] && Number.isFinite(f)) { s += f; if (r === 0) nch++; }
        }
        return s;
      });
      channels.push(nch);
      const m = median(sums);
      for (let r = 0; r < NINTS; r++) expect(Math.abs(curves[b].flux[r] - sums[r] / m)).toBeLessThanOrEqual(1e-12);
    }
    expect(Math.min(...channels)).toBeGreaterThan(3);

    // Noise per channel: MAD of the normalised channel light curve and the photon noise median(ERR/|FLUX|), in ppm.
    const noise = await json<{ wave: number[]; mad: number[]; photon: number[] }>('noise-data');
    expect(noise.photon.filter(Number.isFinite).length).toBeGreaterThan(10);
    const j = noise.wave.findIndex((w) => w > 7);
    const jj = Array.from({ length: x.nwave }, (_, i) => i).find((i) => x.w[i] === noise.wave[j])!;
    const lc = Array.from({ length: NINTS }, (_, r) => x.f[r * x.nwave + jj]);
    const nl = lc.map((v) => v / median(lc));
    const d = nl.slice(1).map((v, i) => v - nl[i]);
    const md = median(d);
    expect(noise.mad[j]).toBeCloseTo((1.4826 * median(d.map((v) => Math.abs(v - md)))) / Math.SQRT2 * 1e6, 6);
    expect(noise.photon[j]).toBeCloseTo(median(lc.map((v, r) => x.e[r * x.nwave + jj] / Math.abs(v))) * 1e6, 6);

    // CSV: one row per integration, the white-light curve and the three bins as shown.
    const white = await json<number[]>('lc-data');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lc-export-csv').click()]);
    const csv = readFileSync((await dl.path())!, 'utf8').trim().split('\n').map((l) => l.split(','));
    const head = csv[0];
    expect(csv.length).toBe(NINTS + 1);
    const colOf = (name: string) => csv.slice(1).map((r) => Number(r[head.indexOf(name)]));
    expect(colOf('integration')).toEqual(Array.from({ length: NINTS }, (_, i) => i + 1));
    expect(colOf('flux_normalised')).toEqual(white);
    const binCols = head.filter((h) => h.startsWith('flux_') && h !== 'flux_normalised');
    expect(binCols.length).toBe(3);
    binCols.forEach((h, b) => expect(colOf(h)).toEqual(curves[b].flux));
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lc-export-png').click()]);
    expect([...readFileSync((await png.path())!).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    await page.getByTestId('lc-spectral-chart').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('tso-spectroscopic') });
    await page.getByTestId('noise-chart').scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    await page.screenshot({ path: screenshotPath('tso-noise') });
  });

  it('compare two spec2 runs: the changed parameter and the toggled step are listed', async () => {
    await page.getByTestId(`file-${path.basename(file('_rateints.fits'))}`).click();
    await page.getByTestId('tab-pipeline').click();
    await page.getByTestId('run-start').waitFor();
    const state = () => page.getByTestId('run-state').innerText().catch(() => '');
    const runOnce = async () => {
      await page.getByTestId('run-start').click();
      await expect.poll(state, { timeout: 60_000, interval: 250 }).toMatch(/^(running|queued|finished|failed)$/);
      await expect.poll(state, { timeout: 60_000, interval: 250 }).toMatch(/finished|failed|cancelled/);
      if (await state() !== 'finished') throw new Error(`the run ended ${await state()}: ${await page.getByTestId('run-error').innerText().catch(() => '')}`);
    };
    await runOnce();
    const first = await page.getByTestId('run-history').locator('tbody tr').first().locator('td').nth(1).innerText();
    // Run B: extract_1d smoothing_length 3 and photom off.
    await page.getByTestId('step-expand-extract_1d').click();
    const field = page.locator('[id="p-extract_1d.smoothing_length"]');
    if (!(await field.isVisible())) await page.getByTestId('params-extract_1d').locator('summary', { hasText: 'advanced' }).click();
    await field.fill('3');
    await field.press('Enter');
    await field.blur();
    await page.getByTestId('step-expand-extract_1d').click();
    await page.getByTestId('step-photom').uncheck();
    await runOnce();
    const rows = page.getByTestId('run-history').locator('tbody tr');
    await expect.poll(() => rows.first().locator('td').nth(1).innerText()).not.toBe(first);
    // Older run first: columns are A (defaults) then B.
    await rows.nth(1).locator('input[type=checkbox]').check();
    await rows.nth(0).locator('input[type=checkbox]').check();
    const cmp = page.getByTestId('run-compare');
    await cmp.waitFor();
    const row = (k: string) => cmp.getByTestId(`cmp-${k}`).locator('td');
    expect(await row('extract_1d.smoothing_length').allInnerTexts()).toEqual(['extract_1d.smoothing_length', 'null', '3']);
    expect(await row('photom.skip').allInnerTexts()).toEqual(['photom.skip', 'null', 'true']);
    const photom = await row('photom').allInnerTexts();
    expect(photom[1]).toMatch(/^complete/);
    expect(photom[2]).toMatch(/^skipped/);
    await cmp.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('run-compare'), fullPage: true });
  }, 150_000);

  it('no page errors (CSP violations included)', () => {
    expect(ws.pageErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
