/** A quiet StepContext for running jump/ramp_fit steps outside the runner (tests, bench). */
import type { StepContext } from '../../core/stpipe/index.ts';
import type { KernelPool } from '../../core/workers/types.ts';

/** Context with the given parameters; references come from `refs` (reftype -> file path). */
export function fakeContext(params: Record<string, unknown>, refs: Record<string, string>, pool?: KernelPool): StepContext {
  const quiet = (): void => undefined;
  return {
    params, pool, outputDir: '.', signal: new AbortController().signal, progress: quiet,
    log: { debug: quiet, info: quiet, warning: quiet, error: quiet },
    reference: async (t: string) => ({ kind: 'file', path: refs[t], name: refs[t], source: 'override' }),
  };
}
