/**
 * The one module that reaches the engine: the Electron preload bridge
 * (window.webbdesk) when present, else a WebSocket to `webbdesk serve`
 * (token from the page URL). Stores call `api()`; components never do.
 */
import { createClient, type ClientTransport } from '../../../core/api/transport.ts';
import { webSocketTransport } from '../../../core/api/ws-client.ts';
import type { ApiClient, ArgsOf, EventName, MethodName, ResultOf } from '../../../core/api/types.ts';

interface Bridge {
  invoke(method: MethodName, args: unknown): Promise<unknown>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

let client: ApiClient | undefined;
let ready: Promise<void> = Promise.resolve();

function bridgeTransport(b: Bridge): ClientTransport {
  return {
    invoke: (m, a) => b.invoke(m, a),
    subscribe: (listener) => {
      const offs = (['onDidRunProgress', 'onDidRunLog', 'onDidFinishRun', 'onDidCrdsSync', 'onDidChangeProject'] as const).map((e) => b.on(e, (p) => listener(e, p)));
      return { dispose: () => offs.forEach((o) => o()) };
    },
  };
}

function connect(): ApiClient {
  const bridge = (window as unknown as { webbdesk?: Bridge }).webbdesk;
  if (bridge) return createClient(bridgeTransport(bridge));
  const q = new URLSearchParams(location.search).get('token');
  if (q) sessionStorage.setItem('webbdesk-token', q);
  const token = q ?? sessionStorage.getItem('webbdesk-token') ?? '';
  const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
  ready = new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot connect to webbdesk serve')), { once: true });
  });
  return createClient(webSocketTransport(ws as unknown as Parameters<typeof webSocketTransport>[0]));
}

/** Set a client (tests). */
export function setApi(c: ApiClient): void {
  client = c;
  ready = Promise.resolve();
}

export function api(): ApiClient {
  return (client ??= connect());
}

/** Call once connected. */
export async function call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const c = api();
  await ready;
  return c.call(method, args);
}
