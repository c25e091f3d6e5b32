/** ID_QUIT ("QUIT"): the client is done; the device closes the sync stream. See file_sync_protocol.h. */
import type { SyncContext } from './protocol.js';

export function handleQuit(ctx: SyncContext): void {
  ctx.socket.close();
}
