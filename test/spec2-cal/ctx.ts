/** A minimal StepContext for calling a step's run() directly in tests: parameters from the spec defaults, references from a map. */
import type { ParamSpecs, ReferenceChoice, StepContext } from '../../core/stpipe/index.ts';

export function testContext(step: { readonly spec: ParamSpecs }, refs: Record<string, string | 'N/A'>, params: Record<string, unknown> = {}): StepContext & { logs: string[] } {
  const logs: string[] = [];
  const resolved: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(step.spec)) resolved[k] = k in params ? params[k] : s.default;
  const log = (lvl: string) => (m: string) => void logs.push(`${lvl}: ${m}`);
  return {
    params: resolved,
    logs,
    async reference(reftype: string): Promise<ReferenceChoice> {
      const r = refs[reftype] ?? 'N/A';
      return r === 'N/A' ? { kind: 'not-applicable', source: 'override' } : { kind: 'file', path: r, name: r, source: 'override' };
    },
    log: { debug: log('debug'), info: log('info'), warning: log('warning'), error: log('error') },
    progress: () => undefined,
    signal: new AbortController().signal,
    outputDir: '.',
  };
}
