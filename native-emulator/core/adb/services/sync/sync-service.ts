/**
 * `sync:` — the file sync service. The client packs several requests (and DATA chunks) into one WRTE, and one
 * request may span WRTEs, so requests are parsed from a byte stream. Each request id has its own module,
 * following AOSP system/core/adb/file_sync_protocol.h.
 */
import { ByteQueue, decodeUtf8, idToString } from '../../bytes.js';
import type { Service, ServiceHandler } from '../../service.js';
import { handleListV1 } from './list.js';
import { handleListV2 } from './list-v2.js';
import {
  normalizeSyncPath,
  SYNC_DATA_MAX,
  SYNC_MAX_PATH,
  type SyncContext,
  SyncId,
  syncFail,
} from './protocol.js';
import { handleQuit } from './quit.js';
import { handleRecv } from './recv.js';
import { SendSession } from './send.js';
import { handleLstatV1 } from './stat.js';
import { handleStatV2 } from './stat-v2.js';

const PATH_REQUESTS = new Set<number>([
  SyncId.LstatV1,
  SyncId.StatV2,
  SyncId.LstatV2,
  SyncId.ListV1,
  SyncId.ListV2,
  SyncId.Send,
  SyncId.Recv,
]);

export const syncService: Service = (socket, { device, log }): ServiceHandler => {
  const ctx: SyncContext = { device, socket, log };
  const queue = new ByteQueue();
  let send: SendSession | undefined;
  /** Bytes left in the DATA chunk being received. */
  let dataLeft = 0;
  let closed = false;

  const close = (): void => {
    closed = true;
    send?.abort();
    send = undefined;
    queue.clear();
    socket.close();
  };

  const protocolError = (message: string): void => {
    log(`sync: ${message}; closing the stream`);
    if (send) send.fail(message);
    else socket.write(syncFail(message));
    close();
  };

  /** Handles what is queued; returns false when it needs more bytes. */
  const step = (): boolean => {
    if (send && dataLeft > 0) {
      if (queue.length === 0) return false;
      const chunk = queue.readSome(dataLeft);
      dataLeft -= chunk.length;
      send.data(chunk);
      return true;
    }
    if (queue.length < 8) return false;
    const id = queue.peekU32(0);
    const length = queue.peekU32(4);

    if (send) {
      if (id === SyncId.Data) {
        if (length > SYNC_DATA_MAX) {
          protocolError(`oversize data message: ${length} > ${SYNC_DATA_MAX}`);
          return false;
        }
        queue.skip(8);
        dataLeft = length;
        return true;
      }
      if (id === SyncId.Done) {
        queue.skip(8);
        const session = send;
        send = undefined;
        if (!session.done(length)) close();
        return true;
      }
      protocolError(`unexpected ${printable(id)} during SEND`);
      return false;
    }

    if (id === SyncId.Quit) {
      queue.skip(8);
      handleQuit(ctx);
      closed = true;
      return false;
    }
    if (!PATH_REQUESTS.has(id)) {
      protocolError(`unknown sync request ${printable(id)}`);
      return false;
    }
    if (length > SYNC_MAX_PATH) {
      protocolError(`path too long: ${length} > ${SYNC_MAX_PATH}`);
      return false;
    }
    if (queue.length < 8 + length) return false;
    queue.skip(8);
    const arg = decodeUtf8(queue.read(length));
    const path = normalizeSyncPath(arg);
    switch (id) {
      case SyncId.LstatV1:
        handleLstatV1(ctx, path);
        break;
      case SyncId.StatV2:
        handleStatV2(ctx, SyncId.StatV2, path, false);
        break;
      case SyncId.LstatV2:
        handleStatV2(ctx, SyncId.LstatV2, path, true);
        break;
      case SyncId.ListV1:
        handleListV1(ctx, path);
        break;
      case SyncId.ListV2:
        handleListV2(ctx, path);
        break;
      case SyncId.Recv:
        handleRecv(ctx, path);
        break;
      case SyncId.Send:
        send = SendSession.start(ctx, arg);
        dataLeft = 0;
        break;
    }
    return true;
  };

  return {
    data(chunk) {
      if (closed) return;
      queue.push(chunk);
      while (!closed && step()) {
        // keep going
      }
    },
    closed() {
      if (send) log(`sync: stream closed during SEND of ${send.path} (${send.received} bytes); discarding it`);
      closed = true;
      send?.abort();
      send = undefined;
      queue.clear();
    },
  };
};

function printable(id: number): string {
  const s = idToString(id);
  return /^[\x20-\x7e]{4}$/.test(s) ? `"${s}"` : `0x${id.toString(16)}`;
}
