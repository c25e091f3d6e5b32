/**
 * ADB streams on one transport (protocol.txt: OPEN / OKAY / WRTE / CLSE).
 *
 * Flow control: at most one unacknowledged WRTE per stream. Writes made while a WRTE is in flight, or in the same
 * turn (until `defer` runs the flush), are coalesced into one WRTE of at most `maxPayload` bytes. CLSE follows
 * the OKAY of the last WRTE.
 */
import { concatBytes, EMPTY } from './bytes.js';
import { AdbCommand, MAX_PAYLOAD } from './packet.js';
import type { ServiceHandler, ServiceSocket } from './service.js';

export interface StreamOutput {
  sendPacket(command: number, arg0: number, arg1: number, payload: Uint8Array): void;
  /** Runs fn later in this turn of the event loop (a microtask by default); used to coalesce writes. */
  defer(fn: () => void): void;
}

export class AdbStream implements ServiceSocket {
  handler: ServiceHandler | undefined;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private inFlight = false;
  private flushScheduled = false;
  private closing = false;
  private done = false;

  constructor(
    private readonly table: StreamTable,
    readonly localId: number,
    readonly remoteId: number,
  ) {}

  get isClosed(): boolean {
    return this.done;
  }

  /** Bytes written by the service that are not yet in a WRTE. */
  get pendingBytes(): number {
    return this.queued;
  }

  write(data: Uint8Array): void {
    if (this.done || this.closing || data.length === 0) return;
    this.queue.push(data);
    this.queued += data.length;
    this.scheduleFlush();
  }

  close(): void {
    if (this.done || this.closing) return;
    this.closing = true;
    this.scheduleFlush();
  }

  /** OKAY from the host: the last WRTE was consumed. */
  acknowledged(): void {
    if (this.done) return;
    this.inFlight = false;
    this.flush();
  }

  /** CLSE from the host, or the transport went away: no CLSE is sent back. */
  remoteClosed(): void {
    if (this.done) return;
    this.finish();
    this.handler?.closed();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight) return;
    this.flushScheduled = true;
    this.table.output.defer(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.done || this.inFlight) return;
    if (this.queued > 0) {
      this.table.output.sendPacket(AdbCommand.Write, this.localId, this.remoteId, this.take(this.table.maxPayload));
      this.inFlight = true;
      return;
    }
    if (this.closing) {
      // Like adbd, which sees EOF on the service only after the last WRTE was acknowledged.
      this.finish();
      this.table.output.sendPacket(AdbCommand.Close, this.localId, this.remoteId, EMPTY);
    }
  }

  private take(max: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (this.queue.length > 0 && size < max) {
      const head = this.queue[0]!;
      const room = max - size;
      if (head.length <= room) {
        parts.push(head);
        size += head.length;
        this.queue.shift();
      } else {
        parts.push(head.subarray(0, room));
        this.queue[0] = head.subarray(room);
        size += room;
      }
    }
    this.queued -= size;
    return concatBytes(parts);
  }

  private finish(): void {
    this.done = true;
    this.queue = [];
    this.queued = 0;
    this.table.remove(this);
  }
}

export class StreamTable {
  private readonly streams = new Map<number, AdbStream>();
  private nextId = 1;
  /** Largest WRTE payload the host accepts (min of both CNXN maxdata). */
  maxPayload = MAX_PAYLOAD;

  constructor(
    readonly output: StreamOutput,
    readonly maxStreams = 1024,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /** A new stream for the host's OPEN, or undefined when the table is full. */
  create(remoteId: number): AdbStream | undefined {
    if (this.streams.size >= this.maxStreams) return undefined;
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    const stream = new AdbStream(this, id, remoteId);
    this.streams.set(id, stream);
    return stream;
  }

  get(localId: number): AdbStream | undefined {
    return this.streams.get(localId);
  }

  remove(stream: AdbStream): void {
    if (this.streams.get(stream.localId) === stream) this.streams.delete(stream.localId);
  }

  /** The connection is gone: every service hears closed(). */
  closeAll(): void {
    for (const stream of [...this.streams.values()]) stream.remoteClosed();
  }
}
