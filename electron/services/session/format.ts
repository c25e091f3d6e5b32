import { gzipSync, gunzipSync, constants } from 'node:zlib';

/**
 * The session file (`*.gfsession`): gzip of JSON Lines, flushed after every batch so that a file cut
 * short (a crash, a full disk) still opens up to its last complete record. docs/session-format.md
 * describes it for people.
 */
export const SESSION_FORMAT = 'goldfish-session';
export const SESSION_VERSION = 1;

export interface SessionHeader {
  type: 'header';
  format: typeof SESSION_FORMAT;
  version: number;
  serial: string;
  device: { model?: string; kernel?: string; abi?: string; ramKb?: number };
  startedAt: number;
}

/** One sample of every process: [pid, uid, rssBytes, comm]. `t` is host ms, `uptimeMs` the device's. */
export interface ProcessSampleRecord {
  type: 'procs';
  t: number;
  uptimeMs?: number;
  /** Device uptime (ms) of the daemon's last check (/proc/mm_oom_check), when the modules were loaded. */
  lastCheckMs?: number;
  procs: Array<[number, number, number, string]>;
}

export interface LimitsRecord {
  type: 'limits';
  t: number;
  limits: Array<{ uid: number; mmMax: number; grace: number }>;
  /** Daemon interval T in seconds, null when no daemon runs. */
  interval: number | null;
}

export interface LogRecord {
  type: 'log';
  t: number;
  lines: Array<{ index: number; ts: number; level: number; text: string }>;
}

export interface KillRecord {
  type: 'kill';
  t: number;
  ts: number;
  killer: 'mm_limit' | 'kernel_oom' | 'lowmemorykiller' | 'lmkd';
  pid: number;
  uid?: number;
  comm?: string;
  pRss?: number;
  uRss?: number;
  mmMax?: number;
}

export type SessionRecord = ProcessSampleRecord | LimitsRecord | LogRecord | KillRecord;

export interface Session {
  header: SessionHeader;
  records: SessionRecord[];
  /** True when the file ended inside a record (it was cut short); everything before it is kept. */
  truncated: boolean;
}

export class SessionFormatError extends Error {
  override name = 'SessionFormatError';
}

export function encodeHeader(header: Omit<SessionHeader, 'type' | 'format' | 'version'>): SessionHeader {
  return { type: 'header', format: SESSION_FORMAT, version: SESSION_VERSION, ...header };
}

/** One independently decodable gzip member per batch: concatenated members are a valid gzip file. */
export function encodeBatch(records: ReadonlyArray<SessionHeader | SessionRecord>): Buffer {
  return gzipSync(records.map((record) => JSON.stringify(record) + '\n').join(''));
}

export function decodeSession(file: Buffer): Session {
  if (file.length < 2 || file[0] !== 0x1f || file[1] !== 0x8b) {
    throw new SessionFormatError('Not a Goldfish session file (it is not gzip-compressed)');
  }
  let text: string;
  let truncated = false;
  try {
    text = gunzipSync(file).toString('utf8');
  } catch {
    // Cut short: Z_SYNC_FLUSH as the final flush makes zlib return what it could decode instead of failing.
    truncated = true;
    text = gunzipSync(file, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  }
  const lines = text.split('\n');
  if ((lines.pop() ?? '').length > 0) truncated = true;
  const parsed: Array<SessionHeader | SessionRecord> = [];
  for (const line of lines) {
    if (!line) continue;
    try {
      parsed.push(JSON.parse(line));
    } catch {
      truncated = true;
      break;
    }
  }
  const header = parsed.shift();
  if (!header || header.type !== 'header' || (header as SessionHeader).format !== SESSION_FORMAT) {
    throw new SessionFormatError('Not a Goldfish session file (no session header)');
  }
  if ((header as SessionHeader).version !== SESSION_VERSION) {
    throw new SessionFormatError(
      `This session file has format version ${(header as SessionHeader).version}; this app reads version ${SESSION_VERSION}. Open it with a matching Goldfish OOM Manager.`,
    );
  }
  return { header: header as SessionHeader, records: parsed as SessionRecord[], truncated };
}
