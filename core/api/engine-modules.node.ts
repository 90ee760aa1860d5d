/**
 * The engine over statically imported runner, pipelines and steps, for
 * bundles (dist/app/cli.mjs, dist/electron/main.mjs, run-worker.mjs): there
 * the modules are inside the bundle and the URLs engine.node.ts computes
 * (../stpipe/runner.node.ts, ...) name files that do not exist.
 */
import * as runner from '../stpipe/runner.node.ts';
import { PIPELINES } from '../pipelines/index.node.ts';
import { STEPS } from '../steps/registry.node.ts';
import { adaptModules } from './engine-adapter.node.ts';
import type { Engine } from './engine.node.ts';

/** The Engine over the modules bundled with this file (runs on the calling thread). */
export function staticEngine(): Engine {
  return adaptModules(runner as unknown as Record<string, unknown>, PIPELINES, STEPS);
}
