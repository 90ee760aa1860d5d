/**
 * Preload (sandboxed): exposes exactly the engine API, one `invoke` over the
 * allow-listed method names and `on` for the allow-listed events; never
 * ipcRenderer itself (electron docs, "Context Isolation").
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, type EventName, type MethodName } from '../core/api/types.ts';

const methods = new Set<string>(METHOD_NAMES);
const events = new Set<string>(EVENT_NAMES);

contextBridge.exposeInMainWorld('webbdesk', {
  async invoke(method: MethodName, args: unknown): Promise<unknown> {
    if (!methods.has(method)) throw Object.assign(new Error(`unknown API method ${String(method)}`), { code: 'unknown-method' });
    const r = (await ipcRenderer.invoke(`webbdesk:${method}`, args)) as { ok: boolean; value?: unknown; error?: unknown };
    if (!r.ok) throw r.error;
    return r.value;
  },
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`unknown API event ${String(event)}`);
    const h = (_e: IpcRendererEvent, name: string, payload: unknown) => { if (name === event) listener(payload); };
    ipcRenderer.on('webbdesk:event', h);
    return () => ipcRenderer.removeListener('webbdesk:event', h);
  },
});
