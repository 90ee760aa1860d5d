#!/usr/bin/env node
// `npm start`: the workstation on the bundled demo project.
// Electron when its binary is installed; otherwise `webbdesk serve` on the
// demo project in a browser, printing the URL and saying why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'webbdesk.js');

// Requiring 'electron' would try to download the binary; look for it instead.
function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

const demoDir = process.env.WEBBDESK_DEMO_DIR ?? path.join(root, 'demo');
const node = (args, opts = {}) => spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, ...opts }).status ?? 1;

// The demo is simulated and reduced (Detector1 -> Spec2 -> Tso3) once; a
// finished demo has its white-light curve. Delete the folder (or set
// WEBBDESK_FRESH_DEMO=1) to make it again.
const hasDemo = existsSync(demoDir) && readdirSync(demoDir).some((f) => f.endsWith('_whtlt.ecsv'));
if (!hasDemo || process.env.WEBBDESK_FRESH_DEMO) {
  console.log(`webbdesk: simulating the demo project into ${demoDir} and reducing it (a few minutes, once) ...`);
  const s = node([cli, 'demo', demoDir]);
  if (s !== 0) process.exit(s);
}
if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  console.log('webbdesk: building the user interface (dist/renderer) once ...');
  const s = node([path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'build/vite-renderer.config.ts', '--logLevel', 'warn']);
  if (s !== 0) process.exit(s);
}

const electron = electronBinary();
if (electron) {
  const s = node([path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'electron/build.ts']);
  if (s !== 0) process.exit(s);
  console.log(`webbdesk: starting Electron on the demo project ${demoDir}`);
  const child = spawn(electron, [path.join(root, 'dist', 'electron', 'main.mjs'), '--project', demoDir], { stdio: 'inherit' });
  child.on('exit', (c) => { process.exitCode = c ?? 0; });
} else {
  console.log('webbdesk: the Electron binary is not installed (npm ci cannot download it here), so the workstation runs in your browser instead:');
  console.log(`webbdesk: serving the demo project ${demoDir}; open the URL below (it carries the session token)`);
  const child = spawn(process.execPath, [cli, 'serve', '--project', demoDir, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (c) => { process.exitCode = c ?? 0; });
}
