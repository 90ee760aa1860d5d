/** The IPC helper registers exactly the API methods; the preload exposes exactly invoke/on over the allow-lists. */
import { describe, expect, it, vi } from 'vitest';
import { registerApi } from './ipc.ts';
import { EventHub } from '../core/api/transport.ts';
import { METHOD_NAMES, type ApiImplementation } from '../core/api/types.ts';

const exposed: Record<string, unknown> = {};
const invoked: Array<[string, unknown]> = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (k: string, v: unknown) => { exposed[k] = v; } },
  ipcRenderer: { invoke: async (ch: string, a: unknown) => { invoked.push([ch, a]); return { ok: true, value: 42 }; }, on: () => {}, removeListener: () => {} },
}));

describe('electron IPC', () => {
  it('registers one handler per API method and validates arguments', async () => {
    const handlers = new Map<string, (e: unknown, a: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (ch: string, f: (e: unknown, a: unknown) => Promise<unknown>) => handlers.set(ch, f), removeHandler: (ch: string) => handlers.delete(ch) };
    const impl = new Proxy({}, { get: () => async () => 'ok' }) as ApiImplementation;
    const dispose = registerApi(ipcMain as never, impl, new EventHub(), () => true);
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `webbdesk:${m}`).sort());
    expect(await handlers.get('webbdesk:projects.list')!({}, {})).toEqual({ ok: true, value: 'ok' });
    expect(await handlers.get('webbdesk:files.hdus')!({}, { path: 3 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    dispose();
    expect(handlers.size).toBe(0);
    const untrusted = registerApi(ipcMain as never, impl, new EventHub(), () => false);
    expect(await handlers.get('webbdesk:projects.list')!({}, {})).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    untrusted();
  });

  it('preload exposes only invoke and on, and refuses unknown methods', async () => {
    await import('./preload.ts');
    const api = exposed.webbdesk as { invoke(m: string, a: unknown): Promise<unknown>; on(e: string, f: () => void): () => void };
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(await api.invoke('projects.list', {})).toBe(42);
    expect(invoked).toEqual([['webbdesk:projects.list', {}]]);
    await expect(api.invoke('fs.readFile', {})).rejects.toThrow(/unknown API method/);
    expect(() => api.on('onDidSomethingElse', () => {})).toThrow(/unknown API event/);
  });
});
