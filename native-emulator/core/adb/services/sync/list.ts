/**
 * ID_LIST_V1 ("LIST"): one syncmsg::dent { id=DENT, mode, size, time, namelen } + name per entry (including "."
 * and ".." as readdir returns them), ended by DONE with 16 zero bytes. A directory that cannot be read just ends
 * the list. See file_sync_protocol.h.
 */
import type { DirEntry, FileStat } from '../../../device-api.js';
import { encodeUtf8 } from '../../bytes.js';
import { type SyncContext, SyncId } from './protocol.js';

export function encodeDentV1(name: string, stat: FileStat): Uint8Array {
  const nameBytes = encodeUtf8(name);
  const out = new Uint8Array(20 + nameBytes.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, SyncId.DentV1, true);
  v.setUint32(4, stat.mode >>> 0, true);
  v.setUint32(8, stat.size >>> 0, true);
  v.setUint32(12, Math.trunc(stat.mtime) >>> 0, true);
  v.setUint32(16, nameBytes.length, true);
  out.set(nameBytes, 20);
  return out;
}

export function encodeListV1Done(): Uint8Array {
  const out = new Uint8Array(20);
  new DataView(out.buffer).setUint32(0, SyncId.Done, true);
  return out;
}

/** Entries with "." and ".." first, as readdir(3) on Linux lists them. */
export function listWithDots(ctx: SyncContext, path: string): DirEntry[] {
  const fs = ctx.device.fs;
  const entries = fs.list(path);
  const self = fs.stat(path);
  let parent = self;
  try {
    parent = fs.stat(path === '/' ? '/' : path.replace(/\/[^/]*$/, '') || '/');
  } catch {
    // keep self
  }
  return [{ name: '.', stat: self }, { name: '..', stat: parent }, ...entries];
}

export function handleListV1(ctx: SyncContext, path: string): void {
  let entries: DirEntry[] = [];
  try {
    entries = listWithDots(ctx, path);
  } catch {
    entries = [];
  }
  for (const entry of entries) ctx.socket.write(encodeDentV1(entry.name, entry.stat));
  ctx.socket.write(encodeListV1Done());
}
