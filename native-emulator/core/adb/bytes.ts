/**
 * Tiny byte helpers for the pure protocol core (no Buffer, no TextEncoder: lib ES2023, types []).
 */

export const EMPTY = new Uint8Array(0);

// The text codecs are shared with the rest of the simulator core, under the protocol's names.
export {
  utf8Encode as encodeUtf8,
  utf8Decode as decodeUtf8,
  latin1Encode as encodeLatin1,
  latin1Decode as decodeLatin1,
  concatBytes,
} from '../util/bytes.js';

export function u32le(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  return b;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

/** A 4-char ASCII protocol id as a little-endian u32 (MKID in file_sync_protocol.h). */
export function mkid(id: string): number {
  return (id.charCodeAt(0) | (id.charCodeAt(1) << 8) | (id.charCodeAt(2) << 16) | (id.charCodeAt(3) << 24)) >>> 0;
}

export function idToString(id: number): string {
  return String.fromCharCode(id & 0xff, (id >>> 8) & 0xff, (id >>> 16) & 0xff, (id >>> 24) & 0xff);
}

/**
 * A FIFO of received chunks read as one byte stream (sync and shell v2 packets span WRTEs).
 * Reads return views when the bytes sit in one chunk, copies otherwise.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The u32 LE at `offset` from the front, without consuming. Caller checks length. */
  peekU32(offset = 0): number {
    const first = this.chunks[0];
    if (first && this.head + offset + 4 <= first.length) return readU32(first, this.head + offset);
    return readU32(this.peek(offset + 4), offset);
  }

  /** The first n bytes without consuming (copy if they span chunks). */
  peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (!first) return EMPTY;
    if (this.head + n <= first.length) return first.subarray(this.head, this.head + n);
    const out = new Uint8Array(Math.min(n, this.total));
    let at = 0;
    let off = this.head;
    for (const c of this.chunks) {
      const take = Math.min(c.length - off, out.length - at);
      out.set(c.subarray(off, off + take), at);
      at += take;
      off = 0;
      if (at === out.length) break;
    }
    return out;
  }

  /** Consumes exactly n bytes (n <= length). */
  read(n: number): Uint8Array {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  /** Consumes up to n bytes from the first chunk only (a view; never copies). */
  readSome(n: number): Uint8Array {
    const first = this.chunks[0];
    if (!first) return EMPTY;
    const take = Math.min(n, first.length - this.head);
    const out = first.subarray(this.head, this.head + take);
    this.skip(take);
    return out;
  }

  skip(n: number): void {
    this.total -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      const left = first.length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.total = 0;
  }
}
