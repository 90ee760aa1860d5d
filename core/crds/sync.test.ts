import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrdsError } from '../errors/index.ts';
import { readServerInfo } from './config.node.ts';
import { readCatalog } from './cache-catalog.node.ts';
import { sync, type SyncProgress } from './sync.node.ts';
import { crdsSyncCommand, crdsVerifyCommand } from '../cli/crds-cache.ts';
import { filesUnder, makeHarness, runCliChild, runCliHere, type Harness } from '../../test/crds-server/harness.ts';
import { REPO_ROOT } from '../../test/shared.ts';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

/** Where each fixture file must land in an "instrument" layout cache. */
function expectedPaths(names: readonly string[]): string[] {
  return names.map((n) => (/\.[pir]map$/.test(n) ? join('mappings', 'jwst', n) : join('references', 'jwst', n.split('_')[1]!, n))).sort();
}

function cacheFiles(): string[] {
  return filesUnder(h.cachePath).filter((p) => !p.startsWith('config'));
}

function expectCacheHolds(names: readonly string[]): void {
  expect(cacheFiles()).toEqual(expectedPaths(names));
  for (const [rel, name] of expectedPaths(names).map((p) => [p, p.split('/').pop()!] as const)) {
    expect(sha1(readFileSync(join(h.cachePath, rel))), name).toBe(sha1(h.fixture.files.get(name)!));
  }
}

describe('sync', () => {
  it('fetches a context closure and its references into an empty cache, verified', async () => {
    const events: SyncProgress[] = [];
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true, onProgress: (p) => events.push(p) });
    const all = [...h.fixture.mappings9001, ...h.fixture.references9001];
    expect(r.online).toBe(true);
    expect(r.failed).toEqual([]);
    expect([...r.downloaded].sort()).toEqual([...all].sort());
    expectCacheHolds(all);
    const last = events.at(-1)!;
    expect(last.filesDone).toBe(last.filesTotal);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBe(all.reduce((s, n) => s + h.fixture.files.get(n)!.length, 0));
    // The operational context is recorded the crds way, readable by config.node.ts.
    const info = readServerInfo(h.config());
    expect(info?.operationalContext).toBe('jwst_9002.pmap');
    expect(info?.server).toBe(h.server.url);
    expect(existsSync(join(h.cachePath, 'config', 'jwst', 'bad_files.txt'))).toBe(true);
    const catalog = await readCatalog(h.config().configDir);
    expect(catalog[h.fixture.bigFile]?.sha1sum).toBe(sha1(h.fixture.files.get(h.fixture.bigFile)!));
    // A second run fetches nothing.
    const again = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    expect(again.downloaded).toEqual([]);
    expect(again.skipped.length).toBe(all.length);
  });

  it('syncs only mappings by default, and exactly --files on request', async () => {
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], files: ['jwst_nirspec_superbias_9101.fits'] });
    expect(r.failed).toEqual([]);
    expectCacheHolds([...h.fixture.mappings9001, 'jwst_nirspec_superbias_9101.fits']);
  });

  it('uses the server default context when none is given', async () => {
    const r = await sync({ config: h.config() });
    expect(r.contexts).toEqual(['jwst_9002.pmap']);
    expectCacheHolds(h.fixture.mappings9002);
  });

  it('leaves neither a partial file nor a temporary when the connection drops mid-file, and the next run completes', async () => {
    h.server.faults.drop = { file: h.fixture.bigFile, afterBytes: 100_000 };
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    expect(r.failed.map((f) => f.file)).toEqual([h.fixture.bigFile]);
    expect(r.failed[0]!.message).toMatch(/broke off|bytes/);
    expect(h.server.downloads(h.fixture.bigFile)).toBe(2); // one retry
    const present = cacheFiles();
    expect(present.some((p) => p.includes(h.fixture.bigFile))).toBe(false);
    expect(filesUnder(h.cachePath).filter((p) => p.split('/').pop()!.startsWith('.'))).toEqual([]);
    delete h.server.faults.drop;
    const before = h.server.downloads();
    const r2 = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    expect(r2.downloaded).toEqual([h.fixture.bigFile]);
    expect(h.server.downloads() - before).toBe(1);
    expectCacheHolds([...h.fixture.mappings9001, ...h.fixture.references9001]);
  });

  it('a sync killed mid-file leaves only a hidden temporary, which the next sync removes while completing', async () => {
    h.server.faults.stall = { file: h.fixture.bigFile, afterBytes: 50_000, ms: 20_000 };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'webbdesk.js'), 'crds', 'sync', '--contexts', 'jwst_9001.pmap', '--fetch-references'], {
      env: { PATH: process.env.PATH ?? '', ...h.env() }, stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    const isTemp = (p: string): boolean => p.split('/').pop()!.startsWith(`.${h.fixture.bigFile}.`) && p.endsWith('.part');
    try {
      const deadline = Date.now() + 20_000;
      while (!filesUnder(h.cachePath).some(isTemp) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(filesUnder(h.cachePath).some(isTemp)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(cacheFiles().some((p) => p.endsWith(`/${h.fixture.bigFile}`))).toBe(false);
    delete h.server.faults.stall;
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    expect(r.failed).toEqual([]);
    expect(r.downloaded).toContain(h.fixture.bigFile);
    expect(filesUnder(h.cachePath).filter((p) => p.includes('.part'))).toEqual([]);
    expectCacheHolds([...h.fixture.mappings9001, ...h.fixture.references9001]);
  });

  it('rejects a download with a wrong byte (sha1 mismatch) and keeps nothing of it', async () => {
    h.server.faults.corrupt = { file: 'jwst_miri_dark_9101.fits', offset: 3000 };
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true, retries: 0 });
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatchObject({ file: 'jwst_miri_dark_9101.fits' });
    expect(r.failed[0]!.message).toMatch(/sha1sum .* does not match the server's/);
    expect(cacheFiles().some((p) => p.endsWith('jwst_miri_dark_9101.fits'))).toBe(false);
    expect(filesUnder(h.cachePath).filter((p) => p.includes('.part'))).toEqual([]);
  });

  it('stops on cancel without leaving temporaries', async () => {
    h.server.faults.delay = { ms: 300, file: h.fixture.bigFile };
    const ac = new AbortController();
    const p = sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true, signal: ac.signal, onProgress: (e) => { if (e.file === h.fixture.bigFile || e.filesDone > 8) ac.abort(); } });
    setTimeout(() => ac.abort(), 150);
    await expect(p).rejects.toThrow(/cancel/);
    await new Promise((r) => setTimeout(r, 400));
    expect(filesUnder(h.cachePath).filter((x) => x.includes('.part'))).toEqual([]);
  });

  it('verify --sha1 finds a corrupted cached file and sync --repair fixes it', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    const victim = join(h.cachePath, 'references', 'jwst', 'miri', 'jwst_miri_dark_9101.fits');
    const bytes = readFileSync(victim);
    bytes[3000] ^= 0x55;
    writeFileSync(victim, bytes);
    const v = await runCliHere(crdsVerifyCommand, ['--sha1'], h.env());
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/BAD jwst_miri_dark_9101\.fits: sha1sum/);
    // Without --repair a same-size file is left alone (resume is by size).
    expect((await runCliHere(crdsSyncCommand, ['--contexts', 'jwst_9001.pmap', '--fetch-references'], h.env())).code).toBe(0);
    expect(readFileSync(victim)).toEqual(bytes);
    const s = await runCliHere(crdsSyncCommand, ['--contexts', 'jwst_9001.pmap', '--fetch-references', '--repair'], h.env());
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/1 repaired/);
    expect(sha1(readFileSync(victim))).toBe(sha1(h.fixture.files.get('jwst_miri_dark_9101.fits')!));
    expect((await runCliHere(crdsVerifyCommand, ['--sha1'], h.env())).code).toBe(0);
  });

  it('fetches a truncated cached file again even without --repair', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    const p = join(h.cachePath, 'mappings', 'jwst', 'jwst_miri_9101.imap');
    writeFileSync(p, 'header = {');
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    expect(r.repaired).toEqual(['jwst_miri_9101.imap']);
    expectCacheHolds(h.fixture.mappings9001);
  });

  it('--json-progress prints one JSON object per line', async () => {
    const r = await runCliHere(crdsSyncCommand, ['--contexts', 'jwst_9001.pmap', '--json-progress'], h.env());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ done: true, online: true });
    expect(lines.filter((l) => l.action === 'downloaded')).toHaveLength(h.fixture.mappings9001.length);
    expect(lines[0]).toHaveProperty('bytesTotal');
  });
});

