/**
 * Sync protocol constants and reply encoders.
 * Reference: AOSP system/core/adb/file_sync_protocol.h and SYNC.TXT.
 */
import type { Errno, FileStat } from '../../../device-api.js';
import { FsError } from '../../../device-api.js';
import { encodeUtf8, mkid } from '../../bytes.js';
import type { ServiceSocket } from '../../service.js';
import type { DeviceApi } from '../../../device-api.js';

export const SyncId = {
  LstatV1: mkid('STAT'), // ID_LSTAT_V1
  StatV2: mkid('STA2'), // ID_STAT_V2
  LstatV2: mkid('LST2'), // ID_LSTAT_V2
  ListV1: mkid('LIST'), // ID_LIST_V1
  ListV2: mkid('LIS2'), // ID_LIST_V2
  DentV1: mkid('DENT'), // ID_DENT_V1
  DentV2: mkid('DNT2'), // ID_DENT_V2
  Send: mkid('SEND'), // ID_SEND_V1
  Recv: mkid('RECV'), // ID_RECV_V1
  Done: mkid('DONE'),
  Data: mkid('DATA'),
  Okay: mkid('OKAY'),
  Fail: mkid('FAIL'),
  Quit: mkid('QUIT'),
} as const;

/** SyncRequest.path_length limit. */
export const SYNC_MAX_PATH = 1024;
/** SYNC_DATA_MAX: largest DATA chunk either side may send. */
export const SYNC_DATA_MAX = 64 * 1024;
/** sizeof(syncmsg::stat_v2) minus the id: error..ctime. */
export const STAT_V2_BODY = 68;

export const ERRNO: Record<Errno, number> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EACCES: 13,
  EEXIST: 17,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENOSPC: 28,
  EROFS: 30,
  ENOTEMPTY: 39,
};

const STRERROR: Record<Errno, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'I/O error',
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENOTEMPTY: 'Directory not empty',
};

export function strerror(e: unknown): string {
  return e instanceof FsError ? STRERROR[e.code] : e instanceof Error ? e.message : String(e);
}

export function errnoOf(e: unknown): number {
  return e instanceof FsError ? ERRNO[e.code] : ERRNO.EIO;
}

/** What a request handler needs: the device and the stream back to the client. */
export interface SyncContext {
  readonly device: DeviceApi;
  readonly socket: ServiceSocket;
  log(message: string): void;
}

/** `id` + u32: DATA/DONE/OKAY headers and the like. */
export function syncHeader(id: number, value: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, id, true);
  view.setUint32(4, value >>> 0, true);
  return out;
}

/** FAIL + length + message (the client prints the message). */
export function syncFail(message: string): Uint8Array {
  const text = encodeUtf8(message);
  const out = new Uint8Array(8 + text.length);
  out.set(syncHeader(SyncId.Fail, text.length));
  out.set(text, 8);
  return out;
}

/** The 68 bytes after the id in syncmsg::stat_v2 (also the middle of dent_v2). */
export function encodeStatV2Body(stat: FileStat | undefined, error: number): Uint8Array {
  const out = new Uint8Array(STAT_V2_BODY);
  const v = new DataView(out.buffer);
  v.setUint32(0, error, true);
  if (stat) {
    v.setBigUint64(4, BigInt(stat.dev), true);
    v.setBigUint64(12, BigInt(stat.ino), true);
    v.setUint32(20, stat.mode >>> 0, true);
    v.setUint32(24, stat.nlink >>> 0, true);
    v.setUint32(28, stat.uid >>> 0, true);
    v.setUint32(32, stat.gid >>> 0, true);
    v.setBigUint64(36, BigInt(stat.size), true);
    v.setBigInt64(44, BigInt(Math.trunc(stat.atime)), true);
    v.setBigInt64(52, BigInt(Math.trunc(stat.mtime)), true);
    v.setBigInt64(60, BigInt(Math.trunc(stat.ctime)), true);
  }
  return out;
}

/** adbd strips trailing slashes ("/data/local/tmp/" names the directory). */
export function normalizeSyncPath(path: string): string {
  const stripped = path.replace(/\/+$/, '');
  return stripped === '' && path.startsWith('/') ? '/' : stripped;
}
