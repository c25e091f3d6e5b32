import { latin1Decode, utf8Encode } from '../util/bytes.js';
import { printkTime } from '../util/format.js';

/** 3.4's __LOG_BUF_LEN with CONFIG_LOG_BUF_SHIFT=17. */
export const LOG_BUF_LEN = 1 << 17;

export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;

export interface KmsgRecord {
  readonly seq: number;
  readonly level: number;
  readonly tsUs: number;
  readonly text: string;
}

export type KmsgRead = { kind: 'record'; line: string } | { kind: 'lost' } | { kind: 'empty' };

/** Cost of one record in the 3.5+ structured buffer (struct log header + text, 4-byte aligned). */
const recordCost = (text: string) => (16 + text.length + 3) & ~3;

/**
 * The kernel log. Text goes into 3.4's character ring ("<6>[   12.345678] text\n", oldest bytes overwritten,
 * what `dmesg` and /proc/kmsg read); the same lines are also kept as sequenced records for /dev/kmsg.
 */
export class PrintkBuffer {
  private readonly ring = new Uint8Array(LOG_BUF_LEN);
  private logEnd = 0;
  private syslogStart = 0;
  private loggedChars = 0;
  private readonly records: KmsgRecord[] = [];
  private recordsHead = 0;
  private recordBytes = 0;
  private nextSeq = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly uptimeNs: () => number) {}

  /** printk(KERN_x "...") — every line of text becomes one record. */
  log(level: number, text: string, atNs?: number): void {
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const ns = atNs ?? this.uptimeNs();
    for (const line of lines) this.emit(level, ns, line);
    for (const wake of [...this.waiters]) wake();
  }

  private emit(level: number, ns: number, line: string): void {
    const bytes = utf8Encode(`<${level}>${printkTime(ns)} ${line}\n`);
    for (const b of bytes) this.ring[this.logEnd++ & (LOG_BUF_LEN - 1)] = b;
    if (this.logEnd - this.syslogStart > LOG_BUF_LEN) this.syslogStart = this.logEnd - LOG_BUF_LEN;
    this.loggedChars = Math.min(LOG_BUF_LEN, this.loggedChars + bytes.length);

    const record: KmsgRecord = { seq: this.nextSeq++, level, tsUs: Math.floor(ns / 1000), text: line };
    this.records.push(record);
    this.recordBytes += recordCost(line);
    while (this.recordBytes > LOG_BUF_LEN) this.recordBytes -= recordCost(this.records[this.recordsHead++]!.text);
    if (this.recordsHead > 4096) {
      this.records.splice(0, this.recordsHead);
      this.recordsHead = 0;
    }
  }

  /** SYSLOG_ACTION_READ_ALL: the newest min(logged, 128 KiB) bytes; may start mid-line after a wrap. */
  readAll(): Uint8Array {
    const n = this.loggedChars;
    const out = new Uint8Array(n);
    const start = this.logEnd - n;
    for (let i = 0; i < n; i++) out[i] = this.ring[(start + i) & (LOG_BUF_LEN - 1)]!;
    return out;
  }

  text(): string {
    return latin1Decode(this.readAll());
  }

  /** SYSLOG_ACTION_CLEAR (what `dmesg -c` does after reading). /proc/kmsg readers are not affected. */
  clear(): void {
    this.loggedChars = 0;
  }

  /** SYSLOG_ACTION_READ (/proc/kmsg): consumes; empty array when nothing is pending. */
  consume(max: number): Uint8Array {
    const n = Math.min(max, this.logEnd - this.syslogStart);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.ring[(this.syslogStart + i) & (LOG_BUF_LEN - 1)]!;
    this.syslogStart += n;
    return out;
  }

  pendingForSyslog(): number {
    return this.logEnd - this.syslogStart;
  }

  firstSeq(): number {
    return this.records[this.recordsHead]?.seq ?? this.nextSeq;
  }

  /** /dev/kmsg read at sequence number seq. */
  readRecord(seq: number): KmsgRead {
    if (seq < this.firstSeq()) return { kind: 'lost' };
    const r = this.records[this.recordsHead + (seq - this.firstSeq())];
    if (!r) return { kind: 'empty' };
    return { kind: 'record', line: `${r.level},${r.seq},${r.tsUs},-;${r.text}\n` };
  }

  /** All records still held, oldest first. */
  allRecords(): readonly KmsgRecord[] {
    return this.records.slice(this.recordsHead);
  }

  onWrite(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }
}
