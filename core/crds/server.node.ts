/**
 * Client for the CRDS server's JSON-RPC service and file downloads.
 *
 * Protocol (spacetelescope/crds docs `web_services.rst`, client `api.py`):
 * POST `<server>/json/` with `{"jsonrpc": "1.0", "method": m, "params": [...], "id": n}`;
 * the answer is `{"result": ..., "error": null | {"message": ...}, "id": n}`.
 * Large results may arrive "crds encoded" as
 * `{"crds_encoded": "1.0", "crds_payload": base64(zlib|gzip(json))}`.
 * Files come from `<server>/unchecked_get/{mappings,references}/jwst/<name>`
 * unless `get_server_info` names other base URLs.
 *
 * Plain node:http/https, no packages; every request has a timeout.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { unzipSync } from 'node:zlib';
import { CancelledError, CrdsError } from '../errors/index.ts';
import { isMappingName } from './cache-names.ts';

/** Catalog facts about one file, as the server reports them. */
export interface ServerFileInfo {
  readonly name: string;
  readonly sha1sum: string;
  /** Size in bytes. */
  readonly size: number;
  readonly instrument?: string;
  readonly filekind?: string;
  readonly state?: string;
  readonly rejected?: boolean;
  readonly blacklisted?: boolean;
}

/** The parts of `get_server_info` WebbDesk uses, plus the raw answer. */
export interface ServerInfo {
  readonly observatory: string;
  readonly operationalContext: string;
  readonly editContext?: string;
  readonly badFiles: readonly string[];
  /** Base URL (ending in '/') mappings are downloaded from. */
  readonly mappingUrl: string;
  /** Base URL (ending in '/') references are downloaded from. */
  readonly referenceUrl: string;
  /** sha1sum and size of every file, when the server sends `download_metadata`. */
  readonly downloadMetadata?: ReadonlyMap<string, { sha1sum: string; size: number }>;
  /**
   * The server's answer with the URLs reduced to `{jwst: url}` and `server`
   * added, which is the dictionary the crds client writes to
   * `config/jwst/server_config`.
   */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface CrdsServerOptions {
  /** Per request: connect and idle timeout in ms (default 30 s; CRDS's own 3600 s is too long for a desktop). */
  readonly timeoutMs?: number;
  readonly observatory?: string;
}

const FILE_INFO_FIELDS = ['sha1sum', 'size', 'instrument', 'filekind', 'state', 'rejected', 'blacklisted'];

export class CrdsServer {
  readonly url: string;
  readonly observatory: string;
  readonly timeoutMs: number;
  private nextId = 1;
  private info: Promise<ServerInfo> | undefined;

