/**
 * Running a golden case's exact command lines through `webbdesk` (main from
 * core/cli/main.ts) in a temporary copy of the case folder, with the CRDS
 * environment its case.json "crds" field describes: CRDS_MODE=local,
 * CRDS_PATH = a cache holding crds_context/*.map under mappings/jwst,
 * CRDS_CONTEXT = the context there, STPIPE_DISABLE_CRDS_STEPPARS=True.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../core/cli/main.ts';
import { sharedPath } from '../shared.ts';

/** The parts of case.json the golden tests use. */
export interface GoldenCase {
  readonly dir: string;
  readonly strun: string[];
  readonly tolerances: Record<string, unknown>;
  readonly inputs: Record<string, string>;
  readonly references: Record<string, string>;
  readonly context: string;
}

/** Read a case (`golden/<family>/<case>`). */
export async function loadCase(rel: string): Promise<GoldenCase> {
  const dir = sharedPath('golden', rel);
  const j = JSON.parse(await readFile(path.join(dir, 'case.json'), 'utf8')) as { strun: string | string[]; tolerances: Record<string, unknown>; inputs: Record<string, string>; references: Record<string, string> };
  const maps = await readdir(path.join(dir, 'crds_context'));
  const context = maps.find((m) => m.endsWith('.pmap'));
  if (!context) throw new Error(`${dir}/crds_context has no .pmap`);
  return { dir, strun: ([] as string[]).concat(j.strun), tolerances: j.tolerances, inputs: j.inputs, references: j.references, context };
}

const made: string[] = [];

/** Remove the work folders made so far (call in afterAll; WEBBDESK_KEEP_GOLDEN=1 keeps them). */
export async function cleanup(): Promise<void> {
  if (process.env.WEBBDESK_KEEP_GOLDEN) return;
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
}

/** An empty work folder (removed by cleanup). */
export async function emptyDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'webbdesk-golden-'));
  made.push(d);
  return d;
}

/** A work folder: the named case files copied (the case folder is read-only), and a CRDS cache with the case's mappings. */
export async function workDir(c: GoldenCase, files: readonly string[]): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'webbdesk-golden-'));
  made.push(d);
  for (const f of files) await copyFile(path.join(c.dir, f), path.join(d, f));
  const maps = path.join(d, 'crds', 'mappings', 'jwst');
  await mkdir(maps, { recursive: true });
  for (const m of await readdir(path.join(c.dir, 'crds_context'))) await copyFile(path.join(c.dir, 'crds_context', m), path.join(maps, m));
  return d;
}

/** Reference files the case used (the keys of "references" that are files). */
export const referenceFiles = (c: GoldenCase): string[] => Object.keys(c.references).filter((f) => f !== 'N/A');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run one command line of case.json ("strun calwebb_spec2 in.fits --x=y",
 * "asn_from_list -o ...") as `webbdesk <words>` in `cwd` with the case's
 * CRDS environment. process.env and the working directory are restored after.
 */
export async function runCommand(c: GoldenCase, cwd: string, command: string): Promise<CliRun> {
  return runCli(cwd, command.trim().split(/\s+/), {
    CRDS_MODE: 'local',
    CRDS_PATH: path.join(cwd, 'crds'),
    CRDS_CONTEXT: c.context,
    CRDS_SERVER_URL: 'https://crds.invalid',
    STPIPE_DISABLE_CRDS_STEPPARS: 'True',
  });
}

/** `webbdesk <words>` in `cwd` with `env` added to process.env (both restored after). */
export async function runCli(cwd: string, words: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const saved = { ...process.env };
  const oldCwd = process.cwd();
  const out: string[] = [];
  const err: string[] = [];
  Object.assign(process.env, env);
  process.chdir(cwd);
  try {
    const code = await main(words, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(oldCwd);
    process.env = saved;
  }
}

/** The error lines of a run (for failure messages: the log is long). */
export const errorLines = (r: CliRun): string =>
  r.stderr.split('\n').filter((l) => /error|fail|webbdesk/i.test(l)).slice(-15).join('\n');
