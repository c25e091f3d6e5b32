/**
 * Test doubles for driving protocol code by hand: a manual `defer` queue, a transport wired to an in-memory
 * device, and a ServiceSocket that records what a service writes.
 */
import { concatBytes, decodeUtf8, encodeUtf8 } from '../bytes.js';
import { createDeviceDispatcher } from '../dispatcher.js';
import { AdbCommand, type AdbPacket, encodePacket, PacketParser } from '../packet.js';
import type { ServiceSocket } from '../service.js';
import { AdbDeviceTransport, type TransportOptions } from '../transport.js';
import { MemoryDevice } from './memory-device.js';
import { HeapScheduler } from './virtual-scheduler.js';

export class ManualDefer {
  private queue: (() => void)[] = [];
  readonly defer = (fn: () => void): void => {
    this.queue.push(fn);
  };
  /** Runs deferred work (and work it defers) until none is left. */
  flush(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }
  get pending(): number {
    return this.queue.length;
  }
}

export function packet(command: number, arg0: number, arg1: number, payload: string | Uint8Array = ''): Uint8Array {
  return encodePacket({ command, arg0, arg1, payload: typeof payload === 'string' ? encodeUtf8(payload) : payload });
}

export const HOST_CNXN = packet(AdbCommand.Connect, 0x01000001, 0x100000, 'host::features=shell_v2,cmd,stat_v2,ls_v2\0');

export function createTransportHarness(options: Partial<TransportOptions> & { rebooting?: boolean } = {}) {
  const scheduler = new HeapScheduler();
  const device = new MemoryDevice({ scheduler });
  if (options.rebooting) device.reboot();
  const defer = new ManualDefer();
  const wire: Uint8Array[] = [];
  const logs: string[] = [];
  const closes: string[] = [];
  const transport = new AdbDeviceTransport({
    device,
    dispatcher: createDeviceDispatcher(),
    send: (b) => wire.push(b),
    close: (r) => closes.push(r),
    log: (m) => logs.push(m),
    defer: defer.defer,
    ...options,
  });
  /** Packets the device sent since the last call (after running deferred flushes). */
  const take = (): AdbPacket[] => {
    defer.flush();
    const parser = new PacketParser();
    const out = parser.push(concatBytes(wire.splice(0)));
    return out.map((r) => {
      if ('error' in r) throw new Error(`device sent a malformed packet: ${JSON.stringify(r.error)}`);
      return r.packet;
    });
  };
  const takeBytes = (): Uint8Array => {
    defer.flush();
    return concatBytes(wire.splice(0));
  };
  const connect = (): void => {
    transport.receive(HOST_CNXN);
    take();
  };
  return { scheduler, device, defer, wire, logs, closes, transport, take, takeBytes, connect };
}

/** Human-readable form of packets for assertions: ["WRTE 1 7 hi", ...]. */
export function describe(packets: readonly AdbPacket[]): string[] {
  return packets.map((p) => {
    const name = String.fromCharCode(p.command & 0xff, (p.command >> 8) & 0xff, (p.command >> 16) & 0xff, p.command >>> 24);
    return `${name} ${p.arg0} ${p.arg1}${p.payload.length ? ' ' + decodeUtf8(p.payload) : ''}`;
  });
}

export class RecordingSocket implements ServiceSocket {
  chunks: Uint8Array[] = [];
  closed = false;
  write(data: Uint8Array): void {
    if (this.closed) throw new Error('write after close');
    this.chunks.push(data);
  }
  close(): void {
    this.closed = true;
  }
  /** Everything written since the last call. */
  take(): Uint8Array {
    return concatBytes(this.chunks.splice(0));
  }
}

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function bytesOf(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  return concatBytes(parts.map((p) => (typeof p === 'string' ? encodeUtf8(p) : Uint8Array.from(p))));
}

export function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
