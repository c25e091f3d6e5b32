import type { WebSocket } from 'ws';
import type { Backend } from '../api/backend.js';
import { dispatch } from '../api/dispatch.js';

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Wire format: client {id, method, payload}; server {id, result: Envelope} or {event, payload}. */
export function bridgeSocket(socket: WebSocket, backend: Backend): void {
  const unsubscribe = backend.events.subscribe((event, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
  });
  socket.on('close', unsubscribe);
  socket.on('message', async (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    let message: { id?: unknown; method?: unknown; payload?: unknown };
    try {
      if (text.length === 0 || text.length > MAX_MESSAGE_BYTES) throw new Error('empty or oversized message');
      message = JSON.parse(text);
      if (typeof message !== 'object' || message === null || typeof message.id !== 'number') throw new Error('no numeric id');
    } catch (error) {
      socket.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'bad-message', message: `Malformed message: ${(error as Error).message}` } } }));
      return;
    }
    const result = await dispatch(backend.handlers, message.method, message.payload);
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id: message.id, result }));
  });
}
