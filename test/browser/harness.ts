/**
 * Browser-test harness: builds the renderer when dist/renderer is missing or
 * older than renderer/, makes the demo project (`webbdesk demo`), starts
 * `webbdesk serve` on it, and
 * launches Debian's Chromium through playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
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
