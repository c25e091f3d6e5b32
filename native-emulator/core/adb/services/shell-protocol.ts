/**
 * Shell protocol v2 (AOSP adb/shell_protocol.h): frames `[id u8][length u32 LE][data]`.
 */
import { ByteQueue } from '../bytes.js';

export const ShellId = {
  Stdin: 0,
  Stdout: 1,
  Stderr: 2,
  Exit: 3,
  CloseStdin: 4,
  WindowSizeChange: 5,
} as const;

export const SHELL_FRAME_HEADER = 5;

export function encodeShellFrame(id: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(SHELL_FRAME_HEADER + data.length);
  out[0] = id;
  new DataView(out.buffer).setUint32(1, data.length, true);
  out.set(data, SHELL_FRAME_HEADER);
  return out;
}

export interface ShellFrame {
  id: number;
  data: Uint8Array;
}

/** Frames from a byte stream; `error` once a frame claims more than maxFrame bytes. */
export class ShellFrameParser {
  private readonly queue = new ByteQueue();
  error: string | undefined;

  constructor(private readonly maxFrame = 1024 * 1024) {}

  push(chunk: Uint8Array): ShellFrame[] {
    if (this.error) return [];
    this.queue.push(chunk);
    const frames: ShellFrame[] = [];
    while (this.queue.length >= SHELL_FRAME_HEADER) {
      const head = this.queue.peek(SHELL_FRAME_HEADER);
      const id = head[0]!;
      const length = (head[1]! | (head[2]! << 8) | (head[3]! << 16) | (head[4]! << 24)) >>> 0;
      if (length > this.maxFrame) {
        this.error = `shell v2 frame of ${length} bytes exceeds ${this.maxFrame}`;
        this.queue.clear();
        break;
      }
      if (this.queue.length < SHELL_FRAME_HEADER + length) break;
      this.queue.skip(SHELL_FRAME_HEADER);
      frames.push({ id, data: this.queue.read(length) });
    }
    return frames;
  }
}