describe('sync offline and with an unreachable server', () => {
  it('works from the cache offline and names what is missing, per context', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], files: ['jwst_miri_dark_9101.fits'] });
    await h.server.close();
    // What the cache holds still syncs (nothing to do).
    const ok = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    expect(ok.online).toBe(false);
    expect(ok.failed).toEqual([]);
    // References that are missing are named, with the context that needs them.
    const e = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CrdsError);
    const msg = (e as CrdsError).message;
    expect(msg).toMatch(/unreachable: ECONNREFUSED/);
    expect(msg).toContain('jwst_9001.pmap needs 4 file(s) not in the cache: jwst_miri_dark_9103.fits, jwst_miri_flat_9101.fits, jwst_nirspec_superbias_9101.fits, jwst_nirspec_superbias_9102.fits');
    // A context whose mappings are absent is named too; CRDS_MODE=local never touches the network.
    const e2 = await sync({ config: h.config({ CRDS_MODE: 'local' }), contexts: ['jwst_9002.pmap'] }).catch((x: unknown) => x);
    expect((e2 as CrdsError).message).toMatch(/offline \(CRDS_MODE=local\).*jwst_9002\.pmap needs 1 file\(s\) not in the cache: jwst_9002\.pmap/);
    // The server comes back: the same call completes.
    await h.restart();
    const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    expect(r.downloaded).toHaveLength(4);
  });

  it('gives a clear message and exit status 1 when the server is unreachable', async () => {
    await h.server.close();
    const remote = await runCliChild(['sync', '--contexts', 'jwst_9001.pmap'], h.env({ CRDS_MODE: 'remote' }));
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(new RegExp(`CRDS server ${h.server.url.replace(/[.]/g, '\\.')} unreachable: ECONNREFUSED`));
    const auto = await runCliHere(crdsSyncCommand, ['--contexts', 'jwst_9001.pmap'], h.env());
    expect(auto.code).toBe(1);
    expect(auto.stderr).toMatch(/offline \(CRDS server .* unreachable: ECONNREFUSED.*jwst_9001\.pmap needs 1 file\(s\) not in the cache: jwst_9001\.pmap/);
  });
});
