/**
 * The workstation in Chromium against `webbdesk serve` on a demo project:
 * project tree, image readout equal to the file's value, CRDS cache listing,
 * TSO light curve with nints points and the injected dip, a run with a step
 * toggled off (when the engine is available), screenshots of each view.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FitsFile } from '../../core/fits/index.node.ts';
import { makeDemoFixture, type DemoFixture } from '../api/fixtures.ts';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, ensureRendererBuilt, screenshotPath, serve, type Served } from './harness.ts';

let dir: string, fx: DemoFixture, srv: Served, browser: BrowserContext, page: Page;
const pageErrors: string[] = [];

describe.skipIf(!HAVE_CHROMIUM)('workstation in Chromium', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-browser-'));
    fx = await makeDemoFixture(dir, 12);
    srv = await serve(fx.project, { CRDS_PATH: fx.crdsPath, CRDS_MODE: 'local', WEBBDESK_SETTINGS: path.join(dir, 'settings.json'), HOME: dir });
    // A fresh user-data-dir per run.
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    await page.goto(srv.url);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the demo project: exposure tree with instrument, exp_type, nints', async () => {
    const tree = page.getByTestId('project-tree');
    await tree.waitFor();
    await expect.poll(() => tree.innerText()).toContain('MIR_LRS-SLITLESS');
    expect(await tree.innerText()).toContain('nints=12');
    expect(await tree.innerText()).toContain('[rateints]');
    await page.screenshot({ path: screenshotPath('project-browser') });
  });

  it("image viewer: the pixel readout equals the file's value at that pixel", async () => {
    await page.getByTestId(`file-${path.basename(fx.rateints)}`).click();
    await page.getByTestId('image-canvas').waitFor();
    await page.waitForFunction(() => !!(globalThis as unknown as { __imageView?: unknown }).__imageView);
    const [x, y] = [36, 300];
    const at = await page.evaluate(([px, py]) => (globalThis as unknown as { __imageView: { cssOf(x: number, y: number): { x: number; y: number } } }).__imageView.cssOf(px, py), [x, y]);
    await page.getByTestId('image-canvas').hover({ position: at });
    await expect.poll(() => page.getByTestId('readout-x').innerText().catch(() => '')).toBe(String(x));
    expect(await page.getByTestId('readout-y').innerText()).toBe(String(y));
    const shown = Number(await page.getByTestId('readout-value').innerText());
    const f = await FitsFile.open(fx.rateints);
    const truth = ((await f.readPlane(1, [0])).data as Float32Array)[y * 72 + x];
    await f.close();
    expect(shown).toBeCloseTo(truth, 3);
    await page.getByTestId('image-canvas').hover({ position: await page.evaluate(() => (globalThis as unknown as { __imageView: { cssOf(x: number, y: number): { x: number; y: number } } }).__imageView.cssOf(1, 10)) });
    await expect.poll(() => page.getByTestId('readout-flags').innerText()).toBe('DO_NOT_USE | REFERENCE_PIXEL');
    await page.getByTestId('stretch').selectOption('asinh');
    await page.getByTestId('colormap').selectOption('inferno');
    await page.screenshot({ path: screenshotPath('image-viewer') });
  });

  it('TSO view: the white-light curve has nints points and the transit dip', async () => {
    await page.getByTestId(`file-${path.basename(fx.whtlt)}`).click();
    await page.getByTestId('lc-count').waitFor();
    expect(Number(await page.getByTestId('lc-count').innerText())).toBe(fx.nints);
    const norm = JSON.parse(await page.getByTestId('lc-data').textContent() ?? '[]') as number[];
    expect(norm.length).toBe(fx.nints);
    expect(norm[0]).toBeCloseTo(1, 9);
    expect(norm[fx.dipStart]).toBeCloseTo(1 - fx.depth, 9);
    expect(Math.min(...norm)).toBeCloseTo(1 - fx.depth, 9);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('tso-view') });
  });

  it('CRDS manager lists the demo cache and the effective context', async () => {
    await page.getByTestId('tab-crds').click();
    await expect.poll(() => page.getByTestId('crds-context').innerText()).toBe('jwst_9002.pmap');
    await expect.poll(() => page.getByTestId('crds-cache').innerText()).toContain('jwst_9002.pmap');
    const table = await page.getByTestId('crds-cache').innerText();
    for (const f of ['jwst_9001.pmap', 'jwst_9002.pmap', 'jwst_miri_dark_9102.fits']) expect(table).toContain(f);
    expect(await page.getByTestId('crds-online').innerText()).toContain('offline');
    await page.screenshot({ path: screenshotPath('crds-manager'), fullPage: true });
  });

  it('pipeline panel: toggle a step off and run to 100% (when the engine is available)', async () => {
    await page.getByTestId(`file-${path.basename(fx.rateints)}`).click();
    await page.getByTestId('tab-pipeline').click();
    const unavailable = page.getByTestId('engine-unavailable');
    const start = page.getByTestId('run-start');
    await Promise.race([unavailable.waitFor(), start.waitFor()]);
    await page.screenshot({ path: screenshotPath('pipeline-panel'), fullPage: true });
    if (await unavailable.isVisible()) {
      expect(await unavailable.innerText()).toMatch(/engine not available/);
      return;
    }
    const boxes = page.locator('[data-testid^="step-"]');
    if (await boxes.count()) await boxes.nth(0).uncheck();
    await start.click();
    // The run ends either at 100% or with a readable error naming what failed (shown, never silent).
    await expect.poll(async () => (await page.getByTestId('run-history').innerText()).match(/\b(finished|failed|cancelled)\b/)?.[1] ?? '', { timeout: 150_000 }).not.toBe('');
    const state = (await page.getByTestId('run-history').innerText()).match(/\b(finished|failed|cancelled)\b/)![1];
    await page.screenshot({ path: screenshotPath('pipeline-run'), fullPage: true });
    if (state === 'finished') expect(await page.getByTestId('run-progress').innerText()).toBe('100%');
    else {
      console.warn(`browser test: the ${state} run said: ${await page.getByTestId('run-error').innerText()}`);
      expect((await page.getByTestId('run-error').innerText()).length).toBeGreaterThan(10);
    }
  }, 180_000);

  it('no page errors (CSP violations included)', () => {
    expect(pageErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
