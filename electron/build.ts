/**
 * Bundle the Electron main process and preload (sandboxed preloads cannot
 * import modules): dist/electron/main.mjs, preload.cjs, and beside main.mjs
 * the two worker entries its engine needs (main runs WebbDeskService):
 * run-worker.mjs (the API's run worker, core/api/engine-worker.node.ts looks
 * for ./run-worker.mjs next to the bundle) and kernel.worker.mjs (the kernel
 * pool's, core/workers/pool.node.ts). The same entries as build/build.js.
 */
import { build, type BuildOptions } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** compressjs loads itself through amdefine, which does not survive bundling (as build/build.js). */
const EXTERNAL = ['electron', 'compressjs', 'seek-bzip'];
const ESM: BuildOptions = {
  bundle: true, platform: 'node', format: 'esm', target: 'node20', external: EXTERNAL,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};
const WORKERS: Readonly<Record<string, string>> = {
  'run-worker.mjs': path.join(root, 'core', 'api', 'run-worker-bundle.node.ts'),
  'kernel.worker.mjs': path.join(root, 'core', 'workers', 'kernel.worker.ts'),
};

/** Build into `out` (default dist/electron; env WEBBDESK_ELECTRON_OUT). */
export async function buildElectron(out = process.env.WEBBDESK_ELECTRON_OUT ? path.resolve(process.env.WEBBDESK_ELECTRON_OUT) : path.join(root, 'dist', 'electron')): Promise<void> {
  await build({ entryPoints: [path.join(root, 'electron', 'preload.ts')], outfile: path.join(out, 'preload.cjs'), bundle: true, platform: 'node', format: 'cjs', external: ['electron'], target: 'node20' });
  await build({ ...ESM, entryPoints: [path.join(root, 'electron', 'main.ts')], outfile: path.join(out, 'main.mjs') });
  for (const [name, entry] of Object.entries(WORKERS)) await build({ ...ESM, entryPoints: [entry], outfile: path.join(out, name) });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await buildElectron();
