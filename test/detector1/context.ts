/** A minimal StepContext for running detector1 steps directly in tests (no runner). */
import type { ParamSpecs, Params, StepContext, StepDefinition, StepProduct } from '../../core/stpipe/types.ts';
import type { JwstModel } from '../../core/stpipe/model.ts';

/** Defaults from the spec, overridden by `params`; references by reftype ('N/A' or absent = not applicable); log lines pushed to `logs` as "<LEVEL> <message>". */
export function testContext(spec: ParamSpecs, refs: Record<string, string>, params: Params = {}, logs: string[] = [], outputDir = '.'): StepContext {
  const resolved: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(spec)) resolved[k] = s.default;
  Object.assign(resolved, params);
  return {
    params: resolved,
    async reference(reftype: string) {
      const p = refs[reftype];
      if (!p || p === 'N/A') return { kind: 'not-applicable', source: 'override' } as const;
      return { kind: 'file', path: p, name: p, source: 'override' } as const;
    },
    log: {
      debug: (m) => logs.push(`DEBUG ${m}`), info: (m) => logs.push(`INFO ${m}`),
      warning: (m) => logs.push(`WARNING ${m}`), error: (m) => logs.push(`ERROR ${m}`),
    },
    progress: () => undefined,
    signal: new AbortController().signal,
    outputDir,
  };
}

/** Run one step with the test context. */
export async function runStep(step: StepDefinition<JwstModel, StepProduct>, input: JwstModel, refs: Record<string, string>, params: Params = {}, logs: string[] = []): Promise<JwstModel> {
  const why = step.supports?.(input);
  if (why) throw new Error(`not supported: ${why}`);
  return (await step.run(input, testContext(step.spec, refs, params, logs))) as JwstModel;
}
