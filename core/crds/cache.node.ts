/**
 * Cache management as API functions (the CLI in core/cli/crds-cache.ts and
 * later the UI call these): list, verify, prune, import. All of them work
 * offline; verify and import use the server's catalog when it can be reached
 * (CRDS_MODE auto/remote), else the verified-sha1 catalog kept in
 * config/jwst/ (cache-catalog.node.ts) and the checksums mappings carry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CrdsError } from '../errors/index.ts';
import { mappingPath, referencePath, referenceTargetPath, resolveConfig, type CrdsConfig } from './config.node.ts';
import { isMappingName, isPlainFileName, isReferenceName } from './cache-names.ts';
import { readCatalog, updateCatalog, type Catalog, type CatalogEntry } from './cache-catalog.node.ts';
import { contextIndex, describeFile, listCachedFiles, localClosure, removeStaleTemporaries, type CachedFile } from './cache-index.node.ts';
import { withCacheLock } from './lock.node.ts';
import { CrdsServer, type ServerInfo } from './server.node.ts';
import { sha1File } from './sync.node.ts';

export interface CacheOptions {
  readonly config?: CrdsConfig;
  readonly server?: CrdsServer;
  readonly signal?: AbortSignal;
}

/** The server's info when the mode allows and it answers; undefined offline (with why). */
async function tryServer(config: CrdsConfig, opts: CacheOptions): Promise<{ server?: CrdsServer; info?: ServerInfo; why?: string }> {
  if (config.mode === 'local') return { why: 'CRDS_MODE=local' };
  const server = opts.server ?? new CrdsServer(config.serverUrl);
  try {
    return { server, info: await server.getServerInfo(opts.signal) };
  } catch (e) {
    if (e instanceof CrdsError && e.code === 'crds-unreachable' && config.mode !== 'remote') return { why: e.message };
    throw e;
  }
}

/** Size and sha1 the server lists for some files (download_metadata, else get_file_info_map); null = unknown to it. */
async function serverExpectations(server: CrdsServer, info: ServerInfo, names: readonly string[], signal?: AbortSignal): Promise<Map<string, { size: number; sha1sum: string } | null>> {
  const out = new Map<string, { size: number; sha1sum: string } | null>();
  const ask: string[] = [];
  for (const n of names) {
    const m = info.downloadMetadata?.get(n);
    if (m) out.set(n, m);
    else ask.push(n);
  }
  if (ask.length) for (const [n, i] of await server.getFileInfoMap(ask, signal)) out.set(n, i ? { size: i.size, sha1sum: i.sha1sum } : null);
  return out;
}

// ---------------------------------------------------------------- ls

export interface CacheListEntry {
  readonly name: string;
  readonly kind: 'mapping' | 'reference';
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  readonly instrument?: string;
  readonly reftype?: string;
  /** Local .pmap contexts whose closure includes the file (empty: no local context needs it). */
  readonly contexts: readonly string[];
}

/** Files in the cache with sizes and the local contexts that need each. */
export async function listCache(opts: CacheOptions & { instrument?: string; reftype?: string } = {}): Promise<CacheListEntry[]> {
  const config = opts.config ?? resolveConfig();
  const { neededBy, refInfo } = contextIndex(config);
  const inst = opts.instrument?.toLowerCase();
  const rt = opts.reftype?.toLowerCase();
  const out: CacheListEntry[] = [];
  for (const f of await listCachedFiles(config)) {
    const d = describeFile(f.name, refInfo);
    if (inst && d.instrument !== inst) continue;
    if (rt && d.reftype !== rt) continue;
    out.push({ name: f.name, kind: f.kind, path: f.path, size: f.size, instrument: d.instrument, reftype: d.reftype, contexts: neededBy.get(f.name) ?? [] });
  }
  return out;
}

// ---------------------------------------------------------------- verify

export interface VerifyProblem {
  readonly name: string;
  readonly path: string;
  readonly problem: 'size' | 'sha1' | 'mapping-checksum' | 'unknown' | 'bad';
  readonly message: string;
}

export interface VerifyResult {
  readonly online: boolean;
  readonly checked: number;
  readonly problems: readonly VerifyProblem[];
  /** Offline: references with no recorded checksum, so only their presence was checked. */
  readonly unverifiable: readonly string[];
  readonly note?: string;
}

/**
 * Check every cached file: sizes (and sha1 with `sha1`) against the server's
 * catalog when online, else against the verified-sha1 catalog; mappings
 * also against the sha1sum in their own header (the CRDS rule: SHA-1 of the
 * text without the lines that contain "sha1sum").
 */
