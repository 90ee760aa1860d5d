#!/usr/bin/env node
// `npm run build`: bundle the `webbdesk` command into dist/app/cli.mjs (plain
// Node, no TypeScript loader needed). The Electron shell and renderer join
// this build when they exist; installers are made by electron-builder with
// build/electron-builder.json when the Electron binary is available.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'app');
mkdirSync(out, { recursive: true });
const entry = path.join(out, 'cli-entry.ts');
writeFileSync(entry, [
  "import { main } from '../../core/cli/main.ts';",
  'process.exitCode = await main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });',
  '',
].join('\n'));
await build({
  entryPoints: [entry],
  outfile: path.join(out, 'cli.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // compressjs loads itself through amdefine, which does not survive bundling.
  external: ['compressjs', 'seek-bzip'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'info',
});
// The kernel pool's worker entry, next to cli.mjs (core/workers/pool.node.ts looks for ./kernel.worker.mjs).
await build({
  entryPoints: [path.join(root, 'core', 'workers', 'kernel.worker.ts')],
  outfile: path.join(out, 'kernel.worker.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'info',
});
console.log(`built ${path.relative(root, path.join(out, 'cli.mjs'))} and kernel.worker.mjs`);
