import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { KillEvent, LogLine } from '../../../contract/domains/kernel-log.js';
import { safeName, writeFileAtomic } from '../common/atomic-file.js';
import { apiError } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import type { DeviceIo } from '../adb/device-io.js';
import { KernelLogCapture } from './capture.js';
import { LogStore, type LogQueryOptions } from './log-store.js';
import { LogEventParser, type LogEvent } from './parse-events.js';
import { formatDmesgLine, type RawLogLine } from './parse-line.js';

interface Session {
  serial: string;
  store: LogStore;
  parser: LogEventParser;
  capture?: KernelLogCapture;
  file?: WriteStream;
  filePath?: string;
  pending: LogLine[];
  pendingKills: KillEvent[];
  flushTimer?: NodeJS.Timeout;
  /** Boots seen since capture began (a reboot, or another device that took the serial). */
  boot: number;
}

export interface KernelLogServiceEvents {
  [key: string]: unknown;
  lines: { serial: string; lines: LogLine[] };
  kills: { serial: string; kills: KillEvent[] };
  event: { serial: string; event: LogEvent };
  notice: { serial: string; kind: string; message: string };
}

/**
 * Per device: captures the kernel log from connect onward, numbers lines gap-free, parses them into events
 * (kills with their killer, limit listings, module load/unload), appends every line to a session file,
 * and answers searches and exports. Lines and kills go to the UI in batches.
 */
export class KernelLogService extends Emitter<KernelLogServiceEvents> {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly options: {
      dataDir: string;
      io: (serial: string) => DeviceIo | undefined;
      batchMs?: number;
      pollMs?: number;
      preferKmsg?: boolean;
      /** The name of a process seen recently (the module's kill line names only its pid). */
      commOf?: (serial: string, pid: number) => string | undefined;
    },
  ) {
    super();
  }

  private session(serial: string): Session {
    let session = this.sessions.get(serial);
    if (!session) {
      session = { serial, store: new LogStore(), parser: new LogEventParser(), pending: [], pendingKills: [], boot: 0 };
      this.sessions.set(serial, session);
    }
    return session;
  }

  isCapturing(serial: string): boolean {
    return !!this.sessions.get(serial)?.capture;
  }

  /** Starts capturing (idempotent); a new session file is opened. */
  start(serial: string): void {
    const session = this.session(serial);
    if (session.capture) return;
    const dir = join(this.options.dataDir, 'logs', safeName(serial));
    mkdirSync(dir, { recursive: true });
    session.filePath = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    session.file = createWriteStream(session.filePath, { flags: 'a' });
    session.capture = new KernelLogCapture(() => this.options.io(serial), {
      lines: (lines) => this.ingest(session, lines),
      notice: (kind, message) => {
        if (kind === 'reboot') session.boot++;
        this.emit('notice', { serial, kind, message });
      },
    }, { pollMs: this.options.pollMs, preferKmsg: this.options.preferKmsg });
    void session.capture.start();
  }

  stop(serial: string): void {
    const session = this.sessions.get(serial);
    if (!session?.capture) return;
    session.capture.stop();
    session.capture = undefined;
    this.flush(session);
    session.file?.end();
    session.file = undefined;
  }

  method(serial: string): string | undefined {
    return this.sessions.get(serial)?.capture?.method;
  }

  private ingest(session: Session, raw: RawLogLine[]): void {
    const lines = session.store.append(raw.map((l) => ({ ts: l.ts, level: l.level, text: l.text })));
    session.file?.write(lines.map((l) => `${l.index}\t<${l.level}>${formatDmesgLine(l)}\n`).join(''));
    const at = Date.now();
    const events = session.parser.push(lines);
    const kills: KillEvent[] = [];
    for (const event of events) {
      if (event.kind === 'kill') {
        const comm = event.kill.comm ?? this.options.commOf?.(session.serial, event.kill.pid);
        kills.push({ ...event.kill, at, boot: session.boot, ...(comm ? { comm } : {}) });
      }
      else this.emit('event', { serial: session.serial, event });
    }
    session.store.addKills(kills);
    session.pending.push(...lines);
    session.pendingKills.push(...kills);
    session.flushTimer ??= setTimeout(() => this.flush(session), this.options.batchMs ?? 200);
  }

  private flush(session: Session): void {
    clearTimeout(session.flushTimer);
    session.flushTimer = undefined;
    // A limit listing ends with the batch (its rows are printed together).
    for (const event of session.parser.flush()) this.emit('event', { serial: session.serial, event });
    if (session.pending.length) this.emit('lines', { serial: session.serial, lines: session.pending.splice(0) });
    if (session.pendingKills.length) this.emit('kills', { serial: session.serial, kills: session.pendingKills.splice(0) });
  }

  query(serial: string, options: LogQueryOptions): { lines: LogLine[]; total: number } {
    try {
      return this.session(serial).store.query(options);
    } catch (error) {
      throw apiError('bad-query', (error as Error).message, 'Fix the regular expression or search as plain text.');
    }
  }

  kills(serial: string): KillEvent[] {
    return [...this.session(serial).store.kills];
  }

  /** All captured lines (for tests and the session writer). */
  lines(serial: string): LogLine[] {
    return this.session(serial).store.all();
  }

  async exportLog(serial: string, format: 'text' | 'json'): Promise<{ path: string; lines: number }> {
    const session = this.session(serial);
    const lines = session.store.all();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = join(this.options.dataDir, 'exports', `${safeName(serial)}-kernel-${stamp}.${format === 'json' ? 'json' : 'log'}`);
    const body = format === 'json' ? JSON.stringify({ serial, exportedAt: Date.now(), lines, kills: session.store.kills }, null, 1) : lines.map((l) => `${formatDmesgLine(l)}\n`).join('');
    await writeFileAtomic(path, body);
    return { path, lines: lines.length };
  }

  sessionFile(serial: string): string | undefined {
    return this.sessions.get(serial)?.filePath;
  }

  dispose(): void {
    for (const serial of this.sessions.keys()) this.stop(serial);
  }
}
