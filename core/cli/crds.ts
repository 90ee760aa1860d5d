/**
 * `webbdesk crds <subcommand>`: the local CRDS cache and best references.
 * Each subcommand is one row of SUBCOMMANDS; cache maintenance commands
 * live in crds-cache.ts and are loaded on demand.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CrdsError, WebbError } from '../errors/index.ts';
import { bestrefs, type BestrefAnswer, type BestrefsResult } from '../crds/bestrefs.ts';
import { parkeysFromFitsHeader } from '../crds/condition.ts';
import {
  effectiveContext,
  listContexts,
  mappingPath,
  readPinnedContext,
  readServerInfo,
  referencePath,
  resolveConfig,
  writePinnedContext,
  type CrdsConfig,
} from '../crds/config.node.ts';
import { loadContext } from '../crds/context.node.ts';
import type { CliIO, Command } from './main.ts';

interface Subcommand {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  bestrefs: { summary: 'best reference files for FITS files or header dicts', load: async () => bestrefsCommand },
  contexts: { summary: 'local contexts, the pinned and the operational one', load: async () => contextsCommand },
  where: { summary: 'path of a reference or mapping in the cache', load: async () => whereCommand },
  pin: { summary: 'pin the context WebbDesk uses (after CRDS_CONTEXT)', load: async () => pinCommand },
  sync: { summary: 'fetch mappings/references from the CRDS server', load: async () => (await import('./crds-cache.ts')).crdsSyncCommand },
  ls: { summary: 'list what the cache holds', load: async () => (await import('./crds-cache.ts')).crdsLsCommand },
  verify: { summary: 'check cached files (size, sha1)', load: async () => (await import('./crds-cache.ts')).crdsVerifyCommand },
  prune: { summary: 'remove files no kept context needs', load: async () => (await import('./crds-cache.ts')).crdsPruneCommand },
  import: { summary: 'copy files into the cache', load: async () => (await import('./crds-cache.ts')).crdsImportCommand },
};

function usage(): string {
  const lines = ['usage: webbdesk crds <subcommand> [options]', '', 'subcommands:'];
  for (const [name, s] of Object.entries(SUBCOMMANDS)) lines.push(`  ${name.padEnd(10)} ${s.summary}`);
  lines.push(
    '',
    'bestrefs FILE... [--headers H.json] [--context C] [--types flat,photom] [--json] [--allow-bad-references]',
    'contexts | where FILE | pin CONTEXT',
    '',
    'Environment: CRDS_PATH (default ~/crds_cache), CRDS_CONTEXT, CRDS_MODE, CRDS_SERVER_URL, CRDS_ALLOW_BAD_REFERENCES.',
  );
  return lines.join('\n');
}

export const crdsCommand: Command = async (argv, io) => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(usage() + '\n');
    return name ? 0 : 2;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    io.stderr(`webbdesk crds: unknown subcommand '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await sub.load())(rest, io);
  } catch (e) {
    if (e instanceof WebbError) {
      io.stderr(`webbdesk crds ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

// ------------------------------------------------------------------ options

interface Parsed {
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

function parseArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[]): Parsed {
  const out: Parsed = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (valued.includes(k)) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new CrdsError('crds-usage', `${k} needs a value`);
        out.values.set(k, v);
      } else if (flags.includes(k)) out.flags.add(k);
      else throw new CrdsError('crds-usage', `unknown option ${a}`);
    } else out.positional.push(a);
  }
  return out;
}

// ------------------------------------------------------------------ bestrefs

interface Input {
  readonly id: string;
  readonly header: Record<string, unknown>;
}

async function readHeadersFile(path: string): Promise<Input[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CrdsError('crds-headers', `cannot read headers: ${(e as Error).message}`, { file: path });
  }
  if (!Array.isArray(data)) throw new CrdsError('crds-headers', 'expected a JSON list of headers', { file: path });
  return data.map((item: unknown, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new CrdsError('crds-headers', `item ${i} is not an object`, { file: path });
    }
    const o = item as Record<string, unknown>;
    if (o.header && typeof o.header === 'object' && !Array.isArray(o.header)) {
      return { id: String(o.id ?? `#${i}`), header: o.header as Record<string, unknown> };
    }
    return { id: `#${i}`, header: o };
  });
}

async function readFitsInput(path: string): Promise<Input> {
  const { FitsFile } = await import('../fits/index.node.ts');
  const f = await FitsFile.open(path);
  try {
    const h = f.hdus[0]!.header;
    return { id: path, header: parkeysFromFitsHeader((kw) => h.get(kw) ?? undefined) };
  } finally {
    await f.close();
  }
}

function pickContext(config: CrdsConfig, explicit: string | undefined): string {
  return explicit ?? effectiveContext(config).context;
}

/** JSON answer for one input. */
function toJson(id: string, r: BestrefsResult, allowBad: boolean): Record<string, unknown> {
  const refs: Record<string, { kind: string; value: string }> = {};
  for (const [rt, a] of Object.entries(r.answers)) refs[rt] = publicAnswer(a, rt, allowBad);
  const out: Record<string, unknown> = { id, instrument_mapping: r.instrumentMapping ?? null, bestrefs: refs };
  if (r.call.status === 'raised' && r.call.exception !== 'CrdsBadReferenceError') out.error = r.call.message;
  return out;
}

