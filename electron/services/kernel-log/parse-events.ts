import type { AppliedLimit } from '../../../contract/domains/limits.js';
import type { KillEvent } from '../../../contract/domains/kernel-log.js';

/** What one numbered log line means to the app. */
export type LogEvent =
  | { kind: 'kill'; kill: Omit<KillEvent, 'at'> }
  | { kind: 'limits'; index: number; limits: AppliedLimit[] }
  | { kind: 'module-load'; index: number }
  | { kind: 'module-exit'; index: number }
  | { kind: 'grace-started'; index: number; uid: number; mmMax: number; grace: number };

export interface NumberedLine {
  index: number;
  ts: number;
  text: string;
}

const OUR_KILL = /uid=(\d+),\s*uRSS=(\d+),\s*mm_max=(\d+),\s*pid=(\d+),\s*pRSS=(\d+)/i;
const OUR_ESCALATE = /Escalating to SIGKILL:\s*uid=(\d+),\s*pid=(\d+)/;
const LIMIT_ROW = /^\s*uid=(\d+),\s*mm_max=(\d+)(?:,\s*(?:time_allow_exceed|time_stamp)=(\d+))?\s*$/;
const GRACE = /uid=(\d+) exceeds mm_max=(\d+): grace period of (\d+)s started/;
// 3.4 .. 5.x: "Killed process 1234 (comm) total-vm:..kB, anon-rss:..kB, file-rss:..kB[, shmem-rss:..kB][, UID:n ...]"
// 5.x+: "Out of memory: Killed process 1234 (comm) total-vm:..." and "Memory cgroup out of memory: Killed process ..."
const KERNEL_OOM = /Killed process (\d+) \((.*?)\)(?:,? total-vm:(\d+)kB, anon-rss:(\d+)kB, file-rss:(\d+)kB(?:, shmem-rss:(\d+)kB)?)?(?:,? UID:(\d+))?/;
// Kernel lowmemorykiller, 3.4: "send sigkill to 1234 (comm), adj 15, size 1234"; later: "Killing 'comm' (1234), adj 1000,"
const LMK_KERNEL_OLD = /send sigkill to (\d+) \((.*?)\), adj (-?\d+), size (\d+)/;
const LMK_KERNEL_NEW = /lowmemorykiller: Killing '(.*?)' \((\d+)\), adj (-?\d+)/;
// Userspace lmkd: "lowmemorykiller: Kill 'comm' (1234), uid 10070, oom_adj 900 to free 12345kB" (also "lmkd: Kill ...")
const LMKD = /(?:lowmemorykiller|lmkd): Kill '(.*?)' \((\d+)\), uid (\d+), oom_(?:score_)?adj (-?\d+) to free (\d+)kB/;

const PAGE = 4096;

/**
 * Turns numbered kernel log lines into events. Stateful across calls, because our module's kill and
 * limit listing span two or more lines that may arrive in different batches.
 */
export class LogEventParser {
  private listing?: { index: number; limits: AppliedLimit[] };

  /** Feeds lines in order; returns events completed by them (a listing completes when a non-row line follows, or on flush()). */
  push(lines: NumberedLine[]): LogEvent[] {
    const events: LogEvent[] = [];
    for (const line of lines) {
      const text = line.text.trim();
      if (this.listing) {
        const row = LIMIT_ROW.exec(text);
        if (row) {
          this.listing.limits.push({ uid: Number(row[1]), mmMax: Number(row[2]), grace: Number(row[3] ?? 0) });
          continue;
        }
        events.push({ kind: 'limits', ...this.listing });
        this.listing = undefined;
      }
      const event = this.parseOne(line, text);
      if (event) events.push(event);
    }
    return events;
  }

  /** Ends a pending limit listing (e.g. at the end of a poll with nothing after it). */
  flush(): LogEvent[] {
    if (!this.listing) return [];
    const event: LogEvent = { kind: 'limits', ...this.listing };
    this.listing = undefined;
    return [event];
  }

  private parseOne(line: NumberedLine, text: string): LogEvent | undefined {
    const base = { index: line.index, ts: line.ts };
    if (text === 'Existing memory limitations:') {
      this.listing = { index: line.index, limits: [] };
      return undefined;
    }
    if (text === 'module load!') return { kind: 'module-load', index: line.index };
    if (text === 'module exit!') return { kind: 'module-exit', index: line.index };
    let m = OUR_KILL.exec(text);
    if (m) {
      return { kind: 'kill', kill: { ...base, killer: 'mm_limit', uid: Number(m[1]), uRss: Number(m[2]), mmMax: Number(m[3]), pid: Number(m[4]), pRss: Number(m[5]), signal: 'SIGTERM' } };
    }
    m = OUR_ESCALATE.exec(text);
    if (m) return { kind: 'kill', kill: { ...base, killer: 'mm_limit', uid: Number(m[1]), pid: Number(m[2]), signal: 'SIGKILL' } };
    m = GRACE.exec(text);
    if (m) return { kind: 'grace-started', index: line.index, uid: Number(m[1]), mmMax: Number(m[2]), grace: Number(m[3]) };
    m = LMKD.exec(text);
    if (m) return { kind: 'kill', kill: { ...base, killer: 'lmkd', comm: m[1], pid: Number(m[2]), uid: Number(m[3]), pRss: Number(m[5]) * 1024, signal: 'SIGKILL' } };
    m = LMK_KERNEL_NEW.exec(text);
    if (m) return { kind: 'kill', kill: { ...base, killer: 'lowmemorykiller', comm: m[1], pid: Number(m[2]), signal: 'SIGKILL' } };
    m = LMK_KERNEL_OLD.exec(text);
    if (m) return { kind: 'kill', kill: { ...base, killer: 'lowmemorykiller', comm: m[2], pid: Number(m[1]), pRss: Number(m[4]) * PAGE, signal: 'SIGKILL' } };
    m = KERNEL_OOM.exec(text);
    if (m) {
      const rssKb = m[4] === undefined ? undefined : Number(m[4]) + Number(m[5]) + Number(m[6] ?? 0);
      return {
        kind: 'kill',
        kill: { ...base, killer: 'kernel_oom', pid: Number(m[1]), comm: m[2], pRss: rssKb === undefined ? undefined : rssKb * 1024, uid: m[7] === undefined ? undefined : Number(m[7]), signal: 'SIGKILL' },
      };
    }
    return undefined;
  }
}
