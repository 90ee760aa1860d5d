/**
 * Where the CRDS cache lives and how it is configured, following the
 * environment variables of the Python crds client (crds/core/config.py,
 * documentation/crds_users_guide/source/environment.rst):
 *
 * - CRDS_PATH (default ~/crds_cache) holds `mappings/jwst/`, `references/jwst/`
 *   and `config/jwst/`; CRDS_MAPPATH / CRDS_REFPATH / CRDS_CFGPATH override one
 *   branch each (`<value>/jwst`), the `*_SINGLE` variants without the `/jwst`.
 * - References sit in `references/jwst/<instrument>/` ("instrument" mode) or
 *   directly in `references/jwst/` ("flat"); the mode is recorded in
 *   `config/jwst/ref_cache_subdir_mode`, else guessed the crds way (more than
 *   20 entries at the top means flat).
 * - `config/jwst/server_config` is the client's cached server info (a Python
 *   dict repr: operational_context, bad_files_list, ...); `bad_files.txt`
 *   lists bad files one per line.
 * - The crds client records no pinned context on disk (only CRDS_CONTEXT);
 *   `webbdesk crds pin` writes `config/jwst/webbdesk_pinned_context`, one line
 *   holding the .pmap name, which WebbDesk reads after CRDS_CONTEXT.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CrdsError } from '../errors/index.ts';
import { isDict, isSeq, parsePyLiteral, type PyValue } from './pyliteral.ts';

export const OBSERVATORY = 'jwst';
export const DEFAULT_SERVER_URL = 'https://jwst-crds.stsci.edu';
/** Name of the file in the config directory that holds `webbdesk crds pin`. */
export const PIN_FILE = 'webbdesk_pinned_context';
export const SUBDIR_MODE_FILE = 'ref_cache_subdir_mode';

export type CrdsMode = 'local' | 'remote' | 'auto';
export type RefSubdirMode = 'instrument' | 'flat' | 'legacy';