function publicAnswer(a: BestrefAnswer, reftype: string, allowBad: boolean): { kind: string; value: string } {
  if (a.badReference && !allowBad) {
    return { kind: 'error', value: `NOT FOUND Recommended reference '${a.value}' of type '${reftype}' is designated scientifically invalid.` };
  }
  return { kind: a.kind, value: a.value };
}

export const bestrefsCommand: Command = async (argv, io) => {
  const args = parseArgs(argv, ['--context', '--types', '--headers'], ['--json', '--allow-bad-references']);
  const config = resolveConfig();
  const allowBad = args.flags.has('--allow-bad-references') || config.allowBadReferences;
  const inputs: Input[] = [];
  const headersFile = args.values.get('--headers');
  if (headersFile) inputs.push(...(await readHeadersFile(headersFile)));
  for (const p of args.positional) inputs.push(await readFitsInput(p));
  if (!inputs.length) throw new CrdsError('crds-usage', 'give FITS files and/or --headers H.json');
  const contextName = pickContext(config, args.values.get('--context'));
  const ctx = loadContext(contextName, config);
  const types = args.values.get('--types')?.split(',').map((t) => t.trim()).filter((t) => t);
  let failed = 0;
  const json: Record<string, unknown>[] = [];
  for (const input of inputs) {
    const r = bestrefs(ctx, input.header, { reftypes: types, allowBad });
    if (r.call.status === 'raised') failed++;
    if (args.flags.has('--json')) {
      json.push(toJson(input.id, r, allowBad));
      continue;
    }
    io.stdout(`${input.id}  (${contextName}${r.instrumentMapping ? ', ' + r.instrumentMapping : ''})\n`);
    if (r.call.status === 'raised') io.stdout(`  ERROR ${r.call.exception}: ${r.call.message.trim()}\n`);
    const width = Math.max(8, ...Object.keys(r.answers).map((k) => k.length));
    for (const [rt, a] of Object.entries(r.answers)) {
      const p = publicAnswer(a, rt, allowBad);
      const shown = p.kind === 'file' ? p.value + (a.badReference ? '  (bad reference, allowed)' : '') : p.kind === 'n/a' ? 'n/a' : p.value.replace(/^NOT FOUND /, 'error: ');
      io.stdout(`  ${rt.padEnd(width)}  ${shown}\n`);
      // Say which parkey values the rule could not match.
      if (p.kind === 'error' && a.rmap && /\.rmap$/.test(a.rmap)) {
        const keys = ctx.rmap(a.rmap).requiredParkeys;
        const vals = keys.map((k) => `${k}=${JSON.stringify(r.minimizedHeader?.[k] ?? 'UNDEFINED')}`);
        io.stdout(`  ${''.padEnd(width)}  (${a.rmap}: ${vals.join(', ')})\n`);
      }
    }
  }
  if (args.flags.has('--json')) io.stdout(JSON.stringify(json, null, 1) + '\n');
  if (failed) io.stderr(`webbdesk crds bestrefs: ${failed} of ${inputs.length} input(s) failed\n`);
  return failed ? 1 : 0;
};

