/**
 * The workstation in Chromium against `webbdesk serve --project DIR` on the
 * REAL demo project (`webbdesk demo DIR --nints 20 --ngroups 5`: a simulated
 * MIRI LRS slitless TSO with a transit, reduced by detector1 -> spec2 -> tso3
 * with the demo's own CRDS cache, which serve picks up from DIR/crds_cache).
 * Asserts against the files themselves (read here with core/fits) and the
 * simulation's truth.json; saves a screenshot of each view.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FitsFile } from '../../core/fits/index.node.ts';
import { readEcsv } from '../../core/ecsv/index.ts';
import { HAVE_CHROMIUM, openWorkstation, screenshotPath, type Workstation } from './harness.ts';

const NINTS = 20, NGROUPS = 5;
let ws: Workstation, project: string, page: Page;
let truth: { depth: number; relative_flux: number[]; references: Record<string, string>; crds: { context: string } };
const file = (suffix: string): string => ws.file(suffix);
const cssOf = (x: number, y: number) => ws.cssOf(x, y);
type ViewHook = { __imageView: unknown };

async function readPlane(p: string, extname: string, leading: number[]): Promise<{ data: ArrayLike<number>; nx: number }> {
  const f = await FitsFile.open(p);
  try {
    const h = f.hdus.find((x) => x.extname === extname)!;
    const plane = leading.length ? await f.readPlane(h.index, leading) : await f.readImage(h.index);
    return { data: plane.data as ArrayLike<number>, nx: plane.shape[plane.shape.length - 1] };
  } finally {
    await f.close();
  }
}

/** Hover array pixel (x, y) and wait until the readout shows that pixel. */
async function hoverPixel(x: number, y: number): Promise<void> {
  await page.getByTestId('image-canvas').hover({ position: await cssOf(x, y) });
  const at = async () => `${await page.getByTestId('readout-x').innerText().catch(() => '')},${await page.getByTestId('readout-y').innerText().catch(() => '')}`;
  await expect.poll(at).toBe(`${x},${y}`);
}

