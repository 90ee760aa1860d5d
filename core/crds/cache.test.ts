import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importReferences, listCache, pruneCache, verifyCache, type CacheListEntry } from './cache.node.ts';
import { sync } from './sync.node.ts';
import { crdsImportCommand, crdsLsCommand, crdsPruneCommand, crdsVerifyCommand } from '../cli/crds-cache.ts';
import { filesUnder, makeHarness, runCliChild, runCliHere, type Harness } from '../../test/crds-server/harness.ts';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

let h: Harness;
beforeEach(async () => { h = await makeHarness(); });
afterEach(async () => { await h.cleanup(); });

async function fillBoth(): Promise<void> {
  const r = await sync({ config: h.config(), contexts: ['jwst_9001.pmap', 'jwst_9002.pmap'], fetchReferences: true });
  expect(r.failed).toEqual([]);
}

describe('ls', () => {
  it('lists files, sizes and the local contexts that need each (--json)', async () => {
    await fillBoth();
    const r = await runCliHere(crdsLsCommand, ['--json'], h.env());
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as CacheListEntry[];
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(by.get('jwst_miri_dark_9101.fits')?.contexts).toEqual(['jwst_9001.pmap']);
    expect(by.get('jwst_miri_dark_9102.fits')?.contexts).toEqual(['jwst_9002.pmap']);
    expect(by.get(h.fixture.bigFile)?.contexts).toEqual(['jwst_9001.pmap', 'jwst_9002.pmap']);
    expect(by.get('jwst_nirspec_9101.imap')?.contexts).toEqual(['jwst_9001.pmap', 'jwst_9002.pmap']);
    expect(by.get(h.fixture.bigFile)).toMatchObject({ kind: 'reference', instrument: 'miri', reftype: 'flat', size: h.fixture.files.get(h.fixture.bigFile)!.length });
    expect(entries).toHaveLength(new Set([...h.fixture.mappings9001, ...h.fixture.mappings9002, ...h.fixture.references9001, ...h.fixture.references9002]).size);
  });

  it('filters by instrument and reftype, and prints a table', async () => {
    await fillBoth();
    const darks = await listCache({ config: h.config(), instrument: 'MIRI', reftype: 'dark' });
    expect(darks.map((e) => e.name)).toEqual(['jwst_miri_dark_9101.fits', 'jwst_miri_dark_9101.rmap', 'jwst_miri_dark_9102.fits', 'jwst_miri_dark_9102.rmap', 'jwst_miri_dark_9103.fits']);
    const t = await runCliHere(crdsLsCommand, ['--instrument', 'nirspec'], h.env());
    expect(t.stdout).toMatch(/jwst_nirspec_superbias_9101\.fits\s+\S+ \S+\s+jwst_9001\.pmap jwst_9002\.pmap/);
    expect(t.stdout).toMatch(/^4 files, /m);
  });
});

