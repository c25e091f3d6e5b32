import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT_PREFIX, IPC_REQUEST_PREFIX, requestNames } from '../../contract/index.js';
import type { Backend } from '../api/backend.js';
import { dispatch } from '../api/dispatch.js';

/**
 * One ipcMain handler per request of the contract. A message from any frame other than the
 * app's own top frame is refused before the payload is even looked at.
 */
export function registerIpc(backend: Backend, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  for (const name of requestNames) {
    ipcMain.handle(IPC_REQUEST_PREFIX + name, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' } };
      }
      return dispatch(backend.handlers, name, payload);
    });
  }
  return () => {
    for (const name of requestNames) ipcMain.removeHandler(IPC_REQUEST_PREFIX + name);
  };
}

export function forwardEvents(backend: Backend, contents: WebContents): () => void {
  return backend.events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_PREFIX + name, payload);
  });
}
