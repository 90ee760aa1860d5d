/**
 * Transport-neutral pieces of the API: the serving-side dispatcher (method
 * allow-list, schema check, errors to wire form), the client that rebuilds
 * typed errors, an event hub, and an in-memory transport for tests
 * (microsoft/vscode ipc.test.ts habit: most tests need neither Electron nor
 * a browser).
 */
import { reviveError, WebbError } from '../errors/index.ts';
import { validate } from './schema.ts';
import { SCHEMAS } from './schemas.ts';
import { decodeMessage, encodeMessage } from './wire.ts';
import {
  EVENT_NAMES, METHOD_NAMES, type ApiClient, type ApiEvents, type ApiImplementation, type ArgsOf, type Disposable, type EventName,
  type MethodName, type ResultOf, type WireError,
} from './types.ts';

const METHODS = new Set<string>(METHOD_NAMES);
const EVENTS = new Set<string>(EVENT_NAMES);

export function isMethodName(m: unknown): m is MethodName {
  return typeof m === 'string' && METHODS.has(m);
}

export function isEventName(e: unknown): e is EventName {
  return typeof e === 'string' && EVENTS.has(e);
}

/** `{name, code, message}` for any thrown value. */
export function toWireError(e: unknown): WireError {
  if (e instanceof WebbError) return { name: e.name, code: e.code, message: e.message };
  if (e instanceof Error) return { name: 'BugError', code: 'internal', message: `internal error (please report): ${e.message}` };
  return { name: 'BugError', code: 'internal', message: `internal error (please report): ${String(e)}` };
}

export function isWireError(v: unknown): v is WireError {
  return !!v && typeof v === 'object' && typeof (v as WireError).code === 'string' && typeof (v as WireError).message === 'string';
}

/** Validate and run one call; unknown methods and bad arguments are refused before the service sees them. */
export async function dispatch(impl: ApiImplementation, method: unknown, args: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new WebbError('unknown-method', `unknown API method ${JSON.stringify(String(method).slice(0, 80))}`);
  validate(method, SCHEMAS[method], args ?? {});
  const f = impl[method] as (a: unknown) => Promise<unknown>;
  return f.call(impl, args ?? {});
}

type Listener = (payload: never) => void;

/** A small event hub (the service emits, transports forward). */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly all = new Set<(event: EventName, payload: unknown) => void>();

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return { dispose: () => set.delete(listener as Listener) };
  }

  onAny(listener: (event: EventName, payload: unknown) => void): Disposable {
    this.all.add(listener);
    return { dispose: () => this.all.delete(listener) };
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: ApiEvents[E]) => void)(payload);
    for (const l of this.all) l(event, payload);
  }
}

/** What a client needs from a transport. */
export interface ClientTransport {
  /** Resolves with the result or rejects with a WireError (or a transport Error). */
  invoke(method: MethodName, args: unknown): Promise<unknown>;
  subscribe(listener: (event: EventName, payload: unknown) => void): Disposable;
}

/** An ApiClient over a transport: typed calls, errors rebuilt as WebbError subclasses. */
export function createClient(transport: ClientTransport): ApiClient {
  const hub = new EventHub();
  transport.subscribe((event, payload) => {
    if (isEventName(event)) hub.emit(event, payload as ApiEvents[typeof event]);
  });
  return {
    async call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
      try {
        return (await transport.invoke(method, args)) as ResultOf<M>;
      } catch (e) {
        throw isWireError(e) && !(e instanceof Error) ? reviveError(e) : e;
      }
    },
    on: (event, listener) => hub.on(event, listener),
  };
}

/** An in-memory transport: every call and event goes through the byte codec, as over a socket. */
export function inMemoryTransport(impl: ApiImplementation, events: EventHub): ClientTransport {
  return {
    async invoke(method, args) {
      const decodedArgs = decodeMessage(encodeMessage(args));
      let reply: Uint8Array;
      try {
        reply = encodeMessage({ ok: true, value: await dispatch(impl, method, decodedArgs) });
      } catch (e) {
        reply = encodeMessage({ ok: false, error: toWireError(e) });
      }
      const r = decodeMessage(reply) as { ok: boolean; value?: unknown; error?: WireError };
      if (!r.ok) throw r.error;
      return r.value;
    },
    subscribe(listener) {
      return events.onAny((event, payload) => listener(event, decodeMessage(encodeMessage(payload))));
    },
  };
}