describe('prune', () => {
  it('dry run lists exactly the files no kept context needs, with bytes; --yes removes exactly them', async () => {
    await fillBoth();
    const only9001 = ['jwst_9001.pmap', 'jwst_miri_9101.imap', 'jwst_miri_dark_9101.rmap', 'jwst_miri_dark_9101.fits', 'jwst_miri_dark_9103.fits'].sort();
    const bytes = only9001.reduce((s, n) => s + h.fixture.files.get(n)!.length, 0);
    const before = filesUnder(h.cachePath);
    const dry = await runCliHere(crdsPruneCommand, ['--keep-contexts', 'jwst_9002.pmap'], h.env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would remove 5 files`);
    expect(dry.stdout).toContain(`(${bytes} bytes)`);
    for (const n of only9001) expect(dry.stdout).toContain(`would remove ${n}`);
    expect(filesUnder(h.cachePath)).toEqual(before);
    const api = await pruneCache({ config: h.config(), keepContexts: ['jwst_9002.pmap'], dryRun: true });
    expect(api.files.map((f) => f.name).sort()).toEqual(only9001);
    expect(api.bytes).toBe(bytes);

    const yes = await runCliHere(crdsPruneCommand, ['--keep-contexts', 'jwst_9002.pmap', '--yes'], h.env());
    expect(yes.code).toBe(0);
    const after = filesUnder(h.cachePath);
    expect(before.filter((p) => !after.includes(p)).map((p) => p.split('/').pop()).sort()).toEqual(only9001);
    expect((await runCliHere(crdsVerifyCommand, ['--sha1'], h.env())).code).toBe(0);
  });

  it('refuses to prune when a kept context is not all local', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    await expect(pruneCache({ config: h.config(), keepContexts: ['jwst_9002.pmap'] })).rejects.toThrow(/closure of jwst_9002\.pmap is not all in the cache \(missing jwst_9002\.pmap\)/);
  });
});

describe('verify', () => {
  it('checks offline against the verified catalog and mapping headers', async () => {
    await fillBoth();
    await h.server.close();
    expect((await verifyCache({ config: h.config(), sha1: true })).problems).toEqual([]);
    const imap = join(h.cachePath, 'mappings', 'jwst', 'jwst_miri_9102.imap');
    writeFileSync(imap, readFileSync(imap, 'utf8').replace("'GAIN' : 'N/A'", "'GAIN' : 'N/B'"));
    const ref = join(h.cachePath, 'references', 'jwst', 'nirspec', 'jwst_nirspec_superbias_9101.fits');
    const b = readFileSync(ref);
    b[100] ^= 1;
    writeFileSync(ref, b);
    const r = await runCliHere(crdsVerifyCommand, ['--sha1'], h.env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BAD jwst_miri_9102\.imap: header sha1sum/);
    expect(r.stdout).toMatch(/BAD jwst_nirspec_superbias_9101\.fits: sha1sum/);
    expect(r.stderr).toMatch(/offline/);
  });

  it('online: names files the server does not know and wrong sizes', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'], fetchReferences: true });
    mkdirSync(join(h.cachePath, 'references', 'jwst', 'miri'), { recursive: true });
    writeFileSync(join(h.cachePath, 'references', 'jwst', 'miri', 'jwst_miri_foreign_0001.fits'), 'x');
    writeFileSync(join(h.cachePath, 'references', 'jwst', 'miri', 'jwst_miri_dark_9103.fits'), 'short');
    const r = await verifyCache({ config: h.config() });
    expect(r.online).toBe(true);
    expect(r.problems.map((p) => `${p.name}:${p.problem}`).sort()).toEqual(['jwst_miri_dark_9103.fits:size', 'jwst_miri_foreign_0001.fits:unknown']);
  });
});

describe('import', () => {
  it('imports references verified by the server into the cache layout', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    const drop = join(h.root, 'drop');
    mkdirSync(join(drop, 'sub'), { recursive: true });
    copyFileSync(join(h.fixture.referencesDir, 'jwst_miri_dark_9101.fits'), join(drop, 'jwst_miri_dark_9101.fits'));
    copyFileSync(join(h.fixture.referencesDir, 'jwst_nirspec_superbias_9102.fits'), join(drop, 'sub', 'jwst_nirspec_superbias_9102.fits'));
    const bad = Buffer.from(h.fixture.files.get('jwst_miri_dark_9103.fits')!);
    bad[10] ^= 1;
    writeFileSync(join(drop, 'jwst_miri_dark_9103.fits'), bad);
    writeFileSync(join(drop, 'notes.md'), 'hello');
    const r = await runCliHere(crdsImportCommand, [drop], h.env());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/imported jwst_miri_dark_9101\.fits -> .*references\/jwst\/miri\/jwst_miri_dark_9101\.fits \(verified by server\)/);
    expect(r.stdout).toMatch(/imported jwst_nirspec_superbias_9102\.fits/);
    expect(r.stdout).toMatch(/REJECTED jwst_miri_dark_9103\.fits: size\/sha1 .* do not match the CRDS server/);
    expect(r.stdout).toMatch(/skipped notes\.md/);
    const dest = join(h.cachePath, 'references', 'jwst', 'miri', 'jwst_miri_dark_9101.fits');
    expect(sha1(readFileSync(dest))).toBe(sha1(h.fixture.files.get('jwst_miri_dark_9101.fits')!));
    expect(existsSync(join(h.cachePath, 'references', 'jwst', 'miri', 'jwst_miri_dark_9103.fits'))).toBe(false);
    expect((await verifyCache({ config: h.config(), sha1: true })).problems).toEqual([]);
  });

  it('offline: accepts a readable file a local context names, rejects others', async () => {
    await sync({ config: h.config(), contexts: ['jwst_9001.pmap'] });
    await h.server.close();
    const drop = join(h.root, 'drop');
    mkdirSync(drop);
    copyFileSync(join(h.fixture.referencesDir, 'jwst_miri_dark_9103.fits'), join(drop, 'jwst_miri_dark_9103.fits'));
    copyFileSync(join(h.fixture.referencesDir, 'jwst_miri_dark_9102.fits'), join(drop, 'jwst_miri_dark_9102.fits')); // only 9002 names it
    writeFileSync(join(drop, 'jwst_nirspec_superbias_9101.fits'), 'not a fits file');
    const r = await importReferences(drop, { config: h.config() });
    expect(r.imported.map((f) => `${f.name}:${f.verifiedBy}`)).toEqual(['jwst_miri_dark_9103.fits:local-context']);
    expect(r.rejected.map((f) => f.name).sort()).toEqual(['jwst_miri_dark_9102.fits', 'jwst_nirspec_superbias_9101.fits']);
    expect(r.rejected.find((f) => f.name === 'jwst_nirspec_superbias_9101.fits')?.reason).toMatch(/not a FITS file/);
    // Imported files get a catalog entry, so offline verify can check them later.
    expect((await verifyCache({ config: h.config(), sha1: true })).unverifiable).toEqual([]);
  });
});

describe('concurrent syncs into one cache', () => {
  it('two CLI processes and one in-process sync end with a complete, verified cache', async () => {
    // Slow every download a little so the three runs overlap on the same files.
    h.server.faults.delay = { ms: 150 };
    const args = ['sync', '--contexts', 'jwst_9001.pmap', 'jwst_9002.pmap', '--fetch-references'];
    const [a, b, c] = await Promise.all([
      runCliChild(args, h.env(), 60_000),
      runCliChild(args, h.env(), 60_000),
      sync({ config: h.config(), contexts: ['jwst_9001.pmap', 'jwst_9002.pmap'], fetchReferences: true, concurrency: 2 }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(c.failed).toEqual([]);
    delete h.server.faults.delay;
    const all = new Set([...h.fixture.mappings9001, ...h.fixture.mappings9002, ...h.fixture.references9001, ...h.fixture.references9002]);
    // The runs really overlapped: some files were fetched by more than one of them.
    expect(h.server.downloads()).toBeGreaterThan(all.size);
    const names = filesUnder(h.cachePath).filter((p) => !p.startsWith('config')).map((p) => p.split('/').pop()!);
    expect(names.sort()).toEqual([...all].sort());
    expect(filesUnder(h.cachePath).filter((p) => p.includes('.part') || p.endsWith('.lock'))).toEqual([]);
    const v = await verifyCache({ config: h.config(), sha1: true });
    expect(v.problems).toEqual([]);
    const catalog = JSON.parse(readFileSync(join(h.cachePath, 'config', 'jwst', 'webbdesk_verified_sha1.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(catalog.files).sort()).toEqual([...all].sort());
  });
});

describe('child-process CLI', () => {
  it('runs ls and verify as separate processes', async () => {
    await fillBoth();
    const ls = await runCliChild(['ls', '--json', '--reftype', 'superbias'], h.env());
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as CacheListEntry[]).map((e) => e.name)).toEqual(['jwst_nirspec_superbias_9101.fits', 'jwst_nirspec_superbias_9101.rmap', 'jwst_nirspec_superbias_9102.fits']);
    const v = await runCliChild(['verify'], h.env());
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/files checked, 0 bad/);
  });
});
