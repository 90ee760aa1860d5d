/**
 * What the cache holds and what its local contexts need, read from disk:
 * the closure of a context (its imaps, rmaps and the references they name),
 * and the list of files present with their sizes. Files whose names start
 * with '.' are temporaries of an unfinished download and are ignored.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listContexts, mappingPath, type CrdsConfig } from './config.node.ts';
import { headerField, isMappingName, mappingNamesOf, partsOfName, referenceNamesOf } from './cache-names.ts';
import { processAlive } from './lock.node.ts';

export interface RefNeed {
  readonly instrument?: string;
  readonly reftype?: string;
  /** The rmap naming the reference. */
  readonly rmap: string;
}

export interface LocalClosure {
  readonly context: string;
  /** Mappings of the closure found in the cache (the context itself included). */
  readonly mappings: readonly string[];
  /** Mappings of the closure absent from the cache (their own children are unknown). */
  readonly missingMappings: readonly string[];
  /** Reference name -> where it is named. */
  readonly references: ReadonlyMap<string, RefNeed>;
  /** rmap name -> the instrument and reftype its header declares (names need not follow the usual pattern). */
  readonly rmapKinds: ReadonlyMap<string, { readonly instrument?: string; readonly reftype?: string }>;
}

/** The closure of a context from the local mappings (no network). */
export function localClosure(config: CrdsConfig, context: string): LocalClosure {
  const seen = new Set<string>();
  const missing: string[] = [];
  const refs = new Map<string, RefNeed>();
  const rmapKinds = new Map<string, { instrument?: string; reftype?: string }>();
  const stack = [context];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const path = mappingPath(config, name);
    if (!path) {
      missing.push(name);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (name.endsWith('.rmap')) {
      const instrument = headerField(text, 'instrument')?.toLowerCase();
      const reftype = headerField(text, 'filekind')?.toLowerCase();
      rmapKinds.set(name, { instrument, reftype });
      for (const r of referenceNamesOf(text)) if (!refs.has(r)) refs.set(r, { instrument, reftype, rmap: name });
    } else {
      for (const m of mappingNamesOf(text)) stack.push(m);
    }
  }
  return {
    context,
    mappings: [...seen].filter((n) => !missing.includes(n)).sort(),
    missingMappings: missing.sort(),
    rmapKinds,
    references: refs,
  };
}

export interface CachedFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly kind: 'mapping' | 'reference';
}

/** Every mapping and reference file in the cache (references in instrument sub-directories or flat). */
export async function listCachedFiles(config: CrdsConfig): Promise<CachedFile[]> {
  const out = new Map<string, CachedFile>();
  for (const dir of config.mappingDirs) {
    for (const e of await entries(dir)) {
      if (e.isFile() && isMappingName(e.name) && !e.name.startsWith('.') && !out.has(e.name)) {
        const path = join(dir, e.name);
        out.set(e.name, { name: e.name, path, size: (await stat(path)).size, kind: 'mapping' });
      }
    }
  }
  const refDirs = [config.referenceDir];
  for (const e of await entries(config.referenceDir)) if (e.isDirectory()) refDirs.push(join(config.referenceDir, e.name));
  for (const dir of refDirs) {
    for (const e of await entries(dir)) {
      if (!e.isFile() || e.name.startsWith('.') || isMappingName(e.name)) continue;
      const path = join(dir, e.name);
      const key = out.has(e.name) ? path : e.name; // the same name twice (flat and nested) is listed twice
      out.set(key, { name: e.name, path, size: (await stat(path)).size, kind: 'reference' });
    }
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : 1));
}

async function entries(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** For each local .pmap, its closure; and for each file, the local contexts that need it. */
export function contextIndex(config: CrdsConfig): { closures: LocalClosure[]; neededBy: Map<string, string[]>; refInfo: Map<string, RefNeed> } {
  const closures = listContexts(config).map((c) => localClosure(config, c));
  const neededBy = new Map<string, string[]>();
  const refInfo = new Map<string, RefNeed>();
  const add = (file: string, ctx: string): void => {
    const l = neededBy.get(file);
    if (l) l.push(ctx);
    else neededBy.set(file, [ctx]);
  };
  for (const c of closures) {
    for (const m of c.mappings) add(m, c.context);
    for (const [m, kind] of c.rmapKinds) if (!refInfo.has(m)) refInfo.set(m, { ...kind, rmap: m });
    for (const [r, need] of c.references) {
      add(r, c.context);
      if (!refInfo.has(r)) refInfo.set(r, need);
    }
  }
  return { closures, neededBy, refInfo };
}

/** Instrument and reftype of a cached file, from the rmap naming it or else its name. */
export function describeFile(name: string, refInfo: ReadonlyMap<string, RefNeed>): { instrument?: string; reftype?: string } {
  const need = refInfo.get(name);
  const guess = partsOfName(name);
  return { instrument: need?.instrument ?? guess.instrument, reftype: need?.reftype ?? guess.reftype };
}

/**
 * Remove temporaries left by downloads that can no longer finish: those of
 * processes that are gone, and any older than a day. Returns the paths removed.
 */
export async function removeStaleTemporaries(config: CrdsConfig): Promise<string[]> {
  const dirs = [...config.mappingDirs, config.referenceDir, config.configDir];
  for (const e of await entries(config.referenceDir)) if (e.isDirectory()) dirs.push(join(config.referenceDir, e.name));
  const removed: string[] = [];
  for (const dir of dirs) {
    for (const e of await entries(dir)) {
      const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.part$/.exec(e.name);
      if (!m || !e.isFile()) continue;
      const path = join(dir, e.name);
      const old = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > 86_400_000;
      if (old || !processAlive(Number(m[1]))) {
        await unlink(path).catch(() => undefined);
        removed.push(path);
      }
    }
  }
  return removed;
}
