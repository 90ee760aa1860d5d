/**
 * `webbdesk serve`: the engine API over HTTP + WebSocket on 127.0.0.1.
 * - A random token is required on every request: `X-WebbDesk-Token` header,
 *   `?token=` query, or the HttpOnly SameSite=Strict cookie set when the page
 *   is first opened with `?token=`. The WebSocket upgrade needs it too.
 * - The Host header must name 127.0.0.1/localhost:PORT (DNS rebinding), the
 *   Origin (when sent) our own origin; no CORS headers are ever sent.
 * - Every response carries a strict CSP and X-Content-Type-Options: nosniff.
 * - POST /api/<method> (JSON args) and WebSocket messages {id, method, args}
 *   go through the same dispatcher (method allow-list + schema); replies are
 *   core/api/wire.ts messages so arrays stay binary. Events are pushed on
 *   every WebSocket.
 * - GET serves the built renderer from `staticDir` (confined to it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { dispatch, toWireError, type EventHub } from './transport.ts';
import type { ApiImplementation } from './types.ts';
import { acceptWebSocket, type WebSocketConnection } from './websocket.node.ts';
import { decodeMessage, encodeMessage } from './wire.ts';
import { inside } from './roots.node.ts';

export interface ServeOptions {
  readonly port?: number;
  readonly staticDir: string;
  readonly token?: string;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly token: string;
  readonly url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};
const MAX_BODY = 1024 * 1024;

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const h = req.headers['x-webbdesk-token'];
  if (typeof h === 'string') return h;
  const q = url.searchParams.get('token');
  if (q) return q;
  const m = /(?:^|;\s*)webbdesk_token=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '');
  return m?.[1];
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export async function startServer(impl: ApiImplementation, events: EventHub, opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticRoot = await realpath(opts.staticDir).catch(() => path.resolve(opts.staticDir));
  const sockets = new Set<WebSocketConnection>();
  let port = 0;
  const hostOk = (req: IncomingMessage): boolean => [`127.0.0.1:${port}`, `localhost:${port}`].includes(req.headers.host ?? '');
  const originOk = (req: IncomingMessage): boolean => !req.headers.origin || [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(req.headers.origin);

  const server = createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...securityHeaders(port), 'Content-Type': type, ...extra });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req)) return send(res, 421, 'text/plain; charset=utf-8', 'wrong Host header');
    if (!originOk(req)) return send(res, 403, 'text/plain; charset=utf-8', 'cross-origin requests are refused');
    if (!sameToken(tokenOf(req, url), token)) return send(res, 401, 'text/plain; charset=utf-8', 'missing or wrong token: open the URL webbdesk serve printed');
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'API calls are POST', { Allow: 'POST' });
      return api(req, res, decodeURIComponent(url.pathname.slice(5)));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed', { Allow: 'GET, HEAD' });
    const cookie: Record<string, string> = url.searchParams.get('token') ? { 'Set-Cookie': `webbdesk_token=${token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(staticRoot, rel);
    if (!inside(file, staticRoot) || rel.includes('\0')) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    let body: Buffer;
    try {
      const real = await realpath(file);
      if (!inside(real, staticRoot)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
      body = await readFile(real);
    } catch {
      if (rel === 'index.html') return send(res, 503, 'text/plain; charset=utf-8', `the renderer is not built (${staticRoot}/index.html missing): run npm run build`, cookie);
      return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    }
    send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', req.method === 'HEAD' ? '' : body, cookie);
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) return send(res, 413, 'text/plain; charset=utf-8', 'request too large');
      chunks.push(c as Buffer);
    }
    let reply: Uint8Array, status = 200;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const args: unknown = text ? JSON.parse(text) : {};
      reply = encodeMessage({ ok: true, value: await dispatch(impl, method, args) });
    } catch (e) {
      const w = e instanceof SyntaxError ? { name: 'WebbError', code: 'invalid-argument', message: `${method}: body is not JSON` } : toWireError(e);
      status = w.code === 'unknown-method' ? 404 : w.code === 'access-denied' ? 403 : w.code === 'invalid-argument' ? 400 : 200;
      reply = encodeMessage({ ok: false, error: w });
    }
    send(res, status, 'application/octet-stream', reply);
  }

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (code: number, why: string) => socket.end(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!hostOk(req) || !originOk(req)) return refuse(403, 'Forbidden');
    if (!sameToken(tokenOf(req, url), token)) return refuse(401, 'Unauthorized');
    const ws = acceptWebSocket(req, socket);
    if (!ws) return;
    sockets.add(ws);
    ws.onClose(() => sockets.delete(ws));
    ws.onMessage((data) => void onWsMessage(ws, data));
  });

  async function onWsMessage(ws: WebSocketConnection, data: Uint8Array): Promise<void> {
    let msg: { t?: unknown; id?: unknown; method?: unknown; args?: unknown };
    try {
      msg = decodeMessage(data) as typeof msg;
    } catch {
      return ws.close(1003, 'undecodable message');
    }
    // One channel only: calls. Anything else is refused and the socket closed.
    if (msg.t !== 'call' || typeof msg.id !== 'number') return ws.close(1008, `unknown channel ${JSON.stringify(String(msg.t).slice(0, 40))}`);
    try {
      ws.send(encodeMessage({ t: 'reply', id: msg.id, ok: true, value: await dispatch(impl, msg.method, msg.args) }));
    } catch (e) {
      ws.send(encodeMessage({ t: 'reply', id: msg.id, ok: false, error: toWireError(e) }));
    }
  }

  const off = events.onAny((event, payload) => {
    if (!sockets.size) return;
    const bytes = encodeMessage({ t: 'event', event, payload });
    for (const s of sockets) s.send(bytes);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    server, port, token, url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      off.dispose();
      for (const s of sockets) s.close(1001, 'server closing');
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
