import { afterEach, beforeEach, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { acquireCacheLock, LOCK_FILE, withCacheLock } from './lock.node.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'webbdesk-lock-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

/** A pid that surely no longer runs: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

it('serializes holders and removes the lock file after use', async () => {
  const order: string[] = [];
  await Promise.all([1, 2, 3].map((i) => withCacheLock(dir, async () => {
    order.push(`in${i}`);
    await new Promise((r) => setTimeout(r, 20));
    order.push(`out${i}`);
  })));
  for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('in', 'out'));
  expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
});

it('times out with a message naming the holder', async () => {
  const release = await acquireCacheLock(dir);
  await expect(acquireCacheLock(dir, { timeoutMs: 150 })).rejects.toThrow(new RegExp(`locked by process ${process.pid} on ${hostname()}.*webbdesk\\.lock.*delete that file`));
  await release();
});

it('breaks a stale lock left by a dead process, and an old one from another host', async () => {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), created: new Date().toISOString() }));
  const release = await acquireCacheLock(dir, { timeoutMs: 1000 });
  await release();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere', created: new Date(Date.now() - 3_600_000).toISOString() }));
  await (await acquireCacheLock(dir, { timeoutMs: 1000, staleMs: 60_000 }))();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere', created: new Date().toISOString() }));
  await expect(acquireCacheLock(dir, { timeoutMs: 100 })).rejects.toThrow(/locked by process 1 on elsewhere/);
  expect(readdirSync(dir).filter((n) => n.includes('stale'))).toEqual([]);
});

it('breaks an empty lock file once it is a few seconds old', async () => {
  const p = join(dir, LOCK_FILE);
  writeFileSync(p, '');
  const old = new Date(Date.now() - 10_000);
  utimesSync(p, old, old);
  await (await acquireCacheLock(dir, { timeoutMs: 1000 }))();
});