describe.skipIf(!HAVE_CHROMIUM)('workstation in Chromium on the demo project', () => {
  beforeAll(async () => {
    ws = await openWorkstation('webbdesk-browser-', NINTS, NGROUPS);
    ({ project, page } = ws);
    truth = JSON.parse(readFileSync(path.join(project, 'truth.json'), 'utf8')) as typeof truth;
  }, 150_000);
  afterAll(async () => {
    await ws?.close();
  });

  it('opens the demo project: the tree lists uncal, rateints, calints, x1dints and whtlt with key header values', async () => {
    const tree = page.getByTestId('project-tree');
    await tree.waitFor();
    await expect.poll(() => tree.innerText()).toContain('MIR_LRS-SLITLESS');
    const text = await tree.innerText();
    for (const s of ['uncal', 'rateints', 'calints', 'x1dints', 'whtlt']) expect(text).toContain(s);
    expect(text).toContain(`nints ${NINTS}`);
    expect(text).toContain(`ngroups ${NGROUPS}`);
    await page.screenshot({ path: screenshotPath('project-browser') });
  });

  it("image viewer: the readout equals the file's SCI value, DQ flags and WAVELENGTH at that pixel", async () => {
    const rateints = file('_rateints.fits');
    await page.getByTestId(`file-${path.basename(rateints)}`).click();
    await page.getByTestId('image-canvas').waitFor();
    await page.waitForFunction(() => !!(globalThis as unknown as Partial<ViewHook>).__imageView);
    await expect.poll(() => page.getByTestId('image-shape').innerText()).toContain('72 × 416');
    // The brightest pixel of row 300 (on the trace), integration 1.
    const sci = await readPlane(rateints, 'SCI', [0]);
    const y = 300;
    let x = -1;
    for (let i = 0; i < sci.nx; i++) if (Number.isFinite(sci.data[y * sci.nx + i]) && (x < 0 || sci.data[y * sci.nx + i] > sci.data[y * sci.nx + x])) x = i;
    await hoverPixel(x, y);
    const shown = Number(await page.getByTestId('readout-value').innerText());
    const want = sci.data[y * sci.nx + x];
    expect(Math.abs(shown - want)).toBeLessThanOrEqual(1e-5 * Math.abs(want));
    // A reference column: DO_NOT_USE | REFERENCE_PIXEL in the file's DQ.
    const dq = await readPlane(rateints, 'DQ', [0]);
    await hoverPixel(1, 10);
    expect(dq.data[10 * dq.nx + 1] & 1).toBe(1);
    expect(await page.getByTestId('readout-flags').innerText()).toContain('DO_NOT_USE');
    await page.getByTestId('stretch').selectOption('asinh');
    await page.getByTestId('limits').selectOption('zscale');
    await page.getByTestId('colormap').selectOption('inferno');
    await hoverPixel(x, y);
    await page.screenshot({ path: screenshotPath('image-viewer') });

    // calints: the wavelength readout is the file's WAVELENGTH array.
    const calints = file('_calints.fits');
    await page.getByTestId(`file-${path.basename(calints)}`).click();
    await expect.poll(() => page.getByTestId('image-title').innerText()).toContain('calints');
    const wave = await readPlane(calints, 'WAVELENGTH', []);
    await hoverPixel(x, 200);
    await expect.poll(() => page.getByTestId('readout-wavelength').innerText()).not.toBe('');
    expect(Number(await page.getByTestId('readout-wavelength').innerText())).toBeCloseTo(wave.data[200 * wave.nx + x], 4);
    await page.screenshot({ path: screenshotPath('image-viewer-calints') });
  });

  it('spectrum viewer: an x1dints spectrum with its units', async () => {
    const x1dints = file('_mirimage_x1dints.fits');
    await page.getByTestId(`file-${path.basename(x1dints)}`).click();
    await page.getByTestId('tab-spectrum').click();
    await expect.poll(() => page.getByTestId('spectrum-units').innerText()).toMatch(/wavelength \(um\).*flux \(Jy\)/);
    expect(await page.getByTestId('spectrum-count').innerText()).toBe(String(NINTS));
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('spectrum-viewer') });
    await page.getByTestId('spectrum-heatmap').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('spectrum-heatmap') });
  });

  it('TSO view: the white-light curve has nints points, the file values and the transit dip', async () => {
    const whtlt = file('_whtlt.ecsv');
    await page.getByTestId(`file-${path.basename(whtlt)}`).click();
    await page.getByTestId('lc-count').waitFor();
    expect(Number(await page.getByTestId('lc-count').innerText())).toBe(NINTS);
    const norm = JSON.parse(await page.getByTestId('lc-data').textContent() ?? '[]') as number[];
    expect(norm.length).toBe(NINTS);
    // The same points as the file, normalised by their median.
    const col = readEcsv(readFileSync(whtlt, 'utf8'), whtlt).columns.find((c) => c.name === 'whitelight_flux')!;
    const flux = Array.from(col.data as ArrayLike<number>);
    for (let i = 0; i < NINTS; i++) expect(norm[i] / norm[0]).toBeCloseTo(flux[i] / flux[0], 9);
    // The dip: the minimum below 1 - depth/2, and the in-transit mean below the out-of-transit mean.
    expect(Math.min(...norm)).toBeLessThan(1 - truth.depth / 2);
    const inT = norm.filter((_, i) => truth.relative_flux[i] < 1), outT = norm.filter((_, i) => truth.relative_flux[i] === 1);
    expect(inT.reduce((a, b) => a + b, 0) / inT.length).toBeLessThan(outT.reduce((a, b) => a + b, 0) / outT.length);
    // BJD_TDB is in the file: the axis offers it.
    await page.getByTestId('time-axis').selectOption('bjd');
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('tso-view') });

    // x1dints: per-integration diagnostics from the file's BACKGROUND column.
    const x1dints = file('slitlessprism_x1dints.fits');
    await page.getByTestId(`file-${path.basename(x1dints)}`).click();
    await page.getByTestId('tab-tso').click();
    await expect.poll(() => page.getByTestId('diag-background-count').textContent().catch(() => ''), { timeout: 20_000 }).toBe(String(NINTS));
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('tso-diagnostics'), fullPage: true });
  });

  it('CRDS manager: the effective context and the demo cache references', async () => {
    await page.getByTestId('tab-crds').click();
    await expect.poll(() => page.getByTestId('crds-context').innerText()).toBe(truth.crds.context);
    await expect.poll(() => page.getByTestId('crds-cache').innerText()).toContain(truth.references.mask);
    const table = await page.getByTestId('crds-cache').innerText();
    for (const f of Object.values(truth.references)) expect(table).toContain(f);
    expect(table).toContain('jwst_webbdesk_0001.pmap');
    expect(await page.getByTestId('crds-online').innerText()).toContain('offline');
    await page.screenshot({ path: screenshotPath('crds-manager') });
  });

  it('pipeline panel: flat_field toggled off, the run reaches 100% and the history shows it SKIPPED', async () => {
    await page.getByTestId(`file-${path.basename(file('_rateints.fits'))}`).click();
    await page.getByTestId('tab-pipeline').click();
    await page.getByTestId('run-start').waitFor();
    await expect.poll(() => page.getByTestId('plan-context').innerText()).toBe(truth.crds.context);
    await expect.poll(() => page.getByTestId('step-ref-flat_field').innerText()).toContain(truth.references.flat);
    await page.getByTestId('step-expand-extract_1d').click();
    await page.screenshot({ path: screenshotPath('pipeline-panel') });
    await page.getByTestId('step-expand-extract_1d').click();
    await page.getByTestId('step-flat_field').uncheck();
    await page.getByTestId('run-start').click();
    const state = () => page.getByTestId('run-state').innerText().catch(() => '');
    await expect.poll(state, { timeout: 90_000, interval: 250 }).toMatch(/finished|failed|cancelled/);
    if (await state() !== 'finished') throw new Error(`the run ended ${await state()}: ${await page.getByTestId('run-error').innerText().catch(() => '')}`);
    expect(await page.getByTestId('run-progress').innerText()).toBe('100%');
    const latest = page.getByTestId('run-history').locator('tbody tr').first();
    await expect.poll(() => latest.getByTestId('hist-step-flat_field').innerText()).toMatch(/skipped/i);
    expect(await latest.getByTestId('hist-step-extract_1d').innerText()).toMatch(/complete/i);
    await page.screenshot({ path: screenshotPath('pipeline-run') });
  }, 120_000);

  it('no page errors (CSP violations included)', () => {
    expect(ws.pageErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