export async function verifyCache(opts: CacheOptions & { sha1?: boolean; onProgress?: (done: number, total: number, file: string) => void } = {}): Promise<VerifyResult> {
  const config = opts.config ?? resolveConfig();
  const files = await listCachedFiles(config);
  const { server, info, why } = await tryServer(config, opts);
  const expect = new Map<string, { size: number; sha1sum: string } | null>();
  if (server && info) {
    for (const [n, e] of await serverExpectations(server, info, [...new Set(files.map((f) => f.name))], opts.signal)) expect.set(n, e);
  } else {
    const catalog = await readCatalog(config.configDir);
    for (const f of files) if (catalog[f.name]) expect.set(f.name, catalog[f.name]!);
  }
  const bad = new Set(info?.badFiles ?? []);
  const problems: VerifyProblem[] = [];
  const unverifiable: string[] = [];
  let done = 0;
  for (const f of files) {
    const p = (problem: VerifyProblem['problem'], message: string): void => { problems.push({ name: f.name, path: f.path, problem, message }); };
    const e = expect.get(f.name);
    if (f.kind === 'mapping' && !config.ignoreMappingChecksum) {
      const why2 = mappingChecksumProblem(await readFile(f.path, 'utf8'));
      if (why2) p('mapping-checksum', why2);
    }
    if (info && e === null) p('unknown', `not known to the CRDS server ${server!.url}`);
    else if (e) {
      if (e.size !== f.size) p('size', `size ${f.size} bytes, expected ${e.size}`);
      else if (opts.sha1 && e.sha1sum) {
        const s = await sha1File(f.path);
        if (s !== e.sha1sum) p('sha1', `sha1sum ${s}, expected ${e.sha1sum}`);
      }
    } else if (f.kind === 'reference') unverifiable.push(f.name);
    if (bad.has(f.name)) p('bad', 'marked bad (rejected or blacklisted) on the CRDS server');
    opts.onProgress?.(++done, files.length, f.name);
  }
  return { online: !!info, checked: files.length, problems, unverifiable, note: info ? undefined : `offline (${why}): checked against config/jwst/webbdesk_verified_sha1.json and mapping headers` };
}

