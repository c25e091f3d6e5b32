/**
 * ADB transport messages (AOSP system/core/adb/protocol.txt, adb.h).
 *
 * Header: six little-endian u32 — command, arg0, arg1, data_length, data_check, magic (= command ^ 0xffffffff) —
 * followed by data_length payload bytes.
 */
import { ByteQueue, EMPTY, idToString, readU32 } from './bytes.js';

export const AdbCommand = {
  Sync: 0x434e5953, // SYNC (obsolete)
  Connect: 0x4e584e43, // CNXN
  Auth: 0x48545541, // AUTH
  Open: 0x4e45504f, // OPEN
  Okay: 0x59414b4f, // OKAY
  Close: 0x45534c43, // CLSE
  Write: 0x45545257, // WRTE
  Tls: 0x534c5453, // STLS
} as const;
export type AdbCommand = (typeof AdbCommand)[keyof typeof AdbCommand];

const KNOWN_COMMANDS = new Set<number>(Object.values(AdbCommand));

export const HEADER_LENGTH = 24;
/** A_VERSION_MIN: checksummed payloads. */
export const ADB_VERSION_MIN = 0x01000000;
/** A_VERSION_SKIP_CHECKSUM: from this version on data_check is 0 and not verified. */
export const ADB_VERSION_SKIP_CHECKSUM = 0x01000001;
export const ADB_VERSION = ADB_VERSION_SKIP_CHECKSUM;
/** MAX_PAYLOAD: what this device accepts and offers (1 MiB; 4 KiB makes push ~10x slower). */
export const MAX_PAYLOAD = 1024 * 1024;

export interface AdbPacket {
  command: number;
  arg0: number;
  arg1: number;
  payload: Uint8Array;
}

export function commandName(command: number): string {
  return KNOWN_COMMANDS.has(command) ? idToString(command) : `0x${(command >>> 0).toString(16).padStart(8, '0')}`;
}

/** data_check for protocol versions before A_VERSION_SKIP_CHECKSUM: the byte sum of the payload. */
export function payloadChecksum(payload: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum += payload[i]!;
  return sum >>> 0;
}

/** Header and payload in one buffer, so the edge can hand it to one socket write. */
export function encodePacket(packet: AdbPacket, withChecksum = false): Uint8Array {
  const { payload } = packet;
  const out = new Uint8Array(HEADER_LENGTH + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, packet.command >>> 0, true);
  view.setUint32(4, packet.arg0 >>> 0, true);
  view.setUint32(8, packet.arg1 >>> 0, true);
  view.setUint32(12, payload.length, true);
  view.setUint32(16, withChecksum ? payloadChecksum(payload) : 0, true);
  view.setUint32(20, (packet.command ^ 0xffffffff) >>> 0, true);
  out.set(payload, HEADER_LENGTH);
  return out;
}

export type PacketError =
  | { kind: 'bad-magic'; command: number; magic: number }
  | { kind: 'unknown-command'; command: number }
  | { kind: 'oversized'; command: number; length: number; max: number }
  | { kind: 'bad-checksum'; command: number; expected: number; actual: number };

export function describePacketError(e: PacketError): string {
  switch (e.kind) {
    case 'bad-magic':
      return `bad magic 0x${e.magic.toString(16)} for command ${commandName(e.command)}`;
    case 'unknown-command':
      return `unknown command ${commandName(e.command)}`;
    case 'oversized':
      return `${commandName(e.command)} data_length ${e.length} exceeds maxdata ${e.max}`;
    case 'bad-checksum':
      return `${commandName(e.command)} data_check 0x${e.actual.toString(16)} != 0x${e.expected.toString(16)}`;
  }
}

export type ParseResult = { packet: AdbPacket } | { error: PacketError };

/**
 * Splits a byte stream into packets. After the first error it yields nothing more: the stream is out of sync,
 * and the connection must be closed.
 */
export class PacketParser {
  private readonly queue = new ByteQueue();
  private failed = false;
  /** Largest accepted data_length. */
  maxPayload: number;
  /** Verify data_check (protocol versions before A_VERSION_SKIP_CHECKSUM). */
  verifyChecksum = false;

  constructor(maxPayload = MAX_PAYLOAD) {
    this.maxPayload = maxPayload;
  }

  push(chunk: Uint8Array): ParseResult[] {
    if (this.failed) return [];
    this.queue.push(chunk);
    const results: ParseResult[] = [];
    while (this.queue.length >= HEADER_LENGTH) {
      const header = this.queue.peek(HEADER_LENGTH);
      const command = readU32(header, 0);
      const length = readU32(header, 12);
      const check = readU32(header, 16);
      const magic = readU32(header, 20);
      const error: PacketError | undefined =
        magic !== (command ^ 0xffffffff) >>> 0
          ? { kind: 'bad-magic', command, magic }
          : !KNOWN_COMMANDS.has(command)
            ? { kind: 'unknown-command', command }
            : length > this.maxPayload
              ? { kind: 'oversized', command, length, max: this.maxPayload }
              : undefined;
      if (error) {
        this.fail(results, error);
        break;
      }
      if (this.queue.length < HEADER_LENGTH + length) break;
      this.queue.skip(HEADER_LENGTH);
      const payload = length === 0 ? EMPTY : this.queue.read(length);
      if (this.verifyChecksum && length > 0 && payloadChecksum(payload) !== check) {
        this.fail(results, { kind: 'bad-checksum', command, expected: payloadChecksum(payload), actual: check });
        break;
      }
      results.push({ packet: { command, arg0: readU32(header, 4), arg1: readU32(header, 8), payload } });
    }
    return results;
  }

  private fail(results: ParseResult[], error: PacketError): void {
    this.failed = true;
    this.queue.clear();
    results.push({ error });
  }
}