  constructor(url: string, options: CrdsServerOptions = {}) {
    if (!/^https?:\/\//.test(url)) {
      throw new CrdsError('crds-server-url', `CRDS server URL '${url}' must start with http:// or https://`, { parameter: 'CRDS_SERVER_URL' });
    }
    this.url = url.replace(/\/+$/, '');
    this.observatory = options.observatory ?? 'jwst';
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** One JSON-RPC call; returns `result` (crds-decoded) or throws CrdsError. */
  async call<T = unknown>(method: string, params: readonly unknown[], signal?: AbortSignal): Promise<T> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '1.0', method, params, id });
    // The crds client appends method/id/ to the URL so server logs show the call; the server ignores it.
    const res = await this.request('POST', `${this.url}/json/${method}/${id}/`, body, signal);
    const text = await readAll(res).catch((e: unknown) => {
      throw this.networkError(e, `reading the answer to ${method}`);
    });
    if (res.statusCode !== 200) {
      throw new CrdsError('crds-http', `CRDS server ${this.url} answered HTTP ${res.statusCode} to ${method}: ${text.toString('utf8').slice(0, 200)}`);
    }
    let reply: { result?: unknown; error?: { message?: string } | string | null };
    try {
      reply = JSON.parse(text.toString('utf8')) as typeof reply;
    } catch {
      throw new CrdsError('crds-rpc', `CRDS server ${this.url} sent an invalid JSON-RPC answer to ${method}: ${text.toString('utf8').slice(0, 200)}`);
    }
    if (reply.error) {
      const message = typeof reply.error === 'string' ? reply.error : (reply.error.message ?? JSON.stringify(reply.error));
      throw new CrdsError('crds-rpc', `CRDS server ${this.url}: ${method}(${params.map((p) => JSON.stringify(p)).join(', ').slice(0, 200)}) failed: ${unescapeHtml(message)}`);
    }
    return crdsDecode(reply.result) as T;
  }

  /** The context the server names as operational (`get_default_context(observatory)`). */
  async getDefaultContext(signal?: AbortSignal): Promise<string> {
    const ctx = await this.call<unknown>('get_default_context', [this.observatory], signal);
    if (typeof ctx !== 'string') throw new CrdsError('crds-rpc', `CRDS server ${this.url}: get_default_context returned ${JSON.stringify(ctx)}`);
    return ctx;
  }

  /** `get_server_info()`, normalized; cached for the life of this client. */
  getServerInfo(signal?: AbortSignal): Promise<ServerInfo> {
    this.info ??= this.call<Record<string, unknown>>('get_server_info', [], signal).then((r) => this.normalizeInfo(r));
    this.info.catch(() => { this.info = undefined; });
    return this.info;
  }

  /**
   * `get_file_info_map(observatory, files, fields)`: sha1sum, size,
   * instrument, filekind per file, for a list of names or for every file of
   * a context (string). Files the server does not know map to null.
   */
  async getFileInfoMap(files: readonly string[] | string, signal?: AbortSignal): Promise<Map<string, ServerFileInfo | null>> {
    const out = new Map<string, ServerFileInfo | null>();
    // A context stands for its whole closure: mappings and the references they name.
    const names = typeof files === 'string'
      ? [...(await this.getMappingClosure(files, signal)), ...(await this.getReferenceNames(files, signal))]
      : files;
    const sorted = [...new Set(names)].sort();
    for (let i = 0; i < sorted.length; i += 500) {
      const chunk = sorted.slice(i, i + 500);
      const r = await this.call<Record<string, unknown>>('get_file_info_map', [this.observatory, chunk, FILE_INFO_FIELDS], signal);
      for (const name of chunk) out.set(name, toFileInfo(name, r?.[name]));
    }
    return out;
  }

  /** `get_file_info(context, file)` for one file; null when unknown. */
  async getFileInfo(context: string, file: string, signal?: AbortSignal): Promise<ServerFileInfo | null> {
    try {
      return toFileInfo(file, await this.call('get_file_info', [context, file], signal));
    } catch (e) {
      if (e instanceof CrdsError && e.code === 'crds-rpc' && /not known/i.test(e.message)) return null;
      throw e;
    }
  }

  /** Every pmap/imap/rmap name a context needs, itself included (`get_mapping_names`). */
  async getMappingClosure(context: string, signal?: AbortSignal): Promise<string[]> {
    const names = await this.call<unknown>('get_mapping_names', [context], signal);
    if (!Array.isArray(names)) throw new CrdsError('crds-rpc', `CRDS server ${this.url}: get_mapping_names(${context}) returned ${JSON.stringify(names).slice(0, 100)}`);
    return names.map(String);
  }

  /** Every reference a context names (`get_reference_names`). */
  async getReferenceNames(context: string, signal?: AbortSignal): Promise<string[]> {
    const names = await this.call<unknown>('get_reference_names', [context], signal);
    if (!Array.isArray(names)) throw new CrdsError('crds-rpc', `CRDS server ${this.url}: get_reference_names(${context}) returned ${JSON.stringify(names).slice(0, 100)}`);
    return names.map(String);
  }

  /**
   * The server's best references for a header (keys are data-model paths such as
   * `META.INSTRUMENT.NAME` or FITS keywords). Values are file names, or
   * `NOT FOUND n/a` for a type that does not apply, or `NOT FOUND <why>`.
   * Meant for cross-checking answers computed from the local cache.
   */
  async getBestReferences(context: string, header: Readonly<Record<string, string | number | boolean>>, reftypes: readonly string[] | null = null, signal?: AbortSignal): Promise<Record<string, string>> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(header)) flat[k] = String(v);
    return this.call<Record<string, string>>('get_best_references', [context, flat, reftypes], signal);
  }

  /** `get_aui_best_references(date, ids)`: `{id: [ok, files | message]}`. */
  async getAuiBestReferences(date: string, datasetIds: readonly string[], signal?: AbortSignal): Promise<Record<string, [boolean, string[] | string]>> {
    return this.call('get_aui_best_references', [date, datasetIds], signal);
  }

  /** The download URL of a mapping or reference, from the server's info when it has been fetched. */
  async fileUrl(name: string, signal?: AbortSignal): Promise<string> {
    const info = await this.getServerInfo(signal).catch(() => null);
    const kind = isMappingName(name) ? 'mappings' : 'references';
    const base = info ? (kind === 'mappings' ? info.mappingUrl : info.referenceUrl) : `${this.url}/unchecked_get/${kind}/${this.observatory}/`;
    return base + encodeURIComponent(name);
  }

  /**
   * Start downloading a file; resolves with the response body stream once the
   * server has answered 200. The caller consumes (and checks) the bytes; a
   * dropped connection surfaces as an 'error' on the stream.
   */
  async download(name: string, signal?: AbortSignal): Promise<{ stream: Readable; contentLength: number | undefined; url: string }> {
    let url = await this.fileUrl(name, signal);
    let res = await this.request('GET', url, undefined, signal);
    // File URLs may redirect (to an archive or cloud store); follow a few hops like urllib does.
    for (let hops = 0; hops < 5 && [301, 302, 303, 307, 308].includes(res.statusCode ?? 0) && res.headers.location; hops++) {
      res.resume();
      url = new URL(res.headers.location, url).toString();
      res = await this.request('GET', url, undefined, signal);
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw new CrdsError('crds-download', `CRDS server ${this.url}: downloading ${name} from ${url} failed: HTTP ${res.statusCode}`, { file: name });
    }
    const len = res.headers['content-length'];
    return { stream: res, contentLength: len === undefined ? undefined : Number(len), url };
  }

  private normalizeInfo(r: Record<string, unknown>): ServerInfo {
    if (!r || typeof r !== 'object') throw new CrdsError('crds-rpc', `CRDS server ${this.url}: get_server_info returned ${JSON.stringify(r)}`);
    const obs = typeof r.observatory === 'string' ? r.observatory : this.observatory;
    const pickUrl = (v: unknown, kind: string): Record<string, string> => {
      // Server form: {checked: {jwst: u}, unchecked: {jwst: u}}; cached client form: {jwst: u}.
      const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
      const m = (o.unchecked && typeof o.unchecked === 'object' ? o.unchecked : o) as Record<string, unknown>;
      const u = typeof m[obs] === 'string' ? (m[obs] as string) : `${this.url}/unchecked_get/${kind}/${obs}/`;
      return { [obs]: u.endsWith('/') ? u : u + '/' };
    };
    const mappingUrl = pickUrl(r.mapping_url, 'mappings');
    const referenceUrl = pickUrl(r.reference_url, 'references');
    let meta: Map<string, { sha1sum: string; size: number }> | undefined;
    const dm = crdsDecode(r.download_metadata);
    if (dm && typeof dm === 'object' && !Array.isArray(dm)) {
      meta = new Map();
      for (const [name, v] of Object.entries(dm as Record<string, { sha1sum?: string; size?: string | number }>)) {
        if (v && typeof v === 'object' && v.sha1sum !== undefined && v.size !== undefined) meta.set(name, { sha1sum: String(v.sha1sum), size: Number(v.size) });
      }
    }
    const bad = Array.isArray(r.bad_files_list) ? r.bad_files_list.map(String)
      : typeof r.bad_files === 'string' ? r.bad_files.split(/\s+/).filter(Boolean) : [];
    const operational = typeof r.operational_context === 'string' ? r.operational_context : '';
    const raw: Record<string, unknown> = { ...r, mapping_url: mappingUrl, reference_url: referenceUrl, server: this.url };
    return {
      observatory: obs,
      operationalContext: operational,
      editContext: typeof r.edit_context === 'string' ? r.edit_context : undefined,
      badFiles: bad,
      mappingUrl: mappingUrl[obs]!,
      referenceUrl: referenceUrl[obs]!,
      downloadMetadata: meta,
      raw,
    };
  }

  private request(method: 'GET' | 'POST', url: string, body: string | undefined, signal?: AbortSignal): Promise<http.IncomingMessage> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const lib = url.startsWith('https:') ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: this.timeoutMs,
        signal,
      }, (res) => {
        // From here the body stream carries errors; keep an idle timeout on it,
        // removed again when the response ends (sockets are reused by keep-alive).
        const socket = res.socket;
        const onIdle = (): void => {
          res.destroy(new CrdsError('crds-timeout', `CRDS server ${this.url} stalled for ${this.timeoutMs / 1000} s (${url})`));
        };
        socket.setTimeout(this.timeoutMs);
        socket.on('timeout', onIdle);
        res.once('close', () => {
          socket.off('timeout', onIdle);
          socket.setTimeout(0);
        });
        resolve(res);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(signal?.aborted ? new CancelledError() : this.networkError(e, url)));
      req.end(body);
    });
  }

  private networkError(e: unknown, what: string): Error {
    if (e instanceof CrdsError || e instanceof CancelledError) return e;
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? err.message;
    // `what` (the URL or step) stays in the cause; the message is the one users see.
    return new CrdsError('crds-unreachable', `CRDS server ${this.url} unreachable: ${code}`, {}, { cause: Object.assign(new Error(`${what}: ${err.message}`), { cause: e }) });
  }
}

