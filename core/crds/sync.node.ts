/**
 * `sync`: bring the mappings of some contexts (and optionally the references
 * they name, or an explicit list of files) from the CRDS server into the
 * local cache, checking each download against the server's sha1sum and size.
 *
 * Concurrency design (several processes may sync one cache at once):
 * downloads are lock-free. Each file is streamed to a temporary name unique
 * to the process and attempt (`.<name>.<pid>.<random>.part`) in its final
 * directory, checked (size and sha1 against the server), flushed, and only
 * then renamed onto its final name. rename() within one directory is atomic,
 * so a reader or a second syncer sees either no file or a complete verified
 * one; two processes fetching the same file both write verified identical
 * bytes and the last rename wins. A failed or cancelled download deletes its
 * temporary; one left by a killed process is removed by the next sync (its
 * pid is gone) and never mistaken for a cache file (leading '.'). Only the
 * read-modify-write updates in config/jwst/ (verified-sha1 catalog,
 * server_config, bad_files.txt) take the cache lock (lock.node.ts: O_EXCL
 * file with pid and host, stale when the process is gone). A rerun resumes:
 * files already present with the server's size are skipped (with `repair`
 * their sha1 is checked too and bad ones are fetched again).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CancelledError, CrdsError } from '../errors/index.ts';
import {
  SUBDIR_MODE_FILE, effectiveContext, mappingPath, readServerInfo, refSubdirMode, referencePath, referenceTargetPath, resolveConfig,
  type CrdsConfig,
} from './config.node.ts';
import { isMappingName, isPlainFileName, referenceNamesOf } from './cache-names.ts';
import { updateCatalog, writeServerConfig, type Catalog } from './cache-catalog.node.ts';
import { localClosure, removeStaleTemporaries } from './cache-index.node.ts';
import { CrdsServer, type ServerInfo } from './server.node.ts';

export interface SyncProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Bytes downloaded so far / planned to download. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly file: string;
  readonly action: 'downloading' | 'downloaded' | 'skipped' | 'failed';
}

export interface SyncOptions {
  /** Contexts (.pmap/.imap/.rmap, or jwst-operational / jwst-latest); default: the server's operational context. */
  readonly contexts?: readonly string[];
  /** Also fetch every reference the contexts name. */
  readonly fetchReferences?: boolean;
  /** Fetch exactly these files too (mappings or references, basenames). */
  readonly files?: readonly string[];
  /** Check the sha1 of files already present and fetch again those that differ. */
  readonly repair?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SyncProgress) => void;
  /** Parallel downloads (default 4). */
  readonly concurrency?: number;
  /** Extra attempts after a failed download (default 1). */
  readonly retries?: number;
  readonly config?: CrdsConfig;
  readonly server?: CrdsServer;
}

export interface SyncResult {
  readonly contexts: readonly string[];
  readonly online: boolean;
  readonly downloaded: readonly string[];
  /** Present files that were wrong (size, or sha1 with `repair`) and were fetched again. */
  readonly repaired: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly { file: string; message: string }[];
  readonly bytesDownloaded: number;
  readonly warnings: readonly string[];
}

interface Job { name: string; dest: string; size: number; sha1sum: string; repair: boolean }

const SYMBOLIC_OPERATIONAL = new Set(['jwst-operational', 'operational', 'jwst-build', 'build']);
const SYMBOLIC_LATEST = new Set(['jwst-latest', 'latest', 'jwst-edit', 'edit']);

/** Sync the cache; see the module comment for the guarantees. */
export async function sync(options: SyncOptions = {}): Promise<SyncResult> {
  const config = options.config ?? resolveConfig();
  if (config.readonlyCache) throw new CrdsError('crds-readonly', `the CRDS cache ${config.crdsPath} is read-only (CRDS_READONLY_CACHE)`);
  for (const f of options.files ?? []) {
    if (!isPlainFileName(f)) throw new CrdsError('crds-bad-name', `'${f}' is not a CRDS file name`, { parameter: '--files' });
  }
  await removeStaleTemporaries(config);
  const server = options.server ?? new CrdsServer(config.serverUrl);
  let info: ServerInfo | undefined;
  let offlineWhy: string | undefined;
  if (config.mode === 'local') offlineWhy = 'CRDS_MODE=local';
  else {
    try {
      info = await server.getServerInfo(options.signal);
    } catch (e) {
      if (!(e instanceof CrdsError) || e.code !== 'crds-unreachable' || config.mode === 'remote') throw e;
      offlineWhy = e.message;
    }
  }
  const contexts = await resolveContexts(options.contexts ?? [], config, info, server, options.signal);
  if (!info) return offlineSync(config, contexts, options, offlineWhy!);
  return new OnlineSync(config, server, info, options).run(contexts);
}

