/**
 * The `webbdesk` command. Each subcommand lives in its own module and is
 * loaded on demand, so `webbdesk info` does not pay for the pipeline code.
 */
import { WebbError } from '../errors/index.ts';

export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** A subcommand returns its exit status. */
export type Command = (argv: readonly string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  demo: { summary: 'write the demo project', load: async () => (await import('./demo.ts')).demoCommand },
  info: { summary: 'describe FITS/ASDF files: model, HDUs, meta, stats', load: async () => (await import('./info.ts')).infoCommand },
  crds: { summary: 'CRDS cache: best references, contexts, sync, verify', load: async () => (await import('./crds.ts')).crdsCommand },
  strun: { summary: 'run a step or pipeline as stpipe strun does', load: async () => (await import('./strun.ts')).strunCommand },
  asn_from_list: { summary: 'make an association JSON from a list of files (as jwst asn_from_list)', load: async () => (await import('./asn-from-list.ts')).asnFromListCommand },
  serve: { summary: 'the workstation UI and engine API on 127.0.0.1 (token in the URL)', load: async () => (await import('./serve.ts')).serveCommand },
  simulate: { summary: 'simulated MIRI exposures with truth and a CRDS reference set', load: async () => (await import('./simulate.ts')).simulateCommand },
};

/** Register a subcommand (used by modules added in later issues). */
export function usage(): string {
  const lines = ['usage: webbdesk <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`);
  lines.push('', "Run 'webbdesk <command> --help' for a command's options.");
  return lines.join('\n');
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`webbdesk ${await version()}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`webbdesk: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await cmd.load())(rest, io);
  } catch (e) {
    if (e instanceof WebbError) {
      io.stderr(`webbdesk ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
