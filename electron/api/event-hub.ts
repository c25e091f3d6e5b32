import { parseEvent, type EventName, type EventOf } from '../../contract/index.js';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Fans backend events out to every connected UI (the Electron window, serve-mode sockets). */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventOf<E>): void {
    const checked = parseEvent(name, payload);
    for (const listener of this.listeners) listener(name, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
