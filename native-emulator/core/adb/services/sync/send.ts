/**
 * ID_SEND_V1 ("SEND"): request payload "path,mode" (mode in decimal), then DATA chunks (<= SYNC_DATA_MAX), then
 * DONE whose length field is the mtime. Answer OKAY with 0 once the file is committed, or FAIL with the reason.
 * On a failure adbd sends FAIL at once, drains DATA until DONE, and closes the stream; a half-written file never
 * appears (FileWriter.abort). Parent directories are created by the device. See file_sync_protocol.h.
 */
import type { FileWriter } from '../../../device-api.js';
import { normalizeSyncPath, type SyncContext, SyncId, strerror, syncFail, syncHeader } from './protocol.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export function parseSendTarget(payload: string): { path: string; mode: number } {
  const comma = payload.lastIndexOf(',');
  if (comma < 0) return { path: normalizeSyncPath(payload), mode: 0o644 };
  const mode = Number.parseInt(payload.slice(comma + 1), 10);
  return { path: normalizeSyncPath(payload.slice(0, comma)), mode: Number.isFinite(mode) ? mode >>> 0 : 0o644 };
}

export class SendSession {
  private writer: FileWriter | undefined;
  /** FAIL already sent; the rest of the upload is drained. */
  private failed = false;
  received = 0;

  constructor(
    private readonly ctx: SyncContext,
    readonly path: string,
    readonly mode: number,
  ) {
    if ((mode & S_IFMT) === S_IFLNK) {
      this.fail(`symlinks are not supported: ${path}`);
      return;
    }
    try {
      this.writer = ctx.device.fs.createWriter(path, mode & 0o7777);
    } catch (e) {
      this.fail(`couldn't create file: ${strerror(e)}`);
    }
  }

  static start(ctx: SyncContext, payload: string): SendSession {
    const { path, mode } = parseSendTarget(payload);
    return new SendSession(ctx, path, mode);
  }

  data(chunk: Uint8Array): void {
    if (this.failed || !this.writer) return;
    this.received += chunk.length;
    try {
      this.writer.write(chunk);
    } catch (e) {
      this.fail(`write failed: ${strerror(e)}`);
    }
  }

  /** DONE arrived. Returns true when the sync stream stays open for more requests. */
  done(mtime: number): boolean {
    if (this.failed || !this.writer) return false;
    const writer = this.writer;
    this.writer = undefined;
    try {
      writer.commit(mtime);
    } catch (e) {
      writer.abort();
      this.ctx.socket.write(syncFail(`failed to commit ${this.path}: ${strerror(e)}`));
      return false;
    }
    this.ctx.socket.write(syncHeader(SyncId.Okay, 0));
    return true;
  }

  /** The upload broke off (bad packet, closed stream): nothing may remain at path. */
  abort(): void {
    this.writer?.abort();
    this.writer = undefined;
  }

  /** Protocol error inside the upload: report it and drop the partial file. */
  fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.abort();
    this.ctx.log(`sync SEND ${this.path}: ${message}`);
    this.ctx.socket.write(syncFail(message));
  }
}
