/** A fake engine API for store tests: canned answers per method, every call recorded, events emitted by hand. */
import type { ApiClient, ApiEvents, EventName, MethodName } from '../../../core/api/types.ts';
import { setApi } from '../api/client.ts';

export interface FakeApi {
  readonly calls: Array<{ method: MethodName; args: unknown }>;
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
}

export function installFakeApi(answers: Partial<Record<MethodName, (args: never) => unknown>>): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<string, Array<(p: unknown) => void>>();
  const client = {
    call: async (method: MethodName, args: unknown) => {
      calls.push({ method, args });
      const f = answers[method] as ((a: unknown) => unknown) | undefined;
      if (!f) throw new Error(`fake api: no answer for ${method}`);
      return f(args);
    },
    on: (event: EventName, l: (p: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return { dispose: () => undefined };
    },
  } as unknown as ApiClient;
  setApi(client);
  return { calls, emit: (e, p) => { for (const l of listeners.get(e) ?? []) l(p); } };
}
