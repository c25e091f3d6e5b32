/** One kernel log record as read from the device, before the app numbers it. */
export interface RawLogLine {
  /** Seconds since boot. */
  ts: number;
  level: number;
  text: string;
  /** /dev/kmsg sequence number, when read from there. */
  seq?: number;
}

const DMESG_LINE = /^(?:<(\d+)>)?\[\s*(\d+)\.(\d+)\]\s?(.*)$/;

/**
 * Parses `dmesg` text: `[   12.345678] text`, with or without the `<6>` level prefix (dmesg -r, /proc/kmsg).
 * Lines without a timestamp continue the previous record (printk text holding a newline on some kernels):
 * they become records of their own with the previous timestamp.
 */
export function parseDmesg(text: string, defaultLevel = 6): RawLogLine[] {
  const lines: RawLogLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line) continue;
    const match = DMESG_LINE.exec(line);
    if (match) {
      const level = match[1] === undefined ? defaultLevel : Number(match[1]) & 7;
      lines.push({ ts: Number(`${match[2]}.${match[3]}`), level, text: match[4] });
    } else if (lines.length) {
      const previous = lines[lines.length - 1];
      lines.push({ ts: previous.ts, level: previous.level, text: line });
    }
  }
  return lines;
}

/** Undoes /dev/kmsg's \xNN escaping of non-printable bytes. */
function unescapeKmsg(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Parses one /dev/kmsg record: `<prio>,<seq>,<ts_us>,<flags>[,...];<text>` plus ` KEY=value` dictionary lines.
 * Returns undefined for dictionary lines and anything malformed.
 */
export function parseKmsgRecord(record: string): RawLogLine | undefined {
  const semi = record.indexOf(';');
  if (semi <= 0) return undefined;
  const fields = record.slice(0, semi).split(',');
  if (fields.length < 3) return undefined;
  const prio = Number(fields[0]);
  const seq = Number(fields[1]);
  const tsUs = Number(fields[2]);
  if (!Number.isInteger(prio) || !Number.isInteger(seq) || !Number.isFinite(tsUs)) return undefined;
  const body = record.slice(semi + 1).split('\n')[0];
  return { ts: tsUs / 1e6, level: prio & 7, text: unescapeKmsg(body), seq };
}

/** Splits a /dev/kmsg byte stream into complete records; keeps the unfinished tail. */
export class KmsgSplitter {
  private tail = '';

  push(chunk: string): RawLogLine[] {
    const text = this.tail + chunk;
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    const out: RawLogLine[] = [];
    for (const part of parts) {
      if (!part || part.startsWith(' ')) continue; // dictionary continuation
      const record = parseKmsgRecord(part);
      if (record) out.push(record);
    }
    return out;
  }
}

export function formatDmesgLine(line: { ts: number; text: string }): string {
  return `[${line.ts.toFixed(6).padStart(12)}] ${line.text}`;
}
