/** Bundle the Electron main process and preload (sandboxed preloads cannot import modules): dist/electron/main.mjs, preload.cjs. */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'electron');

export async function buildElectron(): Promise<void> {
  await build({ entryPoints: [path.join(root, 'electron', 'preload.ts')], outfile: path.join(out, 'preload.cjs'), bundle: true, platform: 'node', format: 'cjs', external: ['electron'], target: 'node20' });
  await build({
    entryPoints: [path.join(root, 'electron', 'main.ts')], outfile: path.join(out, 'main.mjs'), bundle: true, platform: 'node', format: 'esm', external: ['electron'], target: 'node20',
    banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await buildElectron();
