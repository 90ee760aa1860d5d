/**
 * `webbdesk serve [--port P] [--project DIR]`: the workstation in a browser.
 * Binds 127.0.0.1 only and prints the URL with its random token.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebbError } from '../errors/index.ts';
import { startServer } from '../api/http.node.ts';
import { WebbDeskService } from '../api/service.node.ts';
import type { Command } from './main.ts';

const HELP = `usage: webbdesk serve [--port P] [--project DIR] [--static DIR]

Serves the workstation UI and the engine API on http://127.0.0.1:P (P random by
default) with a random token in the printed URL; every request needs it.
  --project DIR   open this project folder at start (its crds_cache/ folder,
                  when present, is the CRDS cache unless CRDS_PATH is set)
  --static DIR    the built renderer (default dist/renderer)`;

export const serveCommand: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HELP + '\n');
    return 0;
  }
  let port = 0, project: string | undefined, staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a === '--port' && v !== undefined) { port = Number(v); i++; }
    else if (a === '--project' && v !== undefined) { project = path.resolve(v); i++; }
    else if (a === '--static' && v !== undefined) { staticDir = path.resolve(v); i++; }
    else throw new WebbError('usage', `serve: unknown argument ${a} (see 'webbdesk serve --help')`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WebbError('usage', `serve: --port must be 0..65535, not ${argv[argv.indexOf('--port') + 1]}`);
  // A project with its own CRDS cache (the demo's <project>/crds_cache) uses it
  // unless CRDS_PATH says otherwise; said on stdout, never switched silently.
  const ownCache = project ? path.join(project, 'crds_cache') : undefined;
  if (ownCache && existsSync(path.join(ownCache, 'mappings'))) {
    if (!process.env.CRDS_PATH) {
      process.env.CRDS_PATH = ownCache;
      if (!process.env.CRDS_MODE) process.env.CRDS_MODE = 'local';
      io.stdout(`webbdesk serve: CRDS cache ${ownCache} (the project's own; mode ${process.env.CRDS_MODE}; set CRDS_PATH to use another)\n`);
    } else if (path.resolve(process.env.CRDS_PATH) !== ownCache) io.stdout(`webbdesk serve: CRDS_PATH=${process.env.CRDS_PATH} (the project's own cache ${ownCache} is not used)\n`);
  }
  const service = new WebbDeskService();
  if (project) await service['projects.open']({ path: project });
  const s = await startServer(service, service.events, { port, staticDir });
  io.stdout(`webbdesk serve: ${s.url}\n`);
  if (project) io.stdout(`webbdesk serve: project ${project}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void s.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
};
