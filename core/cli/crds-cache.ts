/**
 * `webbdesk crds sync|ls|verify|prune|import`: thin command-line wrappers
 * over core/crds/sync.node.ts and core/crds/cache.node.ts. Options follow
 * the crds tools: list options take every following word up to the next
 * `--option` (`--contexts jwst_0541.pmap jwst_0542.pmap`).
 */
import { CrdsError } from '../errors/index.ts';
import { resolveConfig, type CrdsConfig } from '../crds/config.node.ts';
import { CrdsServer } from '../crds/server.node.ts';
import { importReferences, listCache, pruneCache, verifyCache } from '../crds/cache.node.ts';
import { sync, type SyncProgress } from '../crds/sync.node.ts';
import type { CliIO, Command } from './main.ts';

interface ArgSpec {
  readonly flags?: readonly string[];
  readonly values?: readonly string[];
  readonly lists?: readonly string[];
  readonly positionals?: number;
}

interface Parsed {
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly lists: Map<string, string[]>;
  readonly positionals: string[];
}

function parse(cmd: string, argv: readonly string[], spec: ArgSpec): Parsed {
  const out: Parsed = { flags: new Set(), values: new Map(), lists: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) out.flags.add(name);
    else if (spec.values?.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw usageError(cmd, `--${name} needs a value`);
      out.values.set(name, v);
    } else if (spec.lists?.includes(name)) {
      const l = out.lists.get(name) ?? [];
      if (inline !== undefined) l.push(...inline.split(',').filter(Boolean));
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) l.push(argv[++i]!);
      out.lists.set(name, l);
    } else throw usageError(cmd, `unknown option ${a}`);
  }
  if (spec.positionals !== undefined && out.positionals.length > spec.positionals) {
    throw usageError(cmd, `unexpected argument ${out.positionals[spec.positionals]}`);
  }
  if (spec.positionals === undefined && out.positionals.length) throw usageError(cmd, `unexpected argument ${out.positionals[0]}`);
  return out;
}

/** The server client for a command, honouring CRDS_CLIENT_TIMEOUT_SECONDS (default 30 s here). */
function serverFor(config: CrdsConfig): CrdsServer {
  const t = process.env.CRDS_CLIENT_TIMEOUT_SECONDS;
  const seconds = t === undefined || t === '' ? 30 : Number(t);
  if (!(seconds > 0)) throw new CrdsError('crds-config', `CRDS_CLIENT_TIMEOUT_SECONDS must be a positive number, not ${JSON.stringify(t)}`);
  return new CrdsServer(config.serverUrl, { timeoutMs: seconds * 1000 });
}

function usageError(cmd: string, message: string): CrdsError {
  return new CrdsError('usage', `${message} (see 'webbdesk crds ${cmd} --help')`);
}

