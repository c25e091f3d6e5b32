import { uidFromName } from '../../../contract/domains/units.js';
import type { ProcessRow } from '../../../contract/domains/monitor.js';

export interface RawSample {
  uptimeMs?: number;
  memTotalKb?: number;
  memFreeKb?: number;
  /** rss in bytes */
  processes: ProcessRow[];
}

/** `memsample`: `T <uptime_ms> <MemTotal_kB> <MemFree_kB>`, then `<pid> <uid> <rss_kB> <comm>` per process. */
export function parseMemsample(text: string): RawSample {
  const sample: RawSample = { processes: [] };
  let headerSeen = false;
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (!headerSeen && line.startsWith('T ')) {
      const [, uptime, total, free] = line.trim().split(/\s+/);
      sample.uptimeMs = Number(uptime);
      sample.memTotalKb = Number(total);
      sample.memFreeKb = Number(free);
      headerSeen = true;
      continue;
    }
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*?)\s*$/.exec(line);
    if (match) sample.processes.push({ pid: Number(match[1]), uid: Number(match[2]), rss: Number(match[3]) * 1024, comm: match[4] });
  }
  if (!headerSeen) throw new Error(`memsample printed no header line (got "${text.slice(0, 80)}")`);
  return sample;
}

/** The fallback command: uptime and a process list in one round trip (toybox ps, or old toolbox ps). */
export const PS_COMMAND = 'cat /proc/uptime; ps -A -o PID,UID,RSS,NAME 2>/dev/null || ps';

/**
 * Parses the output of PS_COMMAND. Columns are found by header name, so both toybox
 * (`PID UID RSS NAME`, or `USER PID PPID VSZ RSS WCHAN ADDR S NAME`) and 4.4's toolbox
 * (`USER PID PPID VSIZE RSS WCHAN PC NAME`) work; a USER name is turned into a uid like Android does.
 */
export function parsePs(text: string): RawSample {
  const lines = text.split('\n').filter((l) => l.trim());
  const sample: RawSample = { processes: [] };
  const uptime = /^\s*(\d+(?:\.\d+)?)\s+\d+(?:\.\d+)?\s*$/.exec(lines[0] ?? '');
  if (uptime) {
    sample.uptimeMs = Math.round(Number(uptime[1]) * 1000);
    lines.shift();
  }
  const headerAt = lines.findIndex((l) => /\bPID\b/.test(l) && /\bRSS\b/.test(l));
  if (headerAt < 0) throw new Error(`ps printed no header with PID and RSS (got "${text.slice(0, 80)}")`);
  const header = lines[headerAt].trim().split(/\s+/);
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h.toUpperCase()));
  const pidCol = col('PID');
  const uidCol = col('UID');
  const userCol = col('USER');
  const rssCol = col('RSS');
  const nameCol = col('NAME', 'CMD', 'COMMAND', 'ARGS');
  for (const line of lines.slice(headerAt + 1)) {
    const fields = line.trim().split(/\s+/);
    // Toolbox may leave WCHAN empty or print an extra state letter column: the name is always last.
    const pid = Number(fields[pidCol]);
    const rssKb = Number(fields[rssCol]);
    const uid = uidCol >= 0 ? Number(fields[uidCol]) : uidFromName(fields[userCol] ?? '');
    if (!Number.isInteger(pid) || !Number.isFinite(rssKb) || uid === undefined || !Number.isInteger(uid)) continue;
    const comm = nameCol === header.length - 1 ? fields.slice(Math.max(nameCol, fields.length - 1)).join(' ') : fields[nameCol] ?? '';
    sample.processes.push({ pid, uid, rss: rssKb * 1024, comm });
  }
  return sample;
}

export interface UidTotal {
  uid: number;
  rss: number;
  count: number;
}

/** Sums RSS and counts processes per uid (ascending uid), and keeps each uid's largest processes. */
export function aggregateByUid(processes: ProcessRow[], topN = 5): { totals: UidTotal[]; top: Map<number, ProcessRow[]> } {
  const byUid = new Map<number, ProcessRow[]>();
  for (const process of processes) {
    let list = byUid.get(process.uid);
    if (!list) byUid.set(process.uid, (list = []));
    list.push(process);
  }
  const totals: UidTotal[] = [];
  const top = new Map<number, ProcessRow[]>();
  for (const [uid, list] of [...byUid].sort((a, b) => a[0] - b[0])) {
    totals.push({ uid, rss: list.reduce((sum, p) => sum + p.rss, 0), count: list.length });
    top.set(uid, [...list].sort((a, b) => b.rss - a.rss || a.pid - b.pid).slice(0, topN));
  }
  return { totals, top };
}
