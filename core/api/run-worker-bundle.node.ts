/**
 * Entry of the bundled run worker (build/build.js -> run-worker.mjs next to
 * cli.mjs and dist/electron/main.mjs). The runner, pipelines and steps are
 * imported statically, so the worker needs neither module URLs nor tsx;
 * engine-worker.node.ts starts it with workerData {webbdeskRunWorker: true,
 * bundled: true}. Every run's result carries versions['webbdesk.runWorker']
 * = 'bundled'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { staticEngine } from './engine-modules.node.ts';
import { serveRuns } from './run-worker.node.ts';

if ((workerData as { webbdeskRunWorker?: boolean } | null)?.webbdeskRunWorker === true && parentPort) {
  serveRuns(parentPort, async () => staticEngine(), 'bundled');
}
