/**
 * ID_STAT_V2 ("STA2", follows links) and ID_LSTAT_V2 ("LST2"): answered with syncmsg::stat_v2, 72 bytes:
 * id, error (errno, 0 on success), dev u64, ino u64, mode, nlink, uid, gid (u32), size u64, atime, mtime, ctime
 * (i64). See file_sync_protocol.h.
 */
import type { FileStat } from '../../../device-api.js';
import { encodeStatV2Body, errnoOf, type SyncContext } from './protocol.js';

export function encodeStatV2(id: number, stat: FileStat | undefined, error: number): Uint8Array {
  const out = new Uint8Array(72);
  new DataView(out.buffer).setUint32(0, id, true);
  out.set(encodeStatV2Body(stat, error), 4);
  return out;
}

export function handleStatV2(ctx: SyncContext, id: number, path: string, lstat: boolean): void {
  try {
    ctx.socket.write(encodeStatV2(id, ctx.device.fs.stat(path, { lstat }), 0));
  } catch (e) {
    ctx.socket.write(encodeStatV2(id, undefined, errnoOf(e)));
  }
}
