/**
 * A tiny ADB host-side client speaking the device protocol directly over TCP (no adb server): CNXN, then streams.
 * For tests that need exact control (fuzzing, flow control) and as a well-behaved peer.
 */
import net from 'node:net';
import { encodeUtf8 } from '../../core/adb/bytes.js';
import { AdbCommand, type AdbPacket, encodePacket, PacketParser } from '../../core/adb/packet.js';

export interface ClientStream {
  readonly localId: number;
  /** Everything received so far. */
  readonly received: Uint8Array[];
  write(data: Uint8Array | string): void;
  close(): void;
  /** Resolves with all received bytes when the device closes the stream. */
  readonly done: Promise<Uint8Array>;
}

export class AdbDeviceClient {
  private readonly parser = new PacketParser();
  private readonly streams = new Map<number, { stream: ClientStream; remoteId: number; resolve: (b: Uint8Array) => void; opened: (ok: boolean) => void }>();
  private nextId = 1;
  banner = '';
  private connected!: (banner: string) => void;
  readonly ready: Promise<string>;

  private constructor(readonly socket: net.Socket) {
    this.ready = new Promise((r) => (this.connected = r));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const r of this.parser.push(new Uint8Array(chunk))) {
        if ('packet' in r) this.handle(r.packet);
      }
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<AdbDeviceClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new AdbDeviceClient(socket);
    client.send(AdbCommand.Connect, 0x01000001, 0x100000, encodeUtf8('host::features=shell_v2\0'));
    await client.ready;
    return client;
  }

  send(command: number, arg0: number, arg1: number, payload: Uint8Array = new Uint8Array(0)): void {
    this.socket.write(encodePacket({ command, arg0, arg1, payload }));
  }

  /** Opens a service; rejects if the device refuses it. */
  open(service: string): Promise<ClientStream> {
    const localId = this.nextId++;
    const received: Uint8Array[] = [];
    let resolveDone!: (b: Uint8Array) => void;
    const done = new Promise<Uint8Array>((r) => (resolveDone = r));
    const entry = {
      remoteId: 0,
      resolve: resolveDone,
      opened: (_ok: boolean) => {},
      stream: {
        localId,
        received,
        done,
        write: (data: Uint8Array | string) =>
          this.send(AdbCommand.Write, localId, entry.remoteId, typeof data === 'string' ? encodeUtf8(data) : data),
        close: () => this.send(AdbCommand.Close, localId, entry.remoteId),
      } satisfies ClientStream,
    };
    this.streams.set(localId, entry);
    return new Promise((resolve, reject) => {
      entry.opened = (ok) => (ok ? resolve(entry.stream) : reject(new Error(`device refused ${service}`)));
      this.send(AdbCommand.Open, localId, 0, encodeUtf8(service + '\0'));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private handle(p: AdbPacket): void {
    if (p.command === AdbCommand.Connect) {
      this.banner = new TextDecoder().decode(p.payload);
      this.connected(this.banner);
      return;
    }
    const entry = this.streams.get(p.arg1);
    if (!entry) return;
    switch (p.command) {
      case AdbCommand.Okay:
        if (entry.remoteId === 0) {
          entry.remoteId = p.arg0;
          entry.opened(true);
        }
        break;
      case AdbCommand.Write:
        entry.stream.received.push(p.payload);
        this.send(AdbCommand.Okay, entry.stream.localId, entry.remoteId);
        break;
      case AdbCommand.Close:
        this.streams.delete(p.arg1);
        if (entry.remoteId === 0) entry.opened(false);
        entry.resolve(Buffer.concat(entry.stream.received));
        break;
    }
  }
}
