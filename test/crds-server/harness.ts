/**
 * Shared set-up for CRDS cache tests: a temp directory with the synthetic
 * fixture, a test server serving it (plus the real jwst_0500/0535/0541
 * mappings when the shared data is present), and helpers to run the
 * `webbdesk crds` subcommands in-process or as child processes.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { resolveConfig, type CrdsConfig } from '../../core/crds/config.node.ts';
import { REPO_ROOT, sharedPath } from '../shared.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { startCrdsTestServer, type TestCrdsServer, type TestServerOptions } from './server.ts';

export const REAL_MAPPINGS = sharedPath('external', 'crds-mappings', 'crds_cache', 'mappings', 'jwst');
export const HAVE_REAL_MAPPINGS = existsSync(REAL_MAPPINGS);

export interface Harness {
  readonly root: string;
  readonly fixture: Fixture;
  readonly server: TestCrdsServer;
  readonly cachePath: string;
  env(extra?: Record<string, string>): Record<string, string>;
  config(extra?: Record<string, string>): CrdsConfig;
  /** Restart the server at the same URL (after `server.close()`). */
  restart(): Promise<TestCrdsServer>;
  cleanup(): Promise<void>;
}

export async function makeHarness(opts: Partial<TestServerOptions> = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'webbdesk-crds-'));
  const fixture = buildFixture(join(root, 'served'));
  const dirs = [fixture.mappingsDir, fixture.referencesDir, ...(HAVE_REAL_MAPPINGS ? [REAL_MAPPINGS] : [])];
  const serverOpts: TestServerOptions = { dirs, defaultContext: 'jwst_9002.pmap', ...opts };
  let server = await startCrdsTestServer(serverOpts);
  const cachePath = join(root, 'cache');
  const h: Harness = {
    root,
    fixture,
    get server() { return server; },
    cachePath,
    env: (extra = {}) => ({ HOME: root, CRDS_PATH: cachePath, CRDS_SERVER_URL: server.url, CRDS_MODE: 'auto', ...extra }),
    config: (extra = {}) => resolveConfig(h.env(extra)),
    restart: async () => {
      server = await startCrdsTestServer({ ...serverOpts, port: server.port });
      return server;
    },
    cleanup: async () => {
      await server.close().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return h;
}

/** Every file under `dir`, relative paths, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export interface CliRun { code: number; stdout: string; stderr: string }

/** Run `webbdesk crds <args>` in a child process (bounded by `timeoutMs`). */
export function runCliChild(args: readonly string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'webbdesk.js'), 'crds', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`webbdesk crds ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Run a command function in-process with `env` as process.env (restored after). */
export async function runCliHere(cmd: (argv: readonly string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }) => Promise<number>, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('CRDS_')) delete process.env[k];
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  try {
    const code = await cmd(args, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    return { code, stdout, stderr };
  } catch (e) {
    if (e instanceof Error && 'code' in e) return { code: 1, stdout, stderr: stderr + e.message + '\n' };
    throw e;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
