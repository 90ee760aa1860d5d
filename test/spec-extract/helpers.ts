/** Test helpers for the spectral-extraction steps: a StepContext with fixed references and resolved defaults. */
import type { ParamSpecs, ReferenceChoice, StepContext } from '../../core/stpipe/index.ts';
import type { FitsTable } from '../../core/fits/index.ts';

export const GOLDEN_LRS = 'golden/lrs_spec2_tso3/p01_lrs_slitless_transit';

/** A context whose params are the spec defaults plus `params`, and whose references are `refs` (missing = N/A). */
export function makeCtx(spec: ParamSpecs, params: Record<string, unknown> = {}, refs: Record<string, string> = {}): StepContext & { logs: string[] } {
  const resolved: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(spec)) resolved[k] = s.default;
  Object.assign(resolved, params);
  const logs: string[] = [];
  const log = (lvl: string) => (m: string): void => { logs.push(`${lvl}: ${m}`); };
  return {
    params: resolved,
    reference: async (t: string): Promise<ReferenceChoice> => (refs[t] ? { kind: 'file', path: refs[t], name: refs[t], source: 'override' } : { kind: 'not-applicable', source: 'override' }),
    log: { debug: log('debug'), info: log('info'), warning: log('warning'), error: log('error') },
    progress: () => undefined,
    signal: new AbortController().signal,
    outputDir: '/tmp',
    logs,
  };
}

/** A table column's values as numbers. */
export function colData(t: FitsTable, name: string): Float64Array {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return Float64Array.from(c.data as ArrayLike<number>);
}

/** Largest |a-b| / (atol + rtol|b|) over finite pairs; NaN positions must agree (returns Infinity otherwise). */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): number {
  if (a.length !== b.length) return Infinity;
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
    if (Number.isNaN(b[i]) || a[i] === b[i]) continue;
    w = Math.max(w, Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
  }
  return w;
}
