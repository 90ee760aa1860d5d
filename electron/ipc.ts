/**
 * Registers the whole engine API on ipcMain through one helper: one
 * `ipcMain.handle` per method (same dispatcher as `webbdesk serve`: method
 * allow-list + schema), events forwarded with webContents.send. Only our
 * own window's frames may call. Replies carry ArrayBuffers, which Electron's
 * structured clone copies without JSON.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatch, toWireError, type EventHub } from '../core/api/transport.ts';
import { METHOD_NAMES, type ApiImplementation } from '../core/api/types.ts';

export const CHANNEL_PREFIX = 'webbdesk:';

export function registerApi(ipcMain: IpcMain, impl: ApiImplementation, events: EventHub, isTrusted: (e: IpcMainInvokeEvent) => boolean): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(CHANNEL_PREFIX + method, async (e, args: unknown) => {
      if (!isTrusted(e)) return { ok: false, error: { name: 'WebbError', code: 'access-denied', message: 'IPC from an untrusted frame' } };
      try {
        return { ok: true, value: await dispatch(impl, method, args) };
      } catch (err) {
        return { ok: false, error: toWireError(err) };
      }
    });
  }
  return () => METHOD_NAMES.forEach((m) => ipcMain.removeHandler(CHANNEL_PREFIX + m));
}

/** Forward every API event to a window. */
export function forwardEvents(events: EventHub, target: WebContents): () => void {
  const d = events.onAny((event, payload) => { if (!target.isDestroyed()) target.send(`${CHANNEL_PREFIX}event`, event, payload); });
  return () => d.dispose();
}