export interface CrdsConfig {
  readonly observatory: 'jwst';
  /** Cache root (CRDS_PATH or CRDS_PATH_SINGLE, default ~/crds_cache). */
  readonly crdsPath: string;
  /** Directories searched for mappings, first hit wins (also the flat layout: mappings in CRDS_PATH). */
  readonly mappingDirs: readonly string[];
  /** Reference root for jwst: `<CRDS_PATH>/references/jwst` unless overridden. */
  readonly referenceDir: string;
  /** Config directory for jwst: `<CRDS_PATH>/config/jwst` unless overridden. */
  readonly configDir: string;
  readonly serverUrl: string;
  /** True when CRDS_SERVER_URL was set explicitly. */
  readonly serverUrlFromEnv: boolean;
  /** CRDS_CONTEXT, when set (literal .pmap or symbolic name). */
  readonly envContext: string | undefined;
  readonly mode: CrdsMode;
  readonly allowBadReferences: boolean;
  readonly allowBadRules: boolean;
  readonly ignoreMappingChecksum: boolean;
  readonly readonlyCache: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function envBool(env: Env, name: string, dflt = false): boolean {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  if (['1', 'true', 't', 'yes'].includes(v.toLowerCase())) return true;
  if (['0', 'false', 'f', 'no'].includes(v.toLowerCase())) return false;
  throw new CrdsError('crds-config', `invalid value ${JSON.stringify(v)} for boolean variable ${name}`);
}

function clean(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The crds rule for one branch of the cache (mappings, references, config). */
function branch(env: Env, rootEnv: string, subdir: string, crdsPath: string, single: boolean): string {
  const s = env[rootEnv + '_SINGLE'];
  if (s) return clean(s);
  const r = env[rootEnv];
  if (r) return clean(join(r, OBSERVATORY));
  return clean(single ? join(crdsPath, subdir) : join(crdsPath, subdir, OBSERVATORY));
}

/** Resolve the configuration from an environment (normally `process.env`). */
export function resolveConfig(env: Env = process.env): CrdsConfig {
  const home = env.HOME || homedir();
  const single = !env.CRDS_PATH && !!env.CRDS_PATH_SINGLE;
  const crdsPath = clean(expandHome(env.CRDS_PATH || env.CRDS_PATH_SINGLE || join(home, 'crds_cache'), home));
  const mappingMain = branch(env, 'CRDS_MAPPATH', 'mappings', crdsPath, single);
  const mappingDirs = [mappingMain];
  if (!env.CRDS_MAPPATH && !env.CRDS_MAPPATH_SINGLE) mappingDirs.push(crdsPath);
  else if (env.CRDS_MAPPATH && !env.CRDS_MAPPATH_SINGLE) mappingDirs.push(clean(env.CRDS_MAPPATH));
  const mode = (env.CRDS_MODE || 'auto').toLowerCase();
  if (mode !== 'local' && mode !== 'remote' && mode !== 'auto') {
    throw new CrdsError('crds-config', `CRDS_MODE must be local, remote or auto, not ${JSON.stringify(env.CRDS_MODE)}`);
  }
  const envContext = env.CRDS_CONTEXT?.trim() || undefined;
  return {
    observatory: OBSERVATORY,
    crdsPath,
    mappingDirs,
    referenceDir: branch(env, 'CRDS_REFPATH', 'references', crdsPath, single),
    configDir: branch(env, 'CRDS_CFGPATH', 'config', crdsPath, single),
    serverUrl: clean(env.CRDS_SERVER_URL || DEFAULT_SERVER_URL),
    serverUrlFromEnv: !!env.CRDS_SERVER_URL,
    envContext,
    mode,
    allowBadReferences: envBool(env, 'CRDS_ALLOW_BAD_REFERENCES'),
    allowBadRules: envBool(env, 'CRDS_ALLOW_BAD_RULES'),
    ignoreMappingChecksum: envBool(env, 'CRDS_IGNORE_MAPPING_CHECKSUM'),
    readonlyCache: envBool(env, 'CRDS_READONLY_CACHE'),
  };
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

/** Path of a mapping (.pmap/.imap/.rmap) in the cache, or undefined when absent. */
export function mappingPath(config: CrdsConfig, name: string): string | undefined {
  for (const dir of config.mappingDirs) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Every mapping file name found in the cache's mapping directories. */
export function listMappings(config: CrdsConfig): string[] {
  const names = new Set<string>();
  for (const dir of config.mappingDirs) {
    for (const n of safeReaddir(dir)) if (/\.[pir]map$/.test(n)) names.add(n);
  }
  return [...names].sort();
}

/** Local .pmap names, oldest to newest. */
export function listContexts(config: CrdsConfig): string[] {
  return listMappings(config).filter((n) => n.endsWith('.pmap')).sort(compareMappingNames);
}

/** Order mapping names by serial number (jwst_0500 < jwst_0541), names without a serial first. */
export function compareMappingNames(a: string, b: string): number {
  const sa = serial(a);
  const sb = serial(b);
  return sa === sb ? (a < b ? -1 : a > b ? 1 : 0) : sa - sb;
}

function serial(name: string): number {
  const m = /_(\d+)\.[a-z]+$/.exec(name);
  return m ? Number(m[1]) : -1;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** How the cache stores references: the recorded mode, else guessed like the crds client. */
export function refSubdirMode(config: CrdsConfig): RefSubdirMode {
  try {
    const m = readFileSync(join(config.configDir, SUBDIR_MODE_FILE), 'utf8').trim();
    if (m === 'instrument' || m === 'flat' || m === 'legacy') return m;
  } catch {
    /* not recorded */
  }
  return safeReaddir(config.referenceDir).length > 20 ? 'flat' : 'instrument';
}

/** Instrument sub-directory for a reference name (`jwst_miri_flat_0001.fits` -> `miri`). */
export function referenceInstrument(filename: string): string | undefined {
  const m = /^jwst_([a-z]+)_/.exec(filename.toLowerCase());
  return m ? m[1] : undefined;
}

/**
 * Where a reference file lives in the cache. Returns the existing path
 * (trying the recorded layout first, then the other), or undefined.
 */
export function referencePath(config: CrdsConfig, filename: string): string | undefined {
  const base = filename.replace(/^crds:\/\//, '');
  const inst = referenceInstrument(base);
  const nested = inst ? join(config.referenceDir, inst, base) : undefined;
  const flat = join(config.referenceDir, base);
  const order = refSubdirMode(config) === 'flat' ? [flat, nested] : [nested, flat];
  for (const p of order) if (p && existsSync(p) && statSync(p).isFile()) return p;
  return undefined;
}

/** Where a new reference should be written in this cache's layout. */
export function referenceTargetPath(config: CrdsConfig, filename: string): string {
  const inst = referenceInstrument(filename);
  return refSubdirMode(config) === 'flat' || !inst ? join(config.referenceDir, filename) : join(config.referenceDir, inst, filename);
}

/** The parts of `config/jwst/server_config` WebbDesk uses. */
export interface ServerInfo {
  readonly operationalContext: string | undefined;
  readonly editContext: string | undefined;
  readonly server: string | undefined;
  readonly lastSynced: string | undefined;
  readonly badFiles: ReadonlySet<string>;
  /** The whole parsed dict as plain data. */
  readonly raw: Readonly<Record<string, PyValue>>;
}

/** Read the cached server info (server_config + bad_files.txt); undefined when never synced. */
export function readServerInfo(config: CrdsConfig): ServerInfo | undefined {
  const path = join(config.configDir, 'server_config');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const trimmed = text.trim();
  const value: PyValue = trimmed.startsWith('{"') ? jsonToPy(JSON.parse(trimmed)) : parsePyLiteral(text, path);
  if (!isDict(value)) throw new CrdsError('crds-config', 'server_config is not a dict', { file: path });
  const raw: Record<string, PyValue> = {};
  for (const e of value.entries) if (typeof e.key === 'string') raw[e.key] = e.value;
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const bad = new Set<string>();
  const list = raw.bad_files_list ?? raw.bad_files;
  if (list !== undefined && isSeq(list)) {
    for (const x of list.items) if (typeof x === 'string') bad.add(x);
  } else if (typeof list === 'string') {
    for (const x of list.split(/\s+/)) if (x) bad.add(x);
  }
  try {
    for (const x of readFileSync(join(config.configDir, 'bad_files.txt'), 'utf8').split(/\s+/)) if (x) bad.add(x);
  } catch {
    /* optional */
  }
  return {
    operationalContext: str('operational_context'),
    editContext: str('edit_context'),
    server: str('server'),
    lastSynced: str('last_synced'),
    badFiles: bad,
    raw,
  };
}

function jsonToPy(v: unknown): PyValue {
  if (Array.isArray(v)) return { kind: 'list', items: v.map(jsonToPy) };
  if (v !== null && typeof v === 'object') {
    return { kind: 'dict', entries: Object.entries(v).map(([key, x]) => ({ key, value: jsonToPy(x), line: 0 })) };
  }
  return v as PyValue;
}

/** The context pinned with `webbdesk crds pin`, if any. */
export function readPinnedContext(config: CrdsConfig): string | undefined {
  try {
    return readFileSync(join(config.configDir, PIN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Record a pinned context (atomic replace). */
export function writePinnedContext(config: CrdsConfig, context: string): string {
  mkdirSync(config.configDir, { recursive: true });
  const path = join(config.configDir, PIN_FILE);
  const tmp = path + '.tmp-' + process.pid;
  writeFileSync(tmp, context + '\n');
  renameSync(tmp, path);
  return path;
}

export type ContextSource = 'CRDS_CONTEXT' | 'pin' | 'operational' | 'latest-local';

/**
 * The context to use: CRDS_CONTEXT, else the pin, else the operational
 * context recorded in server_config, else the newest local .pmap.
 * Symbolic CRDS_CONTEXT values (`jwst-operational`, `latest`, `jwst-latest`)
 * resolve offline to the recorded operational / newest local context.
 */
export function effectiveContext(config: CrdsConfig): { context: string; source: ContextSource } {
  const info = (): ServerInfo | undefined => readServerInfo(config);
  const latest = (): string | undefined => listContexts(config).at(-1);
  if (config.envContext) {
    const c = config.envContext;
    if (/\.pmap$/.test(c)) return { context: c, source: 'CRDS_CONTEXT' };
    if (c === 'jwst-operational' || c === 'operational' || c === 'build' || c === 'jwst-build') {
      const op = info()?.operationalContext ?? latest();
      if (op) return { context: op, source: 'CRDS_CONTEXT' };
    } else if (c === 'latest' || c === 'jwst-latest' || c === 'jwst-edit') {
      const l = info()?.editContext ?? latest();
      if (l) return { context: l, source: 'CRDS_CONTEXT' };
    } else {
      throw new CrdsError('crds-config', `CRDS_CONTEXT=${c} cannot be resolved offline; set it to a .pmap name such as jwst_0541.pmap`);
    }
  }
  const pin = readPinnedContext(config);
  if (pin) return { context: pin, source: 'pin' };
  const op = info()?.operationalContext;
  if (op) return { context: op, source: 'operational' };
  const l = latest();
  if (l) return { context: l, source: 'latest-local' };
  throw new CrdsError('crds-no-context', `no CRDS context: CRDS_CONTEXT is not set and the cache ${config.crdsPath} holds no .pmap`);
}