/** Why a mapping's embedded sha1sum does not match its text, or undefined when it does (or has none). */
export function mappingChecksumProblem(text: string): string | undefined {
  const m = /['"]sha1sum['"]\s*:\s*['"]([0-9a-f]{40})['"]/.exec(text);
  if (!m) return undefined;
  const kept = text.split(/(?<=\n)/).filter((l) => !l.includes('sha1sum')).join('');
  const got = createHash('sha1').update(kept, 'utf8').digest('hex');
  return got === m[1] ? undefined : `header sha1sum ${m[1]} does not match the text (${got})`;
}

// ---------------------------------------------------------------- prune

export interface PruneResult {
  readonly keepContexts: readonly string[];
  readonly files: readonly { name: string; path: string; size: number }[];
  /** Total bytes of `files`. */
  readonly bytes: number;
  /** False for a dry run. */
  readonly removed: boolean;
}

/**
 * Remove the mappings and references no kept context needs. Each kept
 * context and its whole mapping closure must be local (otherwise what it
 * needs is unknown and nothing is removed). `dryRun` only lists.
 */
export async function pruneCache(opts: CacheOptions & { keepContexts: readonly string[]; dryRun?: boolean }): Promise<PruneResult> {
  const config = opts.config ?? resolveConfig();
  if (opts.keepContexts.length === 0) throw new CrdsError('crds-prune', 'prune needs at least one context to keep', { parameter: '--keep-contexts' });
  if (!opts.dryRun && config.readonlyCache) throw new CrdsError('crds-readonly', `the CRDS cache ${config.crdsPath} is read-only (CRDS_READONLY_CACHE)`);
  const run = async (): Promise<PruneResult> => {
    const needed = new Set<string>();
    for (const ctx of opts.keepContexts) {
      const c = localClosure(config, ctx);
      if (c.missingMappings.length) {
        throw new CrdsError('crds-prune', `cannot prune: the closure of ${ctx} is not all in the cache (missing ${c.missingMappings.join(', ')}); sync its mappings first`);
      }
      c.mappings.forEach((m) => needed.add(m));
      for (const r of c.references.keys()) needed.add(r);
    }
    const victims = (await listCachedFiles(config)).filter((f) => !needed.has(f.name));
    const files = victims.map((f) => ({ name: f.name, path: f.path, size: f.size }));
    const bytes = files.reduce((s, f) => s + f.size, 0);
    if (opts.dryRun) return { keepContexts: opts.keepContexts, files, bytes, removed: false };
    for (const f of victims) await unlink(f.path).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
    await removeStaleTemporaries(config);
    return { keepContexts: opts.keepContexts, files, bytes, removed: true };
  };
  if (opts.dryRun) return run();
  // Under the lock so two prunes (or a prune and an import) do not interleave; syncs stay lock-free.
  const result = await withCacheLock(config.configDir, run);
  const gone = result.files.map((f) => f.name).filter((n) => !isStillPresent(config, n));
  await updateCatalog(config.configDir, {}, gone);
  return result;
}

function isStillPresent(config: CrdsConfig, name: string): boolean {
  return !!(isMappingName(name) ? mappingPath(config, name) : referencePath(config, name));
}

// ---------------------------------------------------------------- import

export interface ImportResult {
  readonly imported: readonly { name: string; path: string; verifiedBy: 'server' | 'catalog' | 'local-context' }[];
  readonly skipped: readonly { name: string; reason: string }[];
  readonly rejected: readonly { name: string; reason: string }[];
}

/**
 * Add reference (and mapping) files from a folder to the cache. A file is
 * accepted when its size and sha1 match the server's catalog or the local
 * verified catalog; a file neither knows must be named by a local context
 * and readable (FITS/ASDF signature, JSON that parses; mappings must match
 * their header checksum). Accepted files are copied in through a temporary
 * name and a rename, into the cache's layout.
 */
export async function importReferences(dir: string, opts: CacheOptions = {}): Promise<ImportResult> {
  const config = opts.config ?? resolveConfig();
  if (config.readonlyCache) throw new CrdsError('crds-readonly', `the CRDS cache ${config.crdsPath} is read-only (CRDS_READONLY_CACHE)`);
  const sources = await walk(dir).catch((e: NodeJS.ErrnoException) => {
    throw new CrdsError('crds-import', `cannot read folder ${dir}: ${e.code ?? e.message}`);
  });
  const skipped: { name: string; reason: string }[] = [];
  const rejected: { name: string; reason: string }[] = [];
  const imported: { name: string; path: string; verifiedBy: 'server' | 'catalog' | 'local-context' }[] = [];
  const candidates = sources.filter((p) => {
    const name = basename(p);
    if (name.startsWith('.')) return false;
    if (!isPlainFileName(name) || !(isReferenceName(name) || isMappingName(name))) {
      skipped.push({ name, reason: 'not a CRDS reference or mapping file name' });
      return false;
    }
    return true;
  });
  const { server, info } = await tryServer(config, opts);
  const names = candidates.map((p) => basename(p));
  const fromServer = server && info ? await serverExpectations(server, info, names, opts.signal) : new Map();
  const catalog = await readCatalog(config.configDir);
  const { neededBy } = contextIndex(config);
  const record: Catalog = {};
  for (const src of candidates) {
    const name = basename(src);
    const size = (await stat(src)).size;
    const sha1 = await sha1File(src);
    const known = fromServer.get(name) ?? catalog[name];
    let verifiedBy: 'server' | 'catalog' | 'local-context';
    if (known) {
      verifiedBy = fromServer.get(name) ? 'server' : 'catalog';
      if (known.size !== size || known.sha1sum !== sha1) {
        rejected.push({ name, reason: `size/sha1 ${size}/${sha1} do not match the ${verifiedBy === 'server' ? 'CRDS server' : 'verified catalog'} (${known.size}/${known.sha1sum})` });
        continue;
      }
    } else {
      verifiedBy = 'local-context';
      if (fromServer.has(name) && fromServer.get(name) === null) {
        rejected.push({ name, reason: `not known to the CRDS server ${server!.url}` });
        continue;
      }
      if (!neededBy.has(name)) {
        rejected.push({ name, reason: 'no local context names it and no catalog knows its checksum' });
        continue;
      }
      const unreadable = await readabilityProblem(src, name);
      if (unreadable) {
        rejected.push({ name, reason: unreadable });
        continue;
      }
    }
    const existing = isMappingName(name) ? mappingPath(config, name) : referencePath(config, name);
    if (existing && (await sha1File(existing)) === sha1) {
      skipped.push({ name, reason: 'already in the cache' });
      continue;
    }
    if (existing && verifiedBy === 'local-context') {
      rejected.push({ name, reason: `a different copy is already in the cache (${existing}); nothing can tell which is right offline` });
      continue;
    }
    const dest = existing ?? (isMappingName(name) ? join(config.mappingDirs[0]!, name) : referenceTargetPath(config, name));
    await copyInto(src, dest, name);
    imported.push({ name, path: dest, verifiedBy });
    record[name] = { sha1sum: sha1, size, verified: new Date().toISOString(), source: verifiedBy === 'local-context' ? 'import-unverified' : 'import' } satisfies CatalogEntry;
  }
  await updateCatalog(config.configDir, record);
  return { imported, skipped, rejected };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

async function readabilityProblem(path: string, name: string): Promise<string | undefined> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
  if (/\.fits$/i.test(name)) {
    if (!data.subarray(0, 9).toString('latin1').startsWith('SIMPLE  =') || data.length % 2880 !== 0) return 'not a FITS file (no SIMPLE card or length not a multiple of 2880)';
  } else if (/\.asdf$/i.test(name)) {
    if (!data.subarray(0, 5).toString('latin1').startsWith('#ASDF')) return 'not an ASDF file (no #ASDF header)';
  } else if (/\.json$/i.test(name)) {
    try {
      JSON.parse(data.toString('utf8'));
    } catch {
      return 'not valid JSON';
    }
  } else if (isMappingName(name)) {
    return mappingChecksumProblem(data.toString('utf8'));
  }
  return undefined;
}

async function copyInto(src: string, dest: string, name: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    await copyFile(src, tmp);
    await rename(tmp, dest);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new CrdsError('crds-import', `copying ${src} into the cache failed: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: name });
  }
}

export type { CachedFile };
