/**
 * `webbdesk strun <alias | ClassName | params.asdf> <input.fits | asn.json> [--param=value ...]`:
 * stpipe's strun (jwst docs, "Running the JWST pipeline: Command Line Interface").
 * `--x value` and `--x=value` both work; a bare boolean flag means True.
 * Exit status: 0 success, 1 failure, 64 no science data.
 */
import { StepError, WebbError } from '../errors/index.ts';
import { NO_SCIENCE_DATA } from '../stpipe/runner.node.ts';
import type { PipelineDefinition, StepDefinition } from '../stpipe/types.ts';
import type { CliIO, Command } from './main.ts';
import { helpText, listText, type Registry } from './strun-help.ts';
import { parseStrunArgs, type StrunArgs } from './strun-args.ts';

const USAGE = `usage: webbdesk strun <alias|ClassName|parameters.asdf> <input.fits|asn.json> [options]
       webbdesk strun --list
       webbdesk strun <alias|ClassName> --help

options:
  --<param>=<value>                  a parameter of the step or pipeline (--x value also works)
  --steps.<step>.<param>=<value>     a parameter of a pipeline's step
  --output_dir=DIR                   where outputs go (default: the current directory)
  --disable-crds-steppars            do not use CRDS pars-* parameter references
  --save-parameters=FILE             write the resolved parameters as an ASDF parameter file
  --verbose, -v                      debug log lines
Exit status: 0 success, 1 failure, 64 no science data.
`;

/** Steps and pipelines, loaded on demand. */
export async function loadRegistry(): Promise<Registry> {
  const [{ STEPS }, { PIPELINES }] = await Promise.all([import('../steps/registry.node.ts'), import('../pipelines/index.node.ts')]);
  return { steps: STEPS, pipelines: PIPELINES };
}

/** A step or pipeline by alias, class name or dotted Python class ('jwst.jump.jump_step.JumpStep'). */
export function lookup(reg: Registry, name: string): StepDefinition | PipelineDefinition | undefined {
  const tail = name.slice(name.lastIndexOf('.') + 1);
  return reg.pipelines[name] ?? reg.steps[name]
    ?? Object.values(reg.pipelines).find((p) => p.className === tail)
    ?? Object.values(reg.steps).find((s) => s.className === tail);
}

async function resolveTarget(reg: Registry, target: string, cwd: string): Promise<{ def: StepDefinition | PipelineDefinition; paramFile?: string }> {
  if (/\.asdf$/i.test(target)) {
    const path = await import('node:path');
    const { loadParameterFile } = await import('../stpipe/resolve.node.ts');
    const file = path.resolve(cwd, target);
    const p = await loadParameterFile(file);
    const def = lookup(reg, p.className);
    if (!def) throw new StepError('unknown-step', `parameter file class ${p.className} is not a step or pipeline WebbDesk knows (webbdesk strun --list)`, { file });
    return { def, paramFile: file };
  }
  const def = lookup(reg, target);
  if (!def) throw new StepError('unknown-step', `no step or pipeline named ${target} (webbdesk strun --list)`);
  return { def };
}

async function run(a: StrunArgs, reg: Registry, io: CliIO): Promise<number> {
  const cwd = process.cwd();
  const { def, paramFile } = await resolveTarget(reg, a.target as string, cwd);
  const { runStep, runPipeline, resolveParameters, isPipelineDef } = await import('../stpipe/runner.node.ts');
  const { exportConfig } = await import('../stpipe/resolve.node.ts');
  const cliParams: Record<string, unknown> = { ...a.params };
  // strun saves the final product (stpipe's command line sets save_results for the top-level step).
  if (!('save_results' in cliParams)) cliParams.save_results = true;
  const opts = {
    cliParams, paramFile, cwd,
    useCrdsSteppars: !a.disableCrdsSteppars,
    logSink: (line: string) => io.stderr(line + '\n'),
    logLevel: a.verbose ? ('debug' as const) : ('info' as const),
  };
  if (!a.input) {
    if (!a.saveParameters) throw new StepError('usage', `no input file given\n${USAGE}`);
    await exportConfig(def, await resolveParameters(def, undefined, opts), a.saveParameters);
    io.stdout(`wrote ${a.saveParameters}\n`);
    return 0;
  }
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = isPipelineDef(def) ? await runPipeline(def, a.input, { ...opts, signal: ac.signal }) : await runStep(def, a.input, { ...opts, signal: ac.signal });
    if (a.saveParameters) await exportConfig(def, r.resolvedParams, a.saveParameters);
    for (const f of r.failures) io.stderr(`webbdesk strun: product ${f.product} failed: ${f.error.message}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The strun command over a registry (tests give a small one). */
export function makeStrun(loadReg: () => Promise<Registry>): Command {
  return async (argv, io) => strun(argv, io, loadReg);
}

async function strun(argv: readonly string[], io: CliIO, loadReg: () => Promise<Registry>): Promise<number> {
  let a: StrunArgs;
  try {
    const reg = await loadReg();
    a = parseStrunArgs(argv, (name) => lookup(reg, name));
    if (a.list) {
      io.stdout(listText(reg));
      return 0;
    }
    if (a.help || !a.target) {
      if (!a.target) {
        io.stdout(USAGE);
        return a.help ? 0 : 2;
      }
      const def = lookup(reg, a.target);
      if (!def) throw new StepError('unknown-step', `no step or pipeline named ${a.target} (webbdesk strun --list)`);
      io.stdout(helpText(def));
      return 0;
    }
    return await run(a, reg, io);
  } catch (e) {
    if (e instanceof WebbError) {
      io.stderr(`webbdesk strun: ${e.message}\n`);
      return e.code === NO_SCIENCE_DATA ? 64 : 1;
    }
    throw e;
  }
}

export const strunCommand: Command = makeStrun(loadRegistry);
