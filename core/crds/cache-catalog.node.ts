/**
 * Files WebbDesk keeps in the cache's config directory (`config/jwst/`):
 *
 * - `server_config` and `bad_files.txt`, written after each online sync the
 *   way the crds client does (heavy_client.cache_server_info): the server's
 *   `get_server_info` dict as a Python literal, URLs reduced to `{jwst: url}`,
 *   with `server`, `connected` and `status` added; this records the
 *   operational context for offline use.
 * - `webbdesk_verified_sha1.json`, the local catalog of checksums verified at
 *   download or import time, so `webbdesk crds verify` can check references
 *   offline: `{"format": "webbdesk-verified-sha1/1", "files": {name:
 *   {"sha1sum", "size", "verified" (ISO time), "source": "server" | "import"
 *   | "import-unverified"}}}`.
 *
 * Every write is temp file + rename; catalog updates run under the cache lock
 * (lock.node.ts) because they merge with what is on disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withCacheLock } from './lock.node.ts';

export const CATALOG_FILE = 'webbdesk_verified_sha1.json';
const CATALOG_FORMAT = 'webbdesk-verified-sha1/1';

export interface CatalogEntry {
  readonly sha1sum: string;
  readonly size: number;
  readonly verified: string;
  readonly source: 'server' | 'import' | 'import-unverified';
}

export type Catalog = Record<string, CatalogEntry>;

/** Write `data` to `path` through a unique temporary name in the same directory. */
export async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    await writeFile(tmp, data, { flush: true });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export async function readCatalog(configDir: string): Promise<Catalog> {
  try {
    const o = JSON.parse(await readFile(join(configDir, CATALOG_FILE), 'utf8')) as { format?: string; files?: Catalog };
    return o.format === CATALOG_FORMAT && o.files && typeof o.files === 'object' ? o.files : {};
  } catch {
    return {};
  }
}

/** Merge entries into the catalog (and drop `remove`), under the cache lock. */
export async function updateCatalog(configDir: string, add: Readonly<Catalog>, remove: readonly string[] = []): Promise<void> {
  if (Object.keys(add).length === 0 && remove.length === 0) return;
  await withCacheLock(configDir, async () => {
    const files = { ...(await readCatalog(configDir)), ...add };
    for (const r of remove) delete files[r];
    const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]]));
    await atomicWrite(join(configDir, CATALOG_FILE), JSON.stringify({ format: CATALOG_FORMAT, files: sorted }, null, 1) + '\n');
  });
}

/** Record the server's info as the crds client does: server_config + bad_files.txt. */
export async function writeServerConfig(configDir: string, raw: Readonly<Record<string, unknown>>, badFiles: readonly string[]): Promise<void> {
  const info: Record<string, unknown> = { ...raw, connected: true, status: 'server' };
  delete info.download_metadata; // kept by crds, but it is ~1 MB of base64 WebbDesk never reads back
  await withCacheLock(configDir, async () => {
    await atomicWrite(join(configDir, 'server_config'), pyFormat(info) + '\n');
    await atomicWrite(join(configDir, 'bad_files.txt'), badFiles.join('\n') + (badFiles.length ? '\n' : ''));
  });
}

/**
 * Plain JSON-like data as a Python literal (dict keys sorted, one top-level
 * entry per line, like pprint), readable by `ast.literal_eval` and by
 * pyliteral.ts.
 */
export function pyFormat(v: unknown, top = true): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'None';
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v)) return '[' + v.map((x) => pyFormat(x, false)).join(', ') + ']';
  const entries = Object.keys(v as object).sort().map((k) => `${pyString(k)}: ${pyFormat((v as Record<string, unknown>)[k], false)}`);
  return top ? '{' + entries.join(',\n ') + '}' : '{' + entries.join(', ') + '}';
}

function pyString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}
