/**
 * strun's command line: `<target> <input> --param=value --param value
 * --steps.<step>.<param>=value`, a bare boolean flag meaning True, plus
 * strun's own switches (--list, --help, --disable-crds-steppars,
 * --save-parameters FILE, --verbose).
 */
import { StepError } from '../errors/index.ts';
import { fullPipelineSpec, fullStepSpec } from '../stpipe/params-resolve.ts';
import type { ParamKind, PipelineDefinition, StepDefinition } from '../stpipe/types.ts';

export interface StrunArgs {
  target?: string;
  input?: string;
  /** 'param' / 'steps.<alias>.<param>' -> string as typed ('True' for a bare flag). */
  params: Record<string, string>;
  list: boolean;
  help: boolean;
  disableCrdsSteppars: boolean;
  saveParameters?: string;
  verbose: boolean;
}

const BOOL_WORDS = /^(true|false|t|f|yes|no|y|n|on|off|1|0)$/i;

/** The kind of a parameter name for a step/pipeline, or undefined when unknown. */
export function kindOf(def: StepDefinition | PipelineDefinition | undefined, name: string): ParamKind | undefined {
  if (!def) return undefined;
  if (Array.isArray((def as PipelineDefinition).steps)) {
    const p = def as PipelineDefinition;
    const m = /^steps\.([^.]+)\.(.+)$/.exec(name);
    if (m) {
      const e = p.steps.find((x) => (x.alias ?? x.step.name) === m[1]);
      return e ? fullStepSpec(e.step)[m[2]]?.kind : undefined;
    }
    return fullPipelineSpec(p)[name]?.kind;
  }
  return fullStepSpec(def as StepDefinition)[name]?.kind;
}

/**
 * Parse strun arguments. `lookup` finds the step/pipeline of the target (the
 * first word) so that bare boolean flags are told from `--x value`.
 */
export function parseStrunArgs(argv: readonly string[], lookup: (name: string) => StepDefinition | PipelineDefinition | undefined): StrunArgs {
  const a: StrunArgs = { params: {}, list: false, help: false, disableCrdsSteppars: false, verbose: false };
  const positional: string[] = [];
  const firstWord = argv.find((x) => !x.startsWith('-'));
  const def = firstWord && !/\.asdf$/i.test(firstWord) ? lookup(firstWord) : undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (arg === '--list') { a.list = true; continue; }
    if (arg === '--help' || arg === '-h') { a.help = true; continue; }
    if (arg === '--verbose' || arg === '-v') { a.verbose = true; continue; }
    if (arg === '--disable-crds-steppars') { a.disableCrdsSteppars = true; continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (!arg.startsWith('--') || !name) throw new StepError('usage', `unknown option '${arg}'`);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (value === undefined) {
      const next = argv[i + 1];
      const isBool = kindOf(def, name) === 'boolean';
      if (next !== undefined && !next.startsWith('--') && (!isBool || BOOL_WORDS.test(next))) {
        value = next;
        i++;
      } else if (isBool || name === 'save_results') value = 'True';
      else if (name !== 'save-parameters') throw new StepError('usage', `option --${name} needs a value (--${name}=VALUE)`, { parameter: name });
    }
    if (name === 'save-parameters') {
      if (!value) throw new StepError('usage', '--save-parameters needs a file name');
      a.saveParameters = value;
      continue;
    }
    a.params[name] = value as string;
  }
  if (positional.length > 2) throw new StepError('usage', `too many arguments: ${positional.slice(2).join(' ')} (give one input file or association)`);
  [a.target, a.input] = positional;
  return a;
}
