/** `webbdesk serve` security and protocol: token, Host/Origin, CSP, traversal, unknown methods and channels, WS calls and events. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../core/crds/config.node.ts';
import { WebbDeskService } from '../../core/api/service.node.ts';
import { startServer, type RunningServer } from '../../core/api/http.node.ts';
import { createClient } from '../../core/api/transport.ts';
import { webSocketTransport } from '../../core/api/ws-client.ts';
import { decodeMessage, encodeMessage } from '../../core/api/wire.ts';
import { payloadView } from '../../core/api/arrays.ts';
import { WebbError } from '../../core/errors/index.ts';
import { makeDemoFixture, type DemoFixture } from './fixtures.ts';
import { fakeEngine } from './fake-engine.ts';
import { connectWs } from './node-ws.ts';

let dir: string, fx: DemoFixture, srv: RunningServer, base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'webbdesk-serve-'));
  fx = await makeDemoFixture(dir, 4);
  const stat = path.join(dir, 'static');
  mkdirSync(stat);
  writeFileSync(path.join(stat, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'outside.txt'), 'secret');
  const svc = new WebbDeskService({
    crdsConfig: () => resolveConfig({ HOME: dir, CRDS_PATH: fx.crdsPath, CRDS_MODE: 'local' }),
    engine: async () => ({ engine: fakeEngine() }), settingsFile: path.join(dir, 's.json'),
  });
  await svc['projects.open']({ path: fx.project });
  srv = await startServer(svc, svc.events, { staticDir: stat });
  base = `http://127.0.0.1:${srv.port}`;
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (method: string, body: unknown, token = srv.token) =>
  fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'X-WebbDesk-Token': token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('webbdesk serve', () => {
  it('prints a 127.0.0.1 URL with the token and refuses requests without it', async () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await post('projects.list', {}, 'x'.repeat(32))).status).toBe(401);
    const ok = await fetch(srv.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('sends a strict CSP, nosniff and no CORS headers on every response', async () => {
    for (const r of [await fetch(srv.url), await fetch(`${base}/`), await post('projects.list', {})]) {
      const csp = r.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${srv.port}`);
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
    const cross = await fetch(`${base}/api/projects.list`, { method: 'POST', headers: { 'X-WebbDesk-Token': srv.token, Origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
  });

  it('refuses traversal (API and static files) and unknown methods', async () => {
    const r = await post('files.hdus', { path: `${fx.project}/../outside.txt` });
    expect(r.status).toBe(403);
    expect((decodeMessage(new Uint8Array(await r.arrayBuffer())) as { error: { code: string } }).error.code).toBe('access-denied');
    expect((await fetch(`${base}/..%2Foutside.txt?token=${srv.token}`)).status).toBe(403);
    expect((await fetch(`${base}/%2e%2e/outside.txt?token=${srv.token}`)).status).not.toBe(200);
    const u = await post('fs.readFile', { path: '/etc/passwd' });
    expect(u.status).toBe(404);
    expect((decodeMessage(new Uint8Array(await u.arrayBuffer())) as { error: { code: string } }).error.code).toBe('unknown-method');
    expect((await post('projects.list', { junk: 1 })).status).toBe(400);
  });

  it('WebSocket: token required, calls with binary arrays, events, unknown channel closes', async () => {
    await expect(connectWs(`${base}/ws`)).rejects.toThrow(/401/);
    await expect(connectWs(`${base}/ws?token=${srv.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const ws = await connectWs(`${base}/ws?token=${srv.token}`);
    const api = createClient(webSocketTransport(ws));
    const plane = await api.call('files.plane', { path: fx.rateints, hdu: 'SCI', leading: [1] });
    expect(plane.shape).toEqual([416, 72]);
    expect(payloadView(plane).length).toBe(416 * 72);
    await expect(api.call('files.hdus', { path: '/etc/passwd' })).rejects.toBeInstanceOf(WebbError);
    await expect(api.call('nope' as never, {} as never)).rejects.toMatchObject({ code: 'unknown-method' });
    const done = new Promise<string>((resolve) => api.on('onDidFinishRun', (r) => resolve(r.state)));
    await api.call('runs.start', { path: fx.rateints, step: 'jump' });
    expect(await done).toBe('finished');
    ws.send(encodeMessage({ t: 'subscribe', id: 1 }));
    expect(await ws.closed).toBe(1008);
  });
});
