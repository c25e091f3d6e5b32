/**
 * ID_LIST_V2 ("LIS2"): one dent_v2 { id=DNT2, stat_v2 body (68 bytes), namelen } + name per entry, ended by DONE
 * with 72 zero bytes. See file_sync_protocol.h.
 */
import type { DirEntry, FileStat } from '../../../device-api.js';
import { encodeUtf8 } from '../../bytes.js';
import { listWithDots } from './list.js';
import { encodeStatV2Body, STAT_V2_BODY, type SyncContext, SyncId } from './protocol.js';

export function encodeDentV2(name: string, stat: FileStat): Uint8Array {
  const nameBytes = encodeUtf8(name);
  const out = new Uint8Array(4 + STAT_V2_BODY + 4 + nameBytes.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, SyncId.DentV2, true);
  out.set(encodeStatV2Body(stat, 0), 4);
  v.setUint32(4 + STAT_V2_BODY, nameBytes.length, true);
  out.set(nameBytes, 4 + STAT_V2_BODY + 4);
  return out;
}

export function encodeListV2Done(): Uint8Array {
  const out = new Uint8Array(4 + STAT_V2_BODY + 4);
  new DataView(out.buffer).setUint32(0, SyncId.Done, true);
  return out;
}

export function handleListV2(ctx: SyncContext, path: string): void {
  let entries: DirEntry[] = [];
  try {
    entries = listWithDots(ctx, path);
  } catch {
    entries = [];
  }
  for (const entry of entries) ctx.socket.write(encodeDentV2(entry.name, entry.stat));
  ctx.socket.write(encodeListV2Done());
}
