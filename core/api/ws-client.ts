/**
 * The client side of the `webbdesk serve` WebSocket protocol (pure: works
 * with the browser WebSocket or any object of the same shape): calls are
 * {t:'call', id, method, args}, replies {t:'reply', id, ok, value|error},
 * pushes {t:'event', event, payload}, all as core/api/wire.ts messages.
 */
import { WebbError } from '../errors/index.ts';
import type { ClientTransport } from './transport.ts';
import type { EventName } from './types.ts';
import { decodeMessage, encodeMessage } from './wire.ts';

/** The part of the WebSocket interface used here. */
export interface SocketLike {
  binaryType: string;
  send(data: Uint8Array): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
}

export function webSocketTransport(ws: SocketLike): ClientTransport {
  ws.binaryType = 'arraybuffer';
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  ws.onmessage = (ev) => {
    const data = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : ev.data instanceof Uint8Array ? ev.data : undefined;
    if (!data) return;
    const m = decodeMessage(data) as { t: string; id?: number; ok?: boolean; value?: unknown; error?: unknown; event?: EventName; payload?: unknown };
    if (m.t === 'reply' && m.id !== undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (p && m.ok) p.resolve(m.value);
      else if (p) p.reject(m.error);
    } else if (m.t === 'event' && m.event) for (const l of listeners) l(m.event, m.payload);
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.reject(new WebbError('disconnected', 'the connection to webbdesk serve closed'));
    pending.clear();
  };
  return {
    invoke(method, args) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(encodeMessage({ t: 'call', id, method, args }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
}
