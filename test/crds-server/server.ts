/**
 * A real HTTP CRDS server for tests, on 127.0.0.1 and a random port. It
 * answers the JSON-RPC calls WebbDesk makes (get_default_context,
 * get_server_info, get_file_info_map, get_file_info, get_mapping_names,
 * get_reference_names, get_best_references when given a resolver) the way
 * the CRDS server does, and serves files at
 * `/unchecked_get/{mappings,references}/jwst/<name>` from plain directories.
 *
 * Fault injection (each fault has an optional `count`; absent = every time):
 * - drop:    send `afterBytes` of a file, then destroy the socket;
 * - stall:   send `afterBytes` of a file, then pause `ms` before the rest;
 * - corrupt: flip the byte at `offset` of a file as it is sent;
 * - delayMs: wait before answering any request (or only downloads of `file`).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { headerField, isMappingName, mappingNamesOf, referenceNamesOf } from '../../core/crds/cache-names.ts';

export type BestRefsResolver = (context: string, header: Record<string, string>, reftypes: string[] | null) => Record<string, string>;

export interface Fault { file?: string; count?: number }
export interface Faults {
  drop?: Fault & { afterBytes: number };
  /** Send `afterBytes` of a file, then pause `ms` before the rest. */
  stall?: Fault & { afterBytes: number; ms: number };
  corrupt?: Fault & { offset: number };
  delay?: Fault & { ms: number };
}

export interface TestServerOptions {
  /** Directories whose files are served (mappings and references, flat). */
  readonly dirs: readonly string[];
  readonly defaultContext: string;
  readonly badFiles?: readonly string[];
  readonly bestRefs?: BestRefsResolver;
  /** Reuse a port (to restart a stopped server at the same URL). */
  readonly port?: number;
  /** Answer unchecked_get with a 302 to `/files/<kind>/<name>`, as a server fronting an archive might. */
  readonly redirectDownloads?: boolean;
}

export interface TestCrdsServer {
  readonly url: string;
  readonly port: number;
  readonly faults: Faults;
  /** Every request as `METHOD path` or `RPC method`, in order. */
  readonly log: string[];
  downloads(name?: string): number;
  setDefaultContext(ctx: string): void;
  close(): Promise<void>;
}

interface Entry { path: string; size: number; sha1: string; instrument?: string; filekind?: string }

