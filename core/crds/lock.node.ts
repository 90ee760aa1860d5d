/**
 * A small advisory lock for the read-modify-write updates of the cache's
 * config directory (the verified-sha1 catalog, server_config) and for prune
 * and import. Downloads themselves take no lock: every file is written to a
 * unique temporary name in its target directory and renamed into place, so a
 * reader sees either no file or a complete, verified one (see sync.node.ts).
 *
 * The lock is `config/jwst/webbdesk.lock`, created with O_EXCL and holding
 * `{pid, host, created}`. A lock whose process is gone (same host) or which
 * is older than `staleMs` is stale and is broken by renaming it away first,
 * so two waiters cannot both break it and then delete each other's fresh lock.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CrdsError } from '../errors/index.ts';

export const LOCK_FILE = 'webbdesk.lock';

export interface LockOptions {
  /** Give up after waiting this long (ms, default 30 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is stale whatever its pid (ms, default 10 min). */
  readonly staleMs?: number;
}

interface LockBody { pid: number; host: string; created: string }

/** Run `fn` holding the cache lock of `configDir`. */
export async function withCacheLock<T>(configDir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireCacheLock(configDir, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Take the lock; resolves with its release function. */
export async function acquireCacheLock(configDir: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const path = join(configDir, LOCK_FILE);
  await mkdir(configDir, { recursive: true });
  const mine: LockBody = { pid: process.pid, host: hostname(), created: new Date().toISOString() };
  const text = JSON.stringify(mine);
  const deadline = Date.now() + timeoutMs;
  let wait = 20;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(text);
      await fh.close();
      return async () => {
        // Remove only our own lock.
        const now = await readFile(path, 'utf8').catch(() => '');
        if (now === text) await unlink(path).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readFile(path, 'utf8').catch(() => null);
    if (held === null) continue; // released between our open and read
    const body = parseBody(held);
    // An unreadable lock is one being written right now, or one whose writer died
    // between create and write: stale once it is a few seconds old.
    const unreadableAge = body ? 0 : Date.now() - ((await stat(path).catch(() => null))?.mtimeMs ?? Date.now());
    if (body ? isStale(body, staleMs) : unreadableAge > 5_000) {
      await breakLock(path, held);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = body ? `process ${body.pid} on ${body.host} since ${body.created}` : 'an unreadable lock';
      throw new CrdsError('crds-locked', `the CRDS cache is locked by ${who} (${path}); if no WebbDesk process is running, delete that file`);
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 250);
  }
}

function parseBody(text: string): LockBody | null {
  try {
    const b = JSON.parse(text) as LockBody;
    return typeof b.pid === 'number' ? b : null;
  } catch {
    return null;
  }
}

function isStale(body: LockBody, staleMs: number): boolean {
  const age = Date.now() - Date.parse(body.created);
  if (Number.isFinite(age) && age > staleMs) return true;
  if (body.host !== hostname()) return false;
  return !processAlive(body.pid);
}

/** True when a process with this pid exists (EPERM means it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakLock(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke or released it
  }
  const got = await readFile(aside, 'utf8').catch(() => '');
  if (got !== staleText) {
    // We moved a fresh lock that replaced the stale one in between: put it back
    // unless yet another lock exists (link fails with EEXIST then).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}