async function resolveContexts(given: readonly string[], config: CrdsConfig, info: ServerInfo | undefined, server: CrdsServer, signal?: AbortSignal): Promise<string[]> {
  if (given.length === 0) {
    if (info) return [await server.getDefaultContext(signal)];
    return [effectiveContext(config).context];
  }
  const cached = info ? undefined : readServerInfo(config);
  return given.map((c) => {
    if (SYMBOLIC_OPERATIONAL.has(c)) {
      const op = info?.operationalContext ?? cached?.operationalContext;
      if (!op) throw new CrdsError('crds-no-context', `cannot resolve ${c} offline: config/jwst/server_config records no operational context`);
      return op;
    }
    if (SYMBOLIC_LATEST.has(c)) {
      const l = info?.editContext ?? info?.operationalContext ?? cached?.editContext ?? cached?.operationalContext;
      if (!l) throw new CrdsError('crds-no-context', `cannot resolve ${c} offline: config/jwst/server_config records no context`);
      return l;
    }
    if (!isMappingName(c) || !isPlainFileName(c)) {
      throw new CrdsError('crds-bad-context', `'${c}' is not a context: give a .pmap/.imap/.rmap name or jwst-operational`, { parameter: '--contexts' });
    }
    return c;
  });
}

/** Offline: nothing can be fetched; report what the contexts need that the cache lacks. */
function offlineSync(config: CrdsConfig, contexts: readonly string[], options: SyncOptions, why: string): SyncResult {
  const missingByContext: string[] = [];
  const skipped = new Set<string>();
  for (const ctx of contexts) {
    const c = localClosure(config, ctx);
    const missing = [...c.missingMappings];
    c.mappings.forEach((m) => skipped.add(m));
    if (options.fetchReferences) {
      for (const r of c.references.keys()) {
        if (referencePath(config, r)) skipped.add(r);
        else missing.push(r);
      }
    }
    if (missing.length) missingByContext.push(`${ctx} needs ${missing.length} file(s) not in the cache: ${missing.sort().join(', ')}${c.missingMappings.length ? ' (and whatever the missing mappings name)' : ''}`);
  }
  const extra = (options.files ?? []).filter((f) => !(isMappingName(f) ? mappingPath(config, f) : referencePath(config, f)));
  if (extra.length) missingByContext.push(`--files not in the cache: ${extra.join(', ')}`);
  if (missingByContext.length) {
    throw new CrdsError('crds-offline', `offline (${why}); cannot fetch: ${missingByContext.join('; ')}`);
  }
  return { contexts, online: false, downloaded: [], repaired: [], skipped: [...skipped].sort(), failed: [], bytesDownloaded: 0, warnings: [`offline (${why}): checked the cache only`] };
}

class OnlineSync {
  private filesDone = 0;
  private filesTotal = 0;
  private bytesDone = 0;
  private bytesTotal = 0;
  private readonly downloaded: string[] = [];
  private readonly repaired: string[] = [];
  private readonly skipped: string[] = [];
  private readonly failed: { file: string; message: string }[] = [];
  private readonly warnings: string[] = [];
  private readonly verified: Catalog = {};

  constructor(
    private readonly config: CrdsConfig,
    private readonly server: CrdsServer,
    private readonly info: ServerInfo,
    private readonly options: SyncOptions,
  ) {}

  async run(contexts: readonly string[]): Promise<SyncResult> {
    const signal = this.options.signal;
    const mappings = new Set<string>();
    for (const ctx of contexts) for (const m of await this.server.getMappingClosure(ctx, signal)) mappings.add(m);
    const explicit = this.options.files ?? [];
    for (const f of explicit) if (isMappingName(f)) mappings.add(f);
    const refs = new Set(explicit.filter((f) => !isMappingName(f)));
    // Mappings first: the references are read from the rmaps once they are local.
    const mappingJobs = await this.plan([...mappings].sort(), 'mapping');
    await this.execute(mappingJobs);
    if (this.options.fetchReferences) {
      for (const m of mappings) {
        const p = m.endsWith('.rmap') ? mappingPath(this.config, m) : undefined;
        if (p) for (const r of referenceNamesOf(readFileSync(p, 'utf8'))) refs.add(r);
      }
    }
    const refJobs = await this.plan([...refs].sort(), 'reference');
    await this.execute(refJobs);
    if (signal?.aborted) throw new CancelledError('sync cancelled');
    await this.record();
    return {
      contexts,
      online: true,
      downloaded: this.downloaded.sort(),
      repaired: this.repaired.sort(),
      skipped: this.skipped.sort(),
      failed: this.failed.sort((a, b) => (a.file < b.file ? -1 : 1)),
      bytesDownloaded: this.bytesDone,
      warnings: this.warnings,
    };
  }

