import { open, type FileHandle } from 'node:fs/promises';
import { encodeBatch, encodeHeader, type SessionHeader, type SessionRecord } from './format.js';

/** Appends records to a session file in batches; each batch is on disk before the next starts. */
export class SessionWriter {
  private pending: SessionRecord[] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: FileHandle) {}

  static async create(path: string, header: Omit<SessionHeader, 'type' | 'format' | 'version'>): Promise<SessionWriter> {
    const file = await open(path, 'wx');
    await file.write(encodeBatch([encodeHeader(header)]));
    return new SessionWriter(file);
  }

  add(record: SessionRecord): void {
    this.pending.push(record);
  }

  /** Writes what was added since the last flush as one gzip member and syncs it. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      await this.file.write(encodeBatch(batch));
      await this.file.datasync();
    });
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
  }
}