export async function startCrdsTestServer(opts: TestServerOptions): Promise<TestCrdsServer> {
  const files = new Map<string, Entry>();
  for (const dir of opts.dirs) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isFile()) continue;
      const data = readFileSync(path);
      files.set(name, { path, size: data.length, sha1: createHash('sha1').update(data).digest('hex') });
    }
  }
  const text = (name: string): string => readFileSync(files.get(name)!.path, 'utf8');
  // instrument / filekind: from mapping headers, and for references from the rmap naming them.
  for (const [name, e] of files) {
    if (!isMappingName(name)) continue;
    const t = text(name);
    e.instrument = headerField(t, 'instrument')?.toLowerCase();
    e.filekind = headerField(t, 'filekind')?.toLowerCase();
    if (name.endsWith('.rmap')) {
      for (const ref of referenceNamesOf(t)) {
        const r = files.get(ref);
        if (r) { r.instrument = e.instrument; r.filekind = e.filekind; }
      }
    }
  }
  let defaultContext = opts.defaultContext;
  const bad = new Set(opts.badFiles ?? []);
  const faults: Faults = {};
  const log: string[] = [];

  const closure = (ctx: string): string[] => {
    const seen = new Set<string>();
    const walk = (n: string): void => {
      if (seen.has(n)) return;
      if (!files.has(n)) throw new Error(`UnknownContextError: Context parameter '${n}' is not a known CRDS .pmap, .imap, or .rmap file.`);
      seen.add(n);
      for (const m of mappingNamesOf(text(n))) walk(m);
    };
    walk(ctx);
    return [...seen].sort();
  };
  const info = (name: string): Record<string, string> | string => {
    const e = files.get(name);
    if (!e) return 'NOT FOUND';
    return {
      name, sha1sum: e.sha1, size: String(e.size), instrument: e.instrument ?? '', filekind: e.filekind ?? '',
      state: 'archived', rejected: bad.has(name) ? 'true' : 'false', blacklisted: 'false',
      type: isMappingName(name) ? 'mapping' : 'reference', observatory: 'jwst',
    };
  };
  const take = (f: Fault | undefined, file?: string): boolean => {
    if (!f || (f.file !== undefined && f.file !== file)) return false;
    if (f.count !== undefined) {
      if (f.count <= 0) return false;
      f.count--;
    }
    return true;
  };

  const methods: Record<string, (p: unknown[], base: string) => unknown> = {
    get_default_context: () => defaultContext,
    get_server_info: (_p, base) => {
      const meta: Record<string, { sha1sum: string; size: string }> = {};
      for (const [n, e] of files) meta[n] = { sha1sum: e.sha1, size: String(e.size) };
      return {
        observatory: 'jwst',
        operational_context: defaultContext,
        edit_context: defaultContext,
        versions_context: defaultContext,
        bad_files_list: [...bad].sort(),
        force_remote_mode: 0,
        crds_version: { str: 'test', rev: '0', svnurl: '/' },
        last_refreshed: '2025-01-01 00:00:00',
        last_synced: new Date().toISOString().replace('T', ' ').slice(0, 26),
        context_history: [['2025-01-01 00:00:00', defaultContext, 'test server']],
        mappings: [...files.keys()].filter(isMappingName).sort(),
        max_headers_per_rpc: 1000,
        max_bestrefs_per_rpc: 1000,
        mapping_url: { checked: { jwst: `${base}/get/` }, unchecked: { jwst: `${base}/unchecked_get/mappings/jwst/` } },
        reference_url: { checked: { jwst: `${base}/get/` }, unchecked: { jwst: `${base}/unchecked_get/references/jwst/` } },
        download_metadata: { crds_encoded: '1.0', crds_payload: gzipSync(JSON.stringify(meta)).toString('base64') },
      };
    },
    get_file_info_map: (p) => {
      const [obs, names, fields] = p as [string, string[] | null, string[] | null];
      if (obs !== 'jwst') throw new Error(`InvalidObservatoryError: Mismatch between requested observatory '${obs}' and server observatory 'jwst'`);
      const out: Record<string, unknown> = {};
      for (const n of names ?? [...files.keys()]) {
        const i = info(n);
        out[n] = typeof i === 'string' || !fields ? i : Object.fromEntries(Object.entries(i).filter(([k]) => fields.includes(k)));
      }
      return out;
    },
    get_file_info: (p) => {
      const i = info(String(p[1]));
      if (typeof i === 'string') throw new Error(`UnknownFile: File '${String(p[1])}' is not known to CRDS.`);
      return i;
    },
    get_mapping_names: (p) => {
      const ctxs = Array.isArray(p[0]) ? (p[0] as string[]) : [String(p[0])];
      return [...new Set(ctxs.flatMap(closure))].sort();
    },
    get_reference_names: (p) => {
      const refs = new Set<string>();
      for (const m of closure(String(p[0]))) if (m.endsWith('.rmap')) for (const r of referenceNamesOf(text(m))) refs.add(r);
      return [...refs].sort();
    },
    get_best_references: (p) => {
      if (!opts.bestRefs) throw new Error('OtherError: get_best_references is not available on this test server');
      return opts.bestRefs(String(p[0]), p[1] as Record<string, string>, (p[2] as string[] | null) ?? null);
    },
  };

  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = req.url ?? '/';
    if (opts.redirectDownloads && url.startsWith('/unchecked_get/')) {
      log.push(`REDIRECT ${url}`);
      res.writeHead(302, { location: url.replace(/^\/unchecked_get\/(mappings|references)\/jwst\//, '/files/$1/') }).end();
      return;
    }
    const dl = /^\/(?:unchecked_get\/(mappings|references)\/jwst|files\/(mappings|references))\/([^/?]+)$/.exec(url);
    const delayed = take(faults.delay, dl ? decodeURIComponent(dl[3]!) : undefined);
    const go = (): void => {
      if (req.method === 'POST' && url.startsWith('/json/')) return void answerRpc(req, res, base);
      if (req.method === 'GET' && dl) return void sendFile(res, (dl[1] ?? dl[2])!, decodeURIComponent(dl[3]!));
      log.push(`${req.method} ${url}`);
      res.writeHead(404).end('not found');
    };
    if (delayed) setTimeout(go, faults.delay!.ms);
    else go();
  });

  function answerRpc(req: http.IncomingMessage, res: http.ServerResponse, base: string): void {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      let id: unknown = null;
      let reply: Record<string, unknown>;
      try {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { method: string; params: unknown[]; id: unknown };
        id = body.id;
        log.push(`RPC ${body.method}`);
        const fn = methods[body.method];
        if (!fn) throw new Error(`MethodNotFoundError: method '${body.method}' not found`);
        reply = { jsonrpc: '1.0', id, error: null, result: fn(body.params ?? [], base) };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        reply = { jsonrpc: '1.0', id, result: null, error: { name: message.split(':')[0], code: 500, message, data: null } };
      }
      const out = JSON.stringify(reply);
      res.writeHead(200, { 'content-type': 'application/json-rpc', 'content-length': Buffer.byteLength(out) }).end(out);
    });
  }

  function sendFile(res: http.ServerResponse, kind: string, name: string): void {
    log.push(`GET ${name}`);
    const e = files.get(name);
    if (!e || (kind === 'mappings') !== isMappingName(name)) {
      res.writeHead(404).end(`File '${name}' is not known to CRDS.`);
      return;
    }
    const data = Buffer.from(readFileSync(e.path));
    if (take(faults.corrupt, name)) data[faults.corrupt!.offset % data.length] ^= 0xff;
    const dropAt = take(faults.drop, name) ? Math.min(faults.drop!.afterBytes, data.length - 1) : -1;
    let stallAt = take(faults.stall, name) ? Math.min(faults.stall!.afterBytes, data.length - 1) : -1;
    const stallMs = faults.stall?.ms ?? 0;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    let pos = 0;
    const step = 16 * 1024;
    const pump = (): void => {
      while (pos < data.length) {
        if (dropAt >= 0 && pos >= dropAt) {
          res.socket?.destroy();
          return;
        }
        if (stallAt >= 0 && pos >= stallAt) {
          stallAt = -1;
          const t = setTimeout(pump, stallMs);
          res.once('close', () => clearTimeout(t));
          return;
        }
        const limit = [dropAt, stallAt].filter((x) => x > pos).reduce((a, b) => Math.min(a, b), data.length);
        const end = Math.min(pos + step, limit);
        const more = res.write(data.subarray(pos, end));
        pos = end;
        if (!more) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults,
    log,
    downloads: (name) => log.filter((l) => l.startsWith('GET ') && (name === undefined || l === `GET ${name}`)).length,
    setDefaultContext: (ctx) => { defaultContext = ctx; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
