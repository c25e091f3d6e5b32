import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, IPC_EVENT_PREFIX, IPC_REQUEST_PREFIX, requestNames, type EventName, type GoldfishBridge } from '../contract/api.js';

/** One object, one method per request, plus on(event): the renderer never sees ipcRenderer. */
function buildBridge(): GoldfishBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of requestNames) {
    bridge[name] = (payload: unknown) => ipcRenderer.invoke(IPC_REQUEST_PREFIX + name, payload);
  }
  bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!eventNames.includes(event)) throw new Error(`Unknown event "${String(event)}"`);
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT_PREFIX + event, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT_PREFIX + event, wrapped);
  };
  return bridge as GoldfishBridge;
}

contextBridge.exposeInMainWorld('goldfish', buildBridge());