function wantsHelp(argv: readonly string[], io: CliIO, text: string): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  io.stdout(text.trim() + '\n');
  return true;
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  let x = n;
  while (x >= 1000 && u < units.length - 1) {
    x /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${x.toFixed(1)} ${units[u]}`;
}

const SYNC_HELP = `
usage: webbdesk crds sync [--contexts C...] [--fetch-references] [--files F...] [--repair] [--json-progress]

Fetch the mappings of the contexts (default: the server's operational context)
from CRDS_SERVER_URL into CRDS_PATH, checking size and sha1 of every download.
  --fetch-references  also every reference those contexts name (can be huge)
  --files F...        also exactly these files
  --repair            check the sha1 of files already present; fetch bad ones again
  --json-progress     one JSON progress object per line on stdout
Exit status 1 when any file could not be fetched or, offline, is missing.
Network timeout: CRDS_CLIENT_TIMEOUT_SECONDS (default 30 s of silence).`;

export const crdsSyncCommand: Command = async (argv, io) => {
  if (wantsHelp(argv, io, SYNC_HELP)) return 0;
  const a = parse('sync', argv, { flags: ['fetch-references', 'repair', 'json-progress'], lists: ['contexts', 'files'], values: ['concurrency'] });
  const json = a.flags.has('json-progress');
  let lastLine = 0;
  const onProgress = (p: SyncProgress): void => {
    if (json) {
      if (p.action !== 'downloading' || Date.now() - lastLine > 200) {
        lastLine = Date.now();
        io.stdout(JSON.stringify(p) + '\n');
      }
    } else if (p.action === 'downloaded' || p.action === 'failed') {
      io.stderr(`${p.action === 'failed' ? 'FAILED ' : 'fetched'} ${p.file}  (${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)})\n`);
    }
  };
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const config = resolveConfig();
    const r = await sync({
      config,
      server: serverFor(config),
      contexts: a.lists.get('contexts'),
      files: a.lists.get('files'),
      fetchReferences: a.flags.has('fetch-references'),
      repair: a.flags.has('repair'),
      concurrency: a.values.has('concurrency') ? Number(a.values.get('concurrency')) : undefined,
      signal: controller.signal,
      onProgress,
    });
    const summary = `${r.online ? '' : '(offline) '}contexts ${r.contexts.join(', ')}: ${r.downloaded.length} fetched, ${r.repaired.length} repaired, ${r.skipped.length} already present, ${r.failed.length} failed, ${formatBytes(r.bytesDownloaded)}`;
    if (json) io.stdout(JSON.stringify({ done: true, ...r }) + '\n');
    else io.stdout(summary + '\n');
    for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
    for (const f of r.failed) io.stderr(`error: ${f.file}: ${f.message}\n`);
    return r.failed.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
  }
};

const LS_HELP = `
usage: webbdesk crds ls [--instrument I] [--reftype R] [--json]

List the files in the cache with their sizes and the local contexts that need them.`;

export const crdsLsCommand: Command = async (argv, io) => {
  if (wantsHelp(argv, io, LS_HELP)) return 0;
  const a = parse('ls', argv, { flags: ['json'], values: ['instrument', 'reftype'] });
  const entries = await listCache({ config: resolveConfig(), instrument: a.values.get('instrument'), reftype: a.values.get('reftype') });
  if (a.flags.has('json')) {
    io.stdout(JSON.stringify(entries, null, 1) + '\n');
    return 0;
  }
  const width = Math.max(4, ...entries.map((e) => e.name.length));
  for (const e of entries) {
    io.stdout(`${e.name.padEnd(width)}  ${formatBytes(e.size).padStart(9)}  ${e.contexts.length ? e.contexts.join(' ') : '(no local context)'}\n`);
  }
  const total = entries.reduce((s, e) => s + e.size, 0);
  io.stdout(`${entries.length} files, ${formatBytes(total)}\n`);
  return 0;
};

const VERIFY_HELP = `
usage: webbdesk crds verify [--sha1] [--json]

Check the cache: sizes (and sha1 with --sha1) against the CRDS server when it
can be reached, else against config/jwst/webbdesk_verified_sha1.json; mappings
also against the sha1sum in their header. Exit status 1 if any file is bad.`;

export const crdsVerifyCommand: Command = async (argv, io) => {
  if (wantsHelp(argv, io, VERIFY_HELP)) return 0;
  const a = parse('verify', argv, { flags: ['sha1', 'json'] });
  const config = resolveConfig();
  const r = await verifyCache({ config, server: serverFor(config), sha1: a.flags.has('sha1') });
  if (a.flags.has('json')) io.stdout(JSON.stringify(r, null, 1) + '\n');
  else {
    if (r.note) io.stderr(`note: ${r.note}\n`);
    for (const p of r.problems) io.stdout(`BAD ${p.name}: ${p.message} (${p.path})\n`);
    if (r.unverifiable.length) io.stderr(`${r.unverifiable.length} reference(s) have no recorded checksum offline: ${r.unverifiable.slice(0, 10).join(', ')}${r.unverifiable.length > 10 ? ', ...' : ''}\n`);
    io.stdout(`${r.checked} files checked${a.flags.has('sha1') ? ' (sha1)' : ''}, ${r.problems.length} bad\n`);
  }
  return r.problems.length ? 1 : 0;
};

const PRUNE_HELP = `
usage: webbdesk crds prune --keep-contexts C... [--yes] [--json]

Remove the mappings and references that none of the kept contexts needs.
Without --yes, only list what would be removed and how many bytes.`;

export const crdsPruneCommand: Command = async (argv, io) => {
  if (wantsHelp(argv, io, PRUNE_HELP)) return 0;
  const a = parse('prune', argv, { flags: ['yes', 'json'], lists: ['keep-contexts'] });
  const keep = a.lists.get('keep-contexts') ?? [];
  if (!keep.length) throw usageError('prune', '--keep-contexts is required');
  const r = await pruneCache({ config: resolveConfig(), keepContexts: keep, dryRun: !a.flags.has('yes') });
  if (a.flags.has('json')) {
    io.stdout(JSON.stringify(r, null, 1) + '\n');
    return 0;
  }
  for (const f of r.files) io.stdout(`${r.removed ? 'removed' : 'would remove'} ${f.name}  ${formatBytes(f.size)}\n`);
  io.stdout(`${r.removed ? 'removed' : 'would remove'} ${r.files.length} files, ${formatBytes(r.bytes)} (${r.bytes} bytes)${r.removed ? '' : '; run again with --yes to remove them'}\n`);
  return 0;
};

const IMPORT_HELP = `
usage: webbdesk crds import DIR

Copy reference (and mapping) files from DIR into the cache layout. Each file
must match the sha1/size the CRDS server or the local verified catalog lists,
or else be named by a local context and readable. Exit status 1 if any file
was rejected.`;

export const crdsImportCommand: Command = async (argv, io) => {
  if (wantsHelp(argv, io, IMPORT_HELP)) return 0;
  const a = parse('import', argv, { flags: ['json'], positionals: 1 });
  const dir = a.positionals[0];
  if (!dir) throw usageError('import', 'give the folder to import from');
  const config = resolveConfig();
  const r = await importReferences(dir, { config, server: serverFor(config) });
  if (a.flags.has('json')) io.stdout(JSON.stringify(r, null, 1) + '\n');
  else {
    for (const f of r.imported) io.stdout(`imported ${f.name} -> ${f.path} (verified by ${f.verifiedBy})\n`);
    for (const f of r.skipped) io.stdout(`skipped ${f.name}: ${f.reason}\n`);
    for (const f of r.rejected) io.stdout(`REJECTED ${f.name}: ${f.reason}\n`);
    io.stdout(`${r.imported.length} imported, ${r.skipped.length} skipped, ${r.rejected.length} rejected\n`);
  }
  return r.rejected.length ? 1 : 0;
};
