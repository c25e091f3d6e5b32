/**
 * ID_RECV_V1 ("RECV"): the file as DATA chunks of at most SYNC_DATA_MAX bytes, then DONE with 0; or FAIL with
 * the reason. See file_sync_protocol.h.
 */
import { SYNC_DATA_MAX, type SyncContext, SyncId, strerror, syncFail, syncHeader } from './protocol.js';

export function handleRecv(ctx: SyncContext, path: string): void {
  let data: Uint8Array;
  try {
    const stat = ctx.device.fs.stat(path);
    if ((stat.mode & 0o170000) === 0o040000) {
      ctx.socket.write(syncFail(`open failed: Is a directory`));
      return;
    }
    data = ctx.device.fs.readFile(path);
  } catch (e) {
    ctx.socket.write(syncFail(`open failed: ${strerror(e)}`));
    return;
  }
  for (let at = 0; at < data.length; at += SYNC_DATA_MAX) {
    const chunk = data.subarray(at, Math.min(at + SYNC_DATA_MAX, data.length));
    ctx.socket.write(syncHeader(SyncId.Data, chunk.length));
    ctx.socket.write(chunk);
  }
  ctx.socket.write(syncHeader(SyncId.Done, 0));
}
