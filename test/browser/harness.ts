/**
 * Browser-test harness: builds the renderer when dist/renderer is missing or
 * older than renderer/, makes the demo project (`webbdesk demo`), starts
 * `webbdesk serve` on it, and
 * launches Debian's Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../shared.ts';

export const CHROMIUM = process.env.WEBBDESK_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
if (!HAVE_CHROMIUM && process.env.CI) throw new Error(`browser tests need ${CHROMIUM} under CI (apt-get install chromium)`);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/renderer unless it is newer than every renderer source. */
export async function ensureRendererBuilt(): Promise<string> {
  const out = path.join(REPO_ROOT, 'dist', 'renderer');
  const index = path.join(out, 'index.html');
  const srcT = Math.max(newest(path.join(REPO_ROOT, 'renderer')), newest(path.join(REPO_ROOT, 'core', 'api')));
  if (existsSync(index) && statSync(index).mtimeMs >= srcT) return out;
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO_ROOT, 'build', 'vite-renderer.config.ts'), logLevel: 'warn' });
  return out;
}

export interface Served { proc: ChildProcess; url: string; port: number; token: string; stop(): Promise<void> }

/** `webbdesk serve --project DIR` as a child process; resolves with the printed URL. */
export function serve(project: string, env: Record<string, string>): Promise<Served> {
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'webbdesk.js'), 'serve', '--project', project], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += String(d); });
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`serve did not print a URL: ${out} ${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({
          proc, url: m[1], port: Number(m[2]), token: m[3],
          stop: () => new Promise((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); }),
        });
      }
    });
    proc.once('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
  });
}

/**
 * `webbdesk demo DIR --nints N --ngroups G` as a child process (simulate +
 * detector1 -> spec2 -> tso3); rejects with its stderr. A bright star (K=7)
 * keeps the transit visible in so short an exposure (at the default K=9 the
 * white-light scatter per integration is about the depth).
 */
export function runDemo(dir: string, nints: number, ngroups: number): Promise<string> {
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'webbdesk.js'), 'demo', dir, '--nints', String(nints), '--ngroups', String(ngroups), '--kmag', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => { out += String(d); });
  proc.stderr!.on('data', (d) => { out += String(d); });
  return new Promise((resolve, reject) => proc.once('exit', (c) => (c === 0 ? resolve(out) : reject(new Error(`webbdesk demo exited ${c}:\n${out}`)))));
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/** A demo project served to a fresh Chromium profile: what each browser test file starts from. */
export interface Workstation {
  readonly dir: string;
  readonly project: string;
  readonly srv: Served;
  readonly browser: BrowserContext;
  readonly page: Page;
  /** Page errors and console errors seen so far. */
  readonly pageErrors: string[];
  /** The demo file ending in `suffix` (the shortest name: the exposure's own, not a run's). */
  file(suffix: string): string;
  /** CSS position in the image canvas of array pixel (x, y), from the viewer's test hook. */
  cssOf(x: number, y: number): Promise<{ x: number; y: number }>;
  close(): Promise<void>;
}

/**
 * Make the demo (`webbdesk demo --nints N --ngroups G --kmag 7`) in a temp
 * folder while the renderer builds, let `prepare` add files, serve it without
 * CRDS variables (serve must use the project's own crds_cache), and open it.
 */
export async function openWorkstation(
  prefix: string, nints: number, ngroups: number, opts: { prepare?: (project: string) => void; acceptDownloads?: boolean } = {},
): Promise<Workstation> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const project = path.join(dir, 'demo');
  await Promise.all([ensureRendererBuilt(), runDemo(project, nints, ngroups)]);
  opts.prepare?.(project);
  const srv = await serve(project, { CRDS_PATH: '', CRDS_CONTEXT: '', CRDS_MODE: '', WEBBDESK_SETTINGS: path.join(dir, 'settings.json'), HOME: dir });
  const browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, acceptDownloads: opts.acceptDownloads ?? false });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(srv.url);
  type ViewHook = { __imageView: { cssOf(x: number, y: number): { x: number; y: number } } };
  return {
    dir, project, srv, browser, page, pageErrors,
    file(suffix) {
      const f = readdirSync(project).filter((n) => n.endsWith(suffix)).sort((a, b) => a.length - b.length)[0];
      if (!f) throw new Error(`the demo wrote no *${suffix}`);
      return path.join(project, f);
    },
    cssOf: (x, y) => page.evaluate(([px, py]) => (globalThis as unknown as ViewHook).__imageView.cssOf(px!, py!), [x, y]),
    async close() {
      await browser.close();
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
