#!/usr/bin/env node
// `npm start`: the workstation on the bundled demo project.
// Until the workstation UI lands, this prepares the demo data and describes it
// with `webbdesk info`, saying what it did and why.
import { spawnSync } from 'node:child_process';
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
const run = (args) => spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status ?? 1;

console.log(electronBinary()
  ? 'webbdesk: Electron is installed, but the workstation window arrives with the UI issue; showing the demo project on the command line.'
  : 'webbdesk: the Electron binary is not installed (it cannot be downloaded here); the workstation UI is not built yet either, so this shows the demo project on the command line.');
console.log(`webbdesk: demo project in ${demoDir}\n`);
let status = run(['demo', '--no-run', demoDir]);
if (status === 0) status = run(['info', '--stats', ...readdirSync(demoDir).filter((f) => f.endsWith('.fits')).sort().map((f) => path.join(demoDir, f))]);
process.exitCode = status;