// ------------------------------------------------------------------ contexts

/**
 * Hook for asking a server which context is operational; undefined when
 * offline or not configured. Replaceable for tests.
 */
export let operationalContextLookup = async (config: CrdsConfig): Promise<string | undefined> => {
  if (config.mode === 'local' || !config.serverUrlFromEnv) return undefined;
  try {
    const { CrdsServer } = await import('../crds/server.node.ts');
    return await new CrdsServer(config.serverUrl, { timeoutMs: 5000 }).getDefaultContext();
  } catch {
    return undefined;
  }
};

export function setOperationalContextLookup(f: typeof operationalContextLookup): void {
  operationalContextLookup = f;
}

export const contextsCommand: Command = async (argv, io) => {
  const args = parseArgs(argv, [], ['--json']);
  const config = resolveConfig();
  const local = listContexts(config);
  const pinned = readPinnedContext(config);
  const info = readServerInfo(config);
  let effective: { context: string; source: string } | undefined;
  try {
    effective = effectiveContext(config);
  } catch {
    effective = undefined;
  }
  const remote = await operationalContextLookup(config);
  if (args.flags.has('--json')) {
    io.stdout(JSON.stringify({
      cache: config.crdsPath,
      local,
      env_context: config.envContext ?? null,
      pinned: pinned ?? null,
      effective: effective ?? null,
      operational: remote ?? null,
      operational_cached: info?.operationalContext ?? null,
    }, null, 1) + '\n');
    return 0;
  }
  io.stdout(`cache: ${config.crdsPath}\n`);
  io.stdout(`local contexts (${local.length}):\n`);
  for (const c of local) {
    const marks = [c === effective?.context ? 'in use' : '', c === pinned ? 'pinned' : '', c === info?.operationalContext ? 'operational when last synced' : '']
      .filter((x) => x)
      .join(', ');
    io.stdout(`  ${c}${marks ? `  (${marks})` : ''}\n`);
  }
  if (config.envContext) io.stdout(`CRDS_CONTEXT: ${config.envContext}\n`);
  io.stdout(`pinned: ${pinned ?? 'none'}\n`);
  io.stdout(effective ? `in use: ${effective.context} (from ${effective.source})\n` : 'in use: none\n');
  io.stdout(`operational: ${remote ?? 'unknown (offline)'}${!remote && info?.operationalContext ? `; ${info.operationalContext} when last synced${info.lastSynced ? ' ' + info.lastSynced : ''}` : ''}\n`);
  return 0;
};

// ------------------------------------------------------------------ where / pin

export const whereCommand: Command = async (argv, io) => {
  const args = parseArgs(argv, [], []);
  if (args.positional.length !== 1) throw new CrdsError('crds-usage', 'usage: webbdesk crds where FILE');
  const config = resolveConfig();
  const name = basename(args.positional[0]!.replace(/^crds:\/\//, ''));
  const path = /\.[pir]map$/.test(name) ? mappingPath(config, name) : referencePath(config, name);
  if (!path) {
    io.stderr(`webbdesk crds where: ${name} is not in the cache ${config.crdsPath}\n`);
    return 1;
  }
  io.stdout(path + '\n');
  return 0;
};

export const pinCommand: Command = async (argv, io: CliIO) => {
  const args = parseArgs(argv, [], []);
  if (args.positional.length !== 1) throw new CrdsError('crds-usage', 'usage: webbdesk crds pin CONTEXT (a .pmap name, e.g. jwst_0541.pmap)');
  const name = args.positional[0]!;
  const config = resolveConfig();
  if (!/^[a-z]+_\d+\.pmap$|^[a-z]+\.pmap$/.test(name)) throw new CrdsError('crds-usage', `not a context name: ${name} (expected e.g. jwst_0541.pmap)`);
  loadContext(name, config); // unknown context or a broken mapping fails here
  const path = writePinnedContext(config, name);
  io.stdout(`pinned ${name} (recorded in ${path}; CRDS_CONTEXT still overrides it)\n`);
  return 0;
};
