import { ApiError, requestNames, type EventName, type EventOf, type GoldfishApi, type RequestName, type RequestOf, type ResultOf } from '../../../contract/index.js';

type Handler<K extends RequestName> = (req: RequestOf<K>) => Promise<ResultOf<K>> | ResultOf<K>;
type Handlers = { [K in RequestName]?: Handler<K> };

export interface FakeApi extends GoldfishApi {
  /** Every request made, in order. */
  readonly calls: Array<{ name: RequestName; req: unknown }>;
  /** Replace (or add) the handler of one request. */
  handle<K extends RequestName>(name: K, handler: Handler<K>): void;
  /** Push an event to every subscriber, as the backend would. */
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  listenerCount(event: EventName): number;
  callsOf<K extends RequestName>(name: K): RequestOf<K>[];
}

/**
 * An in-memory GoldfishApi: the seam the stores and components are tested through.
 * Requests without a handler fail with ApiError('unavailable'), like the backend's stubs.
 */
export function createFakeApi(initial: Handlers = {}): FakeApi {
  const handlers: Handlers = { ...initial };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: Array<{ name: RequestName; req: unknown }> = [];
  const api: Record<string, unknown> = {};
  for (const name of requestNames) {
    api[name] = async (req: unknown) => {
      calls.push({ name, req });
      const handler = handlers[name] as ((req: unknown) => unknown) | undefined;
      if (!handler) throw new ApiError({ code: 'unavailable', message: `${name} is not available in the fake` });
      return structuredClone(await handler(req ?? {}));
    };
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  const fake = api as unknown as FakeApi;
  Object.assign(fake, {
    calls,
    handle(name: RequestName, handler: unknown) {
      (handlers as Record<string, unknown>)[name] = handler;
    },
    emit(event: EventName, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(structuredClone(payload));
    },
    listenerCount(event: EventName) {
      return listeners.get(event)?.size ?? 0;
    },
    callsOf(name: RequestName) {
      return calls.filter((call) => call.name === name).map((call) => call.req);
    },
  });
  return fake;
}
