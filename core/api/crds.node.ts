/** CRDS through the API: status, contexts, bestrefs, sync with progress, cache listing, verify, prune, context diff. */
import { randomUUID } from 'node:crypto';
import { CrdsError, WebbError } from '../errors/index.ts';
import { FitsFile } from '../fits/index.node.ts';
import { bestrefs, parkeysFromFitsHeader } from '../crds/index.ts';
import { effectiveContext, listContexts, referencePath, type CrdsConfig } from '../crds/config.node.ts';
import { loadContext } from '../crds/context.node.ts';
import { listCache, pruneCache, verifyCache } from '../crds/cache.node.ts';
import { localClosure } from '../crds/cache-index.node.ts';
import { sync } from '../crds/sync.node.ts';
import type { EventHub } from './transport.ts';
import type { CrdsBestrefs, CrdsCacheListing, CrdsContextDiff, CrdsPruneResult, CrdsStatus, CrdsSyncResult, CrdsVerifyResult } from './types.ts';

export class CrdsService {
  constructor(private readonly config: () => CrdsConfig, private readonly events: EventHub) {}

  status(): CrdsStatus {
    const c = this.config();
    let context: string | null = null, contextSource: string | null = null, contextError: string | null = null;
    try {
      const e = effectiveContext(c);
      context = e.context;
      contextSource = e.source;
    } catch (e) {
      contextError = e instanceof Error ? e.message : String(e);
    }
    return { cachePath: c.crdsPath, serverUrl: c.serverUrl, mode: c.mode, context, contextSource, contextError, localContexts: listContexts(c), online: c.mode === 'local' ? false : null };
  }

  contexts(): string[] {
    return listContexts(this.config());
  }

  /** Best references for a FITS file's primary header. */
  async bestrefs(file: string, context?: string, reftypes?: readonly string[]): Promise<CrdsBestrefs> {
    const c = this.config();
    const name = context ?? effectiveContext(c).context;
    const f = await FitsFile.open(file);
    let header: Record<string, unknown>;
    try {
      const h = f.hdus[0].header;
      header = parkeysFromFitsHeader((kw) => h.get(kw) ?? undefined);
    } finally {
      await f.close();
    }
    const r = bestrefs(loadContext(name, c), header, { reftypes, allowBad: c.allowBadReferences });
    if (r.call.status === 'raised') throw new CrdsError('crds-bestrefs', `${r.call.exception}: ${r.call.message.trim()}`, { file });
    const refs = Object.entries(r.answers).map(([reftype, a]) => ({
      reftype, file: a.kind === 'file' ? a.value : null, status: a.kind === 'file' ? 'ok' : a.kind === 'n/a' ? 'n/a' : a.value.replace(/^NOT FOUND /, ''),
      cached: a.kind === 'file' && !!referencePath(c, a.value),
    }));
    return { path: file, context: name, refs };
  }

  async sync(opts: { contexts?: readonly string[]; fetchReferences?: boolean; files?: readonly string[] }): Promise<CrdsSyncResult> {
    const syncId = randomUUID();
    const r = await sync({
      config: this.config(), contexts: opts.contexts, fetchReferences: opts.fetchReferences, files: opts.files,
      onProgress: (p) => this.events.emit('onDidCrdsSync', { syncId, ...p }),
    });
    return { online: r.online, downloaded: r.downloaded, skipped: r.skipped, failed: r.failed, bytesDownloaded: r.bytesDownloaded };
  }

  /** Fetch the references these files need under the effective context (what bestrefs names and the cache lacks). */
  async fetchFor(files: readonly string[]): Promise<CrdsSyncResult> {
    const need = new Set<string>();
    for (const f of files) for (const r of (await this.bestrefs(f)).refs) if (r.file && !r.cached) need.add(r.file);
    if (!need.size) return { online: false, downloaded: [], skipped: [], failed: [], bytesDownloaded: 0 };
    return this.sync({ contexts: [effectiveContext(this.config()).context], files: [...need] });
  }

  async cache(instrument?: string, reftype?: string): Promise<CrdsCacheListing> {
    const list = await listCache({ config: this.config(), instrument, reftype });
    const byInst: Record<string, number> = {}, byType: Record<string, number> = {};
    let total = 0;
    for (const f of list) {
      total += f.size;
      const i = f.instrument ?? (f.kind === 'mapping' ? 'mappings' : 'unknown');
      byInst[i] = (byInst[i] ?? 0) + f.size;
      const t = f.reftype ?? (f.kind === 'mapping' ? 'mappings' : 'unknown');
      byType[t] = (byType[t] ?? 0) + f.size;
    }
    return {
      files: list.map((f) => ({ name: f.name, kind: f.kind, size: f.size, instrument: f.instrument ?? null, reftype: f.reftype ?? null, contexts: f.contexts })),
      totalBytes: total, bytesByInstrument: byInst, bytesByReftype: byType,
    };
  }

  async verify(sha1 = false): Promise<CrdsVerifyResult> {
    const r = await verifyCache({ config: this.config(), sha1 });
    return { online: r.online, checked: r.checked, problems: r.problems.map((p) => ({ name: p.name, problem: p.problem, message: p.message })), unverifiable: r.unverifiable.length };
  }

  async prune(keepContexts: readonly string[], confirm = false): Promise<CrdsPruneResult> {
    const r = await pruneCache({ config: this.config(), keepContexts, dryRun: !confirm });
    return { keepContexts: r.keepContexts, files: r.files.map((f) => ({ name: f.name, size: f.size })), bytes: r.bytes, removed: r.removed };
  }

  /** What differs between the local closures of two contexts. */
  diff(a: string, b: string): CrdsContextDiff {
    const c = this.config();
    const [ca, cb] = [localClosure(c, a), localClosure(c, b)];
    for (const x of [ca, cb]) {
      if (x.mappings.length === 0) throw new WebbError('not-found', `context ${x.context} is not in the cache`);
    }
    const ma = new Set(ca.mappings), mb = new Set(cb.mappings);
    const groups = new Map<string, { instrument: string; reftype: string; added: string[]; removed: string[] }>();
    const group = (inst?: string, rt?: string) => {
      const key = `${inst ?? '?'}/${rt ?? '?'}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { instrument: inst ?? '?', reftype: rt ?? '?', added: [], removed: [] }));
      return g;
    };
    for (const [r, need] of cb.references) if (!ca.references.has(r)) group(need.instrument, need.reftype).added.push(r);
    for (const [r, need] of ca.references) if (!cb.references.has(r)) group(need.instrument, need.reftype).removed.push(r);
    return {
      a, b,
      mappingsAdded: [...mb].filter((m) => !ma.has(m)),
      mappingsRemoved: [...ma].filter((m) => !mb.has(m)),
      references: [...groups.values()].sort((x, y) => `${x.instrument}/${x.reftype}`.localeCompare(`${y.instrument}/${y.reftype}`)),
    };
  }
}
