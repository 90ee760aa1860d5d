#!/usr/bin/env node
// `npm run build`: bundle the `webbdesk` command into dist/app/cli.mjs (plain
// Node, no TypeScript loader needed) with its two worker entries beside it:
//   kernel.worker.mjs  the kernel pool's worker (core/workers/pool.node.ts looks for ./kernel.worker.mjs)
//   run-worker.mjs     the API's run worker (core/api/engine-worker.node.ts looks for ./run-worker.mjs):
//                      runner, pipelines and steps imported statically, so it needs no module URLs and no tsx
// WEBBDESK_BUILD_OUT=<dir> writes them there instead of dist/app (build/build.test.ts).
// The Electron shell is bundled by electron/build.ts (dist/electron, with the
// same two workers) and the renderer by vite; installers are made by
// electron-builder with build/electron-builder.json when the Electron binary is available.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// compressjs loads itself through amdefine, which does not survive bundling:
// these stay packages, resolved from node_modules above the output folder.
const EXTERNAL = ['compressjs', 'seek-bzip'];
// Bundled CommonJS dependencies call require(); ESM output has none of its own.
const REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
const COMMON = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, external: EXTERNAL, banner: { js: REQUIRE_BANNER }, logLevel: 'warning' };

const CLI_ENTRY = [
  "import { main } from './core/cli/main.ts';",
  'process.exitCode = await main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });',
  '',
].join('\n');

/** The worker entries every bundle that runs the engine needs beside it (output name -> source). */
export const WORKER_ENTRIES = {
  'kernel.worker.mjs': path.join(root, 'core', 'workers', 'kernel.worker.ts'),
  'run-worker.mjs': path.join(root, 'core', 'api', 'run-worker-bundle.node.ts'),
};

/** Bundle the worker entries into `out`. */
export async function buildWorkers(out) {
  mkdirSync(out, { recursive: true });
  for (const [name, entry] of Object.entries(WORKER_ENTRIES)) await build({ ...COMMON, entryPoints: [entry], outfile: path.join(out, name) });
}

/** Bundle cli.mjs and its workers into `out`. */
export async function buildCli(out) {
  mkdirSync(out, { recursive: true });
  await build({ ...COMMON, stdin: { contents: CLI_ENTRY, resolveDir: root, sourcefile: 'cli-entry.ts', loader: 'ts' }, outfile: path.join(out, 'cli.mjs') });
  await buildWorkers(out);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = process.env.WEBBDESK_BUILD_OUT ? path.resolve(process.env.WEBBDESK_BUILD_OUT) : path.join(root, 'dist', 'app');
  const t0 = performance.now();
  await buildCli(out);
  console.log(`built ${['cli.mjs', ...Object.keys(WORKER_ENTRIES)].map((f) => path.relative(process.cwd(), path.join(out, f))).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