  /** Decide, for each name, whether it is present and good or must be fetched. */
  private async plan(names: readonly string[], kind: 'mapping' | 'reference'): Promise<Job[]> {
    const meta = await this.metadata(names);
    const bad = new Set(this.info.badFiles);
    const jobs: Job[] = [];
    this.filesTotal += names.length;
    for (const name of names) {
      const m = meta.get(name);
      if (!m) {
        this.fail(name, `not known to the CRDS server ${this.server.url}`);
        continue;
      }
      if (bad.has(name)) this.warnings.push(`${name} is marked bad (rejected or blacklisted) on the server`);
      const existing = kind === 'mapping' ? mappingPath(this.config, name) : referencePath(this.config, name);
      const dest = existing ?? (kind === 'mapping' ? join(this.config.mappingDirs[0]!, name) : referenceTargetPath(this.config, name));
      let repair = false;
      if (existing) {
        const size = (await stat(existing)).size;
        if (size === m.size && !(this.options.repair && (await sha1File(existing)) !== m.sha1sum)) {
          this.skipped.push(name);
          this.filesDone++;
          this.emit(name, 'skipped');
          continue;
        }
        repair = true;
      }
      jobs.push({ name, dest, size: m.size, sha1sum: m.sha1sum, repair });
      this.bytesTotal += m.size;
    }
    return jobs;
  }

  private async metadata(names: readonly string[]): Promise<Map<string, { size: number; sha1sum: string }>> {
    const out = new Map<string, { size: number; sha1sum: string }>();
    const ask: string[] = [];
    for (const n of names) {
      const m = this.info.downloadMetadata?.get(n);
      if (m) out.set(n, m);
      else ask.push(n);
    }
    if (ask.length) {
      for (const [n, i] of await this.server.getFileInfoMap(ask, this.options.signal)) {
        if (i && Number.isFinite(i.size)) out.set(n, { size: i.size, sha1sum: i.sha1sum });
      }
    }
    return out;
  }

  private async execute(jobs: readonly Job[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !this.options.signal?.aborted) {
        const job = jobs[next++]!;
        await this.fetchWithRetries(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, jobs.length) }, worker));
  }

  private async fetchWithRetries(job: Job): Promise<void> {
    const attempts = 1 + (this.options.retries ?? 1);
    for (let i = 0; i < attempts; i++) {
      const before = this.bytesDone;
      try {
        await fetchVerified(this.server, job, this.options.signal, (n) => {
          this.bytesDone += n;
          this.emit(job.name, 'downloading');
        });
        (job.repair ? this.repaired : this.downloaded).push(job.name);
        this.verified[job.name] = { sha1sum: job.sha1sum, size: job.size, verified: new Date().toISOString(), source: 'server' };
        this.filesDone++;
        this.emit(job.name, 'downloaded');
        return;
      } catch (e) {
        this.bytesDone = before;
        if (e instanceof CancelledError || this.options.signal?.aborted) return;
        if (i === attempts - 1) this.fail(job.name, e instanceof Error ? e.message : String(e));
        else await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private fail(file: string, message: string): void {
    this.failed.push({ file, message });
    this.filesDone++;
    this.emit(file, 'failed');
  }

  private emit(file: string, action: SyncProgress['action']): void {
    this.options.onProgress?.({ filesDone: this.filesDone, filesTotal: this.filesTotal, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, file, action });
  }

  /** server_config, bad_files.txt, subdir mode and the verified-sha1 catalog. */
  private async record(): Promise<void> {
    const cfg = this.config.configDir;
    await writeServerConfig(cfg, this.info.raw, this.info.badFiles);
    const modeFile = join(cfg, SUBDIR_MODE_FILE);
    if (!(await exists(modeFile))) await writeFile(modeFile, refSubdirMode(this.config) + '\n').catch(() => undefined);
    await updateCatalog(cfg, this.verified);
  }
}

/** Download one file to a unique temporary beside its destination, verify, rename. */
async function fetchVerified(server: CrdsServer, job: Job, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<void> {
  await mkdir(dirname(job.dest), { recursive: true });
  const tmp = join(dirname(job.dest), `.${job.name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const { stream } = await server.download(job.name, signal);
    const hash = createHash('sha1');
    let n = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        n += chunk.length;
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tmp, { flags: 'wx', flush: true }), { signal });
    } catch (e) {
      if (signal?.aborted) throw new CancelledError('sync cancelled');
      const code = (e as NodeJS.ErrnoException).code;
      throw new CrdsError('crds-download', `downloading ${job.name} from ${server.url} broke off after ${n} of ${job.size} bytes: ${code ?? (e as Error).message}`, { file: job.name });
    }
    if (n !== job.size) throw new CrdsError('crds-download', `downloaded ${n} bytes but the server lists ${job.size}`, { file: job.name });
    const sha1 = hash.digest('hex');
    if (job.sha1sum && job.sha1sum !== 'none' && sha1 !== job.sha1sum) {
      throw new CrdsError('crds-download', `downloaded sha1sum ${sha1} does not match the server's ${job.sha1sum}`, { file: job.name });
    }
    await rename(tmp, job.dest);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** SHA-1 of a file's bytes, streamed. */
export async function sha1File(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}
