/**
 * The shell protocol v2 framing (AOSP system/core/adb/shell_protocol.h): [id u8][length u32 LE][data].
 * ids: 0 stdin, 1 stdout, 2 stderr, 3 exit (1 byte), 4 close-stdin, 5 window size.
 */
export const ShellId = { stdin: 0, stdout: 1, stderr: 2, exit: 3, closeStdin: 4, windowSize: 5 } as const;

export interface ShellFrame {
  id: number;
  data: Buffer;
}

export function encodeShellFrame(id: number, data: Uint8Array = new Uint8Array()): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(id, 0);
  header.writeUInt32LE(data.length, 1);
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Reassembles frames from arbitrary TCP chunks. */
export class ShellV2Decoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ShellFrame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: ShellFrame[] = [];
    while (this.buffer.length >= 5) {
      const length = this.buffer.readUInt32LE(1);
      if (this.buffer.length < 5 + length) break;
      frames.push({ id: this.buffer[0], data: this.buffer.subarray(5, 5 + length) });
      this.buffer = this.buffer.subarray(5 + length);
    }
    return frames;
  }

  /** Bytes of an unfinished frame left when the stream ended. */
  get pending(): number {
    return this.buffer.length;
  }
}
