/**
 * Worker-thread entry: runs kernels by name for pool.node.ts. Messages in:
 * {id, kernel, args}; out: {id, ok: true, result} or {id, ok: false, error: {name, code, message}}.
 */
import { parentPort } from 'node:worker_threads';
import { runKernel } from './kernels.ts';

interface Request { id: number; kernel: string; args: unknown }

const port = parentPort;
if (port) {
  port.on('message', (m: Request) => {
    try {
      port.postMessage({ id: m.id, ok: true, result: runKernel(m.kernel, m.args) });
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      port.postMessage({ id: m.id, ok: false, error: { name: err.name ?? 'Error', code: err.code ?? 'kernel-failed', message: err.message ?? String(e) } });
    }
  });
  port.postMessage({ ready: true });
}
