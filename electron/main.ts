/**
 * Electron main process: a thin shell over the engine API (ARCHITECTURE.md).
 * contextIsolation on, nodeIntegration off, sandbox on, a strict CSP on
 * every response, no navigation, no new windows, no remote content: the
 * window loads only the built renderer from dist/renderer via file://.
 */
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebbDeskService } from '../core/api/service.node.ts';
import { forwardEvents, registerApi } from './ipc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Run from electron/ (sources) or from the bundle in dist/electron/.
const root = path.resolve(here, here.endsWith(path.join('dist', 'electron')) ? '../..' : '..');
const rendererIndex = path.join(root, 'dist', 'renderer', 'index.html');
const preload = path.join(root, 'dist', 'electron', 'preload.cjs');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

app.enableSandbox();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function main(): Promise<void> {
  await app.whenReady();
  const service = new WebbDeskService();
  const project = process.argv.find((a, i) => process.argv[i - 1] === '--project');
  if (project) await service['projects.open']({ path: path.resolve(project) });
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP], 'X-Content-Type-Options': ['nosniff'] } });
  });
  // No remote content: only file:// and devtools requests pass.
  session.defaultSession.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !/^(file|devtools|data|blob):/.test(details.url) }));
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  const win = new BrowserWindow({
    width: 1400, height: 900, title: 'WebbDesk',
    webPreferences: { preload, contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, spellcheck: false },
  });
  registerApi(ipcMain, service, service.events, (e) => e.sender === win.webContents && e.senderFrame === win.webContents.mainFrame);
  forwardEvents(service.events, win.webContents);
  await win.loadFile(rendererIndex);
  void shell; // external links are not opened: navigation is blocked above
}

app.on('window-all-closed', () => app.quit());
void main();
