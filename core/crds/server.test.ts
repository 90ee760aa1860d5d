import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CrdsError } from '../errors/index.ts';
import { CrdsServer, crdsDecode } from './server.node.ts';
import { makeHarness, type Harness } from '../../test/crds-server/harness.ts';
import { gzipSync, deflateSync } from 'node:zlib';

let h: Harness;
beforeAll(async () => { h = await makeHarness(); });
afterAll(async () => { await h.cleanup(); });

describe('CrdsServer (JSON-RPC client)', () => {
  it('asks for the default context and server info', async () => {
    const s = new CrdsServer(h.server.url);
    expect(await s.getDefaultContext()).toBe('jwst_9002.pmap');
    const info = await s.getServerInfo();
    expect(info.operationalContext).toBe('jwst_9002.pmap');
    expect(info.mappingUrl).toBe(`${h.server.url}/unchecked_get/mappings/jwst/`);
    expect(info.referenceUrl).toBe(`${h.server.url}/unchecked_get/references/jwst/`);
    expect(info.raw.mapping_url).toEqual({ jwst: info.mappingUrl });
    const big = h.fixture.files.get(h.fixture.bigFile)!;
    expect(info.downloadMetadata?.get(h.fixture.bigFile)).toEqual({ size: big.length, sha1sum: createHash('sha1').update(big).digest('hex') });
  });

  it('gets file info (unknown files map to null), closures and reference names', async () => {
    const s = new CrdsServer(h.server.url);
    const m = await s.getFileInfoMap(['jwst_miri_dark_9101.fits', 'jwst_nope_0001.fits']);
    expect(m.get('jwst_miri_dark_9101.fits')).toMatchObject({ instrument: 'miri', filekind: 'dark', size: h.fixture.files.get('jwst_miri_dark_9101.fits')!.length, rejected: false });
    expect(m.get('jwst_nope_0001.fits')).toBeNull();
    expect(await s.getMappingClosure('jwst_9001.pmap')).toEqual(h.fixture.mappings9001);
    expect((await s.getReferenceNames('jwst_9001.pmap')).sort()).toEqual(h.fixture.references9001);
    expect(await s.getFileInfo('jwst_9001.pmap', 'jwst_nope_0001.fits')).toBeNull();
  });

  it('turns an RPC error into a CrdsError naming the method and the server message', async () => {
    const s = new CrdsServer(h.server.url);
    const e = await s.getMappingClosure('jwst_0999.pmap').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CrdsError);
    expect((e as CrdsError).code).toBe('crds-rpc');
    expect((e as CrdsError).message).toMatch(/get_mapping_names.*jwst_0999\.pmap.*not a known CRDS/);
  });

  it('reports an unreachable server clearly', async () => {
    const s = new CrdsServer('http://127.0.0.1:1', { timeoutMs: 2000 });
    const e = await s.getDefaultContext().catch((x: unknown) => x);
    expect((e as CrdsError).code).toBe('crds-unreachable');
    expect((e as CrdsError).message).toMatch(/^CRDS server http:\/\/127\.0\.0\.1:1 unreachable: ECONNREFUSED/);
  });

  it('times out on a server that does not answer', async () => {
    h.server.faults.delay = { ms: 1500, count: 1 };
    const s = new CrdsServer(h.server.url, { timeoutMs: 300 });
    const t0 = Date.now();
    const e = await s.getDefaultContext().catch((x: unknown) => x);
    expect((e as CrdsError).code).toBe('crds-unreachable');
    expect((e as CrdsError).message).toMatch(/ETIMEDOUT/);
    expect(Date.now() - t0).toBeLessThan(1400);
    delete h.server.faults.delay;
  });

  it('streams a download', async () => {
    const s = new CrdsServer(h.server.url);
    const { stream, contentLength } = await s.download('jwst_9001.pmap');
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    expect(Buffer.concat(parts)).toEqual(h.fixture.files.get('jwst_9001.pmap'));
    expect(contentLength).toBe(h.fixture.files.get('jwst_9001.pmap')!.length);
    await expect(s.download('jwst_nope_0001.fits')).rejects.toThrow(/HTTP 404/);
  });

  it('gives file info for a whole context', async () => {
    const m = await new CrdsServer(h.server.url).getFileInfoMap('jwst_9002.pmap');
    expect([...m.keys()].sort()).toEqual([...h.fixture.mappings9002, ...h.fixture.references9002].sort());
    expect([...m.values()].every((i) => i && i.sha1sum.length === 40)).toBe(true);
  });

  it('follows redirects of file URLs', async () => {
    const r = await makeHarness({ redirectDownloads: true });
    try {
      const { stream, url } = await new CrdsServer(r.server.url).download(r.fixture.bigFile);
      const parts: Buffer[] = [];
      for await (const c of stream) parts.push(c as Buffer);
      expect(Buffer.concat(parts)).toEqual(r.fixture.files.get(r.fixture.bigFile));
      expect(url).toBe(`${r.server.url}/files/references/${r.fixture.bigFile}`);
      expect(r.server.log).toContain(`REDIRECT /unchecked_get/references/jwst/${r.fixture.bigFile}`);
    } finally {
      await r.cleanup();
    }
  });

  it('decodes crds_encoded payloads (gzip or zlib)', () => {
    const v = { a: [1, 'x'] };
    expect(crdsDecode({ crds_encoded: '1.0', crds_payload: gzipSync(JSON.stringify(v)).toString('base64') })).toEqual(v);
    expect(crdsDecode({ crds_encoded: '1.0', crds_payload: deflateSync(JSON.stringify(v)).toString('base64') })).toEqual(v);
    expect(crdsDecode('plain')).toBe('plain');
  });
});
