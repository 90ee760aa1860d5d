/**
 * Pipeline panel arithmetic (pure): which parameters are "basic" or
 * "advanced", which differ from their defaults, the references a step will
 * use, and a one-line summary per step.
 */
import type { ParamSpecView, PipelinePlan, StepView } from '../../../core/api/types.ts';

export type ParamValue = string | number | boolean | null | readonly (string | number)[];

/** Parameters that only matter for other instruments/modes (jwst names them with these prefixes or words). */
const OTHER_MODE = /^(soss_|nrs_|ifu_|mrs_|wfss_|sip_)|(nirspec|niriss|nircam|_ifu|_mos|msa)/;
/** How many parameters (in declared order) show before "advanced". */
export const BASIC_COUNT = 5;

export interface ParamRow {
  readonly name: string;
  readonly key: string;
  readonly spec: ParamSpecView;
  readonly value: unknown;
  readonly changed: boolean;
}

/** Values compare as the form shows them: numbers by value, null and '' alike, lists by their text. */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === '' || v === undefined ? null : Array.isArray(v) ? v.join(',') : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  return norm(a) === norm(b);
}

/** A step's parameters split into basic and advanced, each with its current value and whether it differs from the default. */
export function paramRows(step: StepView, params: Readonly<Record<string, ParamValue>>): { basic: ParamRow[]; advanced: ParamRow[] } {
  const rows = Object.entries(step.spec).map(([name, spec]): ParamRow => {
    const key = `${step.name}.${name}`;
    const value = key in params ? params[key] : spec.default;
    return { name, key, spec, value, changed: key in params && !sameValue(params[key], spec.default) };
  });
  const basic: ParamRow[] = [], advanced: ParamRow[] = [];
  for (const r of rows) {
    const isBasic = !OTHER_MODE.test(r.name) && basic.length < BASIC_COUNT;
    (isBasic || r.changed ? basic : advanced).push(r);
  }
  return { basic, advanced };
}

export interface ParamChange {
  readonly step: string;
  readonly param: string;
  readonly default: unknown;
  readonly value: unknown;
}

/** Every parameter set to something other than its default, in plan order (overrides and save_results included). */
export function paramsDiff(plan: PipelinePlan, params: Readonly<Record<string, ParamValue>>): ParamChange[] {
  const out: ParamChange[] = [];
  for (const s of plan.steps) {
    for (const [k, v] of Object.entries(params)) {
      if (!k.startsWith(`${s.name}.`)) continue;
      const param = k.slice(s.name.length + 1);
      const def = s.spec[param]?.default ?? (param === 'save_results' ? false : null);
      if (!sameValue(v, def)) out.push({ step: s.name, param, default: def, value: v });
    }
  }
  return out;
}

export interface StepReference {
  readonly reftype: string;
  /** The file CRDS selects, or the user's override. */
  readonly file: string;
  readonly override: boolean;
}

/** References a step will use: overrides first, else what CRDS selects; reftypes that are N/A for this file are counted apart. */
export function stepReferences(step: StepView, plan: PipelinePlan, params: Readonly<Record<string, ParamValue>>): { refs: StepReference[]; notApplicable: number } {
  const refs: StepReference[] = [];
  let notApplicable = 0;
  for (const r of step.referenceTypes) {
    const o = params[`${step.name}.override_${r}`];
    if (typeof o === 'string' && o) refs.push({ reftype: r, file: o, override: true });
    else if (plan.references[r]) refs.push({ reftype: r, file: plan.references[r]!, override: false });
    else notApplicable++;
  }
  return { refs, notApplicable };
}

/** Parse a form field's text into the parameter's type (numbers for int/float, lists split on commas). */
export function parseParam(spec: ParamSpecView, text: string): ParamValue {
  if (text.trim() === '') return null;
  if (spec.kind.endsWith('_list')) {
    const items = text.split(',').map((t) => t.trim()).filter(Boolean);
    return spec.kind === 'string_list' ? items : items.map(Number);
  }
  if (spec.kind === 'integer' || spec.kind === 'float') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}
