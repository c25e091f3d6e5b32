import { FsError } from '../device-api.js';

export type ReadResult = Uint8Array | 'eof' | 'again';

/** An open file description: what a process fd points at. */
export interface OpenFile {
  read(max: number): ReadResult;
  /** Throws FsError. */
  write(data: Uint8Array): void;
  /** Calls wake (once) when read() may return something other than 'again'. Returns an unsubscribe. */
  waitReadable?(wake: () => void): () => void;
  close(): void;
  /** Where a reader blocks, for /proc/<pid>/wchan. */
  readonly wchan?: string;
}

/** Reference-counted so fork/dup share one description; the last release closes it. */
export class SharedFile {
  private refs = 1;
  constructor(readonly file: OpenFile) {}

  acquire(): SharedFile {
    this.refs++;
    return this;
  }

  release(): void {
    if (--this.refs === 0) this.file.close();
  }
}

export class NullFile implements OpenFile {
  read(): ReadResult {
    return 'eof';
  }
  write(): void {}
  close(): void {}
}

/** Write-only end that hands bytes to a host callback (an ADB shell stream). */
export class SinkFile implements OpenFile {
  constructor(private readonly sink: (data: Uint8Array) => void, private readonly onClose?: () => void) {}
  read(): ReadResult {
    throw new FsError('EINVAL', 'not open for reading');
  }
  write(data: Uint8Array): void {
    this.sink(data);
  }
  close(): void {
    this.onClose?.();
  }
}

/** Reads a fixed byte array: regular files and generated /proc files (content taken at open). */
export class BufferFile implements OpenFile {
  private offset = 0;
  constructor(private readonly data: Uint8Array, private readonly onWrite?: (data: Uint8Array) => void) {}
  read(max: number): ReadResult {
    if (this.offset >= this.data.length) return 'eof';
    const out = this.data.subarray(this.offset, this.offset + max);
    this.offset += out.length;
    return out;
  }
  write(data: Uint8Array): void {
    if (!this.onWrite) throw new FsError('EINVAL', 'not open for writing');
    this.onWrite(data);
  }
  close(): void {}
}

/** A pipe; writes never block (the buffer is unbounded), reads block until data or the last writer closes. */
export class Pipe {
  private readonly chunks: Uint8Array[] = [];
  private writers = 1;
  private readerOpen = true;
  private readonly waiters = new Set<() => void>();

  readonly readEnd: OpenFile = {
    read: (max) => this.read(max),
    write: () => {
      throw new FsError('EINVAL', 'read end of a pipe');
    },
    waitReadable: (wake) => {
      this.waiters.add(wake);
      return () => this.waiters.delete(wake);
    },
    close: () => {
      this.readerOpen = false;
      this.chunks.length = 0;
    },
  };

  readonly writeEnd: OpenFile = {
    read: () => {
      throw new FsError('EINVAL', 'write end of a pipe');
    },
    write: (data) => {
      if (!this.readerOpen || data.length === 0) return;
      this.chunks.push(data.slice());
      this.wake();
    },
    close: () => {
      this.writers--;
      this.wake();
    },
  };

  private read(max: number): ReadResult {
    const first = this.chunks[0];
    if (first) {
      if (first.length <= max) {
        this.chunks.shift();
        return first;
      }
      this.chunks[0] = first.subarray(max);
      return first.subarray(0, max);
    }
    return this.writers > 0 ? 'again' : 'eof';
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}
