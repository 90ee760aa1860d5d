/** `webbdesk strun --list` and `webbdesk strun X --help` texts. */
import { commonSpec, fullPipelineSpec, fullStepSpec } from '../stpipe/params-resolve.ts';
import type { ParamSpec, ParamSpecs, PipelineDefinition, StepDefinition } from '../stpipe/types.ts';

export interface Registry {
  readonly steps: Readonly<Record<string, StepDefinition>>;
  readonly pipelines: Readonly<Record<string, PipelineDefinition>>;
}

/** A default as stpipe prints it (True/False/None, lists comma-separated). */
export function showValue(v: unknown, kind?: string): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number' && (kind === 'float' || kind === 'float_list') && Number.isInteger(v)) return v.toFixed(1);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v)) return v.map((x) => showValue(x, kind)).join(',');
  if (typeof v === 'string') return v === '' ? "''" : v;
  return String(v);
}

function kindText(s: ParamSpec): string {
  if (s.kind === 'option') return `option(${(s.options ?? []).map((o) => showValue(o)).join(', ')})`;
  return s.kind + (s.nullable ? ' or None' : '');
}

function paramLines(spec: ParamSpecs, prefix = ''): string[] {
  const names = Object.keys(spec);
  const w = Math.max(10, ...names.map((n) => prefix.length + n.length));
  return names.map((n) => {
    const s = spec[n];
    return `  --${(prefix + n).padEnd(w)}  ${kindText(s)}, default ${showValue(s.default, s.kind)}${s.unit ? ` [${s.unit}]` : ''}\n  ${''.padEnd(w + 2)}  ${s.doc}`;
  });
}

const COMMON = Object.keys(commonSpec());

/** Lines for --list: pipelines, then steps, alias / class / implemented / summary. */
export function listText(reg: Registry): string {
  const out: string[] = ['pipelines:'];
  const row = (alias: string, cls: string, state: string, summary: string): string => `  ${alias.padEnd(22)} ${cls.padEnd(26)} ${state.padEnd(14)} ${summary}`;
  for (const [alias, p] of Object.entries(reg.pipelines)) out.push(row(alias, p.className, 'implemented', p.summary));
  out.push('', 'steps:');
  for (const alias of Object.keys(reg.steps).sort()) {
    const s = reg.steps[alias];
    out.push(row(alias, s.className, s.declaredOnly ? 'declared only' : 'implemented', s.summary));
  }
  return out.join('\n') + '\n';
}

/** Parameters with kinds, defaults and docs; reference types; a pipeline's steps. */
export function helpText(def: StepDefinition | PipelineDefinition): string {
  const out: string[] = [`${def.className} (${def.name}): ${def.summary}`, ''];
  if (Array.isArray((def as PipelineDefinition).steps)) {
    const p = def as PipelineDefinition;
    const own = fullPipelineSpec(p);
    out.push('parameters:', ...paramLines(Object.fromEntries(Object.entries(own).filter(([k]) => !COMMON.includes(k)))));
    out.push('', `common stpipe parameters: ${COMMON.join(', ')}`, '', 'steps (parameters as --steps.<step>.<param>=VALUE; see webbdesk strun <step> --help):');
    for (const e of p.steps) out.push(`  ${(e.alias ?? e.step.name).padEnd(22)} ${e.step.className.padEnd(26)} ${e.step.declaredOnly ? 'declared only' : ''}`);
    out.push('', `products: ${p.products.map((x) => '_' + x).join(', ')}`);
    return out.join('\n') + '\n';
  }
  const s = def as StepDefinition;
  const spec = fullStepSpec(s);
  out.push('parameters:', ...paramLines(s.spec));
  out.push('', `common stpipe parameters: ${COMMON.join(', ')}${s.skipByDefault ? ' (skip defaults to True)' : ''}`);
  out.push('', `reference types: ${s.referenceTypes.length ? s.referenceTypes.join(', ') : '(none)'}`);
  const overrides = Object.keys(spec).filter((k) => k.startsWith('override_'));
  if (overrides.length) out.push(`  override with --${overrides[0]}=PATH (or N/A); one --override_<reftype> per type`);
  if (s.declaredOnly) out.push('', 'declared only: WebbDesk knows its parameters but does not implement its algorithm yet.');
  return out.join('\n') + '\n';
}