/** Decode a `crds_encode`d value (base64 of zlib- or gzip-compressed JSON); anything else is returned as is. */
export function crdsDecode(v: unknown): unknown {
  if (v && typeof v === 'object' && 'crds_encoded' in v && 'crds_payload' in v) {
    const payload = (v as { crds_payload: string }).crds_payload;
    return JSON.parse(unzipSync(Buffer.from(payload, 'base64')).toString('utf8'));
  }
  return v;
}

function toFileInfo(name: string, v: unknown): ServerFileInfo | null {
  if (!v || typeof v !== 'object') return null; // "NOT FOUND"
  const o = v as Record<string, unknown>;
  const flag = (x: unknown): boolean | undefined => (x === undefined ? undefined : x === true || String(x).toLowerCase() === 'true');
  return {
    name,
    sha1sum: typeof o.sha1sum === 'string' ? o.sha1sum : '',
    size: Number(o.size ?? NaN),
    instrument: typeof o.instrument === 'string' ? o.instrument : undefined,
    filekind: typeof o.filekind === 'string' ? o.filekind : undefined,
    state: typeof o.state === 'string' ? o.state : undefined,
    rejected: flag(o.rejected),
    blacklisted: flag(o.blacklisted),
  };
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(Object.assign(new Error('connection closed early'), { code: 'ECONNRESET' })));
  });
}

function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&');
}
