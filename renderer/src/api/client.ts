import {
  ApiError,
  requestNames,
  type EventName,
  type EventOf,
  type GoldfishApi,
  type GoldfishBridge,
  type RequestName,
} from '../../../contract/index.js';

/** Turns a bridge (Electron preload or WebSocket) into the API the stores use: results unwrapped, errors thrown. */
export function unwrapBridge(bridge: GoldfishBridge): GoldfishApi {
  const api: Record<string, unknown> = {};
  for (const name of requestNames) {
    api[name] = async (payload: unknown) => {
      const call = bridge[name] as (req: unknown) => Promise<{ ok: boolean; value?: unknown; error?: ConstructorParameters<typeof ApiError>[0] }>;
      const envelope = await call(payload);
      if (!envelope.ok) throw new ApiError(envelope.error ?? { code: 'internal', message: 'Malformed reply' });
      return envelope.value;
    };
  }
  api.on = <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) => bridge.on(event, listener);
  return api as GoldfishApi;
}

type Pending = { resolve: (envelope: unknown) => void };

/** The serve-mode bridge: the same messages over one WebSocket to /api. */
export function createWebSocketBridge(url: string): GoldfishBridge {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new ApiError({ code: 'disconnected', message: 'Cannot reach the Goldfish backend' })), { once: true });
  });
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number | null; result?: unknown; event?: string; payload?: unknown };
    if (typeof data.event === 'string') {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    } else if (typeof data.id === 'number') {
      pending.get(data.id)?.resolve(data.result);
      pending.delete(data.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const { resolve } of pending.values()) resolve({ ok: false, error: { code: 'disconnected', message: 'The backend closed the connection' } });
    pending.clear();
  });

  const bridge: Record<string, unknown> = {};
  for (const name of requestNames) {
    bridge[name] = async (payload: unknown) => {
      await opened;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        socket.send(JSON.stringify({ id, method: name satisfies RequestName, payload }));
      });
    };
  }
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return bridge as GoldfishBridge;
}

/** Electron gives us window.goldfish; a browser on serve mode connects back to the page's origin. */
export function connectApi(environment: { goldfish?: GoldfishBridge; location: Location }): GoldfishApi {
  if (environment.goldfish) return unwrapBridge(environment.goldfish);
  const scheme = environment.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(environment.location.search).get('token') ?? '';
  return unwrapBridge(createWebSocketBridge(`${scheme}//${environment.location.host}/api?token=${encodeURIComponent(token)}`));
}
