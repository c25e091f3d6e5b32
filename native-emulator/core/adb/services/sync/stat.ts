/**
 * ID_LSTAT_V1 ("STAT"): lstat, answered with syncmsg::stat_v1 { id, mode, size, time } (u32 each);
 * all zero means the file does not exist. See file_sync_protocol.h.
 */
import type { FileStat } from '../../../device-api.js';
import { type SyncContext, SyncId } from './protocol.js';

export function encodeStatV1(stat: FileStat | undefined): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint32(0, SyncId.LstatV1, true);
  if (stat) {
    v.setUint32(4, stat.mode >>> 0, true);
    v.setUint32(8, stat.size >>> 0, true);
    v.setUint32(12, Math.trunc(stat.mtime) >>> 0, true);
  }
  return out;
}

export function handleLstatV1(ctx: SyncContext, path: string): void {
  let stat: FileStat | undefined;
  try {
    stat = ctx.device.fs.stat(path, { lstat: true });
  } catch {
    stat = undefined;
  }
  ctx.socket.write(encodeStatV1(stat));
}
