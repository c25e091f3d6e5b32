import { uidFromName } from '../../../contract/domains/units.js';
import type { ProcessRow } from '../../../contract/domains/monitor.js';

export interface RawSample {
  uptimeMs?: number;
  memTotalKb?: number;
  memFreeKb?: number;
  /** Device uptime (ms) of the oom daemon's last check, when /proc/mm_oom_check was read with the sample. */
  lastCheckMs?: number;
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
    const lastCheck = /\blast_check_ms=(\d+)/.exec(line);
    if (lastCheck) {
      sample.lastCheckMs = Number(lastCheck[1]);
      continue;
    }
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*?)\s*$/.exec(line);
    if (match) sample.processes.push({ pid: Number(match[1]), uid: Number(match[2]), rss: Number(match[3]) * 1024, comm: match[4] });
  }
  if (!headerSeen) throw new Error(`memsample printed no header line (got "${text.slice(0, 80)}")`);
  return sample;
}

/** Android's fixed ids (system/core/libcutils/include/private/android_filesystem_config.h) that toybox ps prints as USER. */
const ANDROID_AIDS: Record<string, number> = {
  root: 0, system: 1000, radio: 1001, bluetooth: 1002, graphics: 1003, input: 1004, audio: 1005, camera: 1006, log: 1007,
  compass: 1008, mount: 1009, wifi: 1010, adb: 1011, install: 1012, media: 1013, dhcp: 1014, sdcard_rw: 1015, vpn: 1016,
  keystore: 1017, usb: 1018, drm: 1019, mdnsr: 1020, gps: 1021, media_rw: 1023, mtp: 1024, nfc: 1027, sdcard_r: 1028,
  clat: 1029, loop_radio: 1030, mediadrm: 1031, package_info: 1032, sdcard_pics: 1033, sdcard_av: 1034, sdcard_all: 1035,
  logd: 1036, shared_relro: 1037, dbus: 1038, tlsdate: 1039, mediaex: 1040, audioserver: 1041, metrics_coll: 1042,
  metricsd: 1043, webserv: 1044, debuggerd: 1045, mediacodec: 1046, cameraserver: 1047, firewall: 1048, trunks: 1049,
  nvram: 1050, dns: 1051, dns_tether: 1052, webview_zygote: 1053, vehicle_network: 1054, media_audio: 1055,
  media_video: 1056, media_image: 1057, tombstoned: 1058, media_obb: 1059, ese: 1060, ota_update: 1061, automotive_evs: 1062,
  lowpan: 1063, hsm: 1064, reserved_disk: 1065, statsd: 1066, incidentd: 1067, secure_element: 1068, lmkd: 1069,
  llkd: 1070, iorapd: 1071, gpu_service: 1072, network_stack: 1073, shell: 2000, cache: 2001, diag: 2002, net_bt_admin: 3001,
  net_bt: 3002, inet: 3003, net_raw: 3004, net_admin: 3005, net_bw_stats: 3006, net_bw_acct: 3007, readproc: 3009,
  wakelock: 3010, uhid: 3011, everybody: 9997, misc: 9998, nobody: 9999,
};

/** A ps USER column → uid: Android's rules (uN_aM, uN_iM isolated), the fixed ids, or a decimal uid. */
export function uidFromPsUser(user: string): number | undefined {
  const isolated = /^u(\d+)_i(\d+)$/.exec(user);
  if (isolated) return Number(isolated[1]) * 100000 + 99000 + Number(isolated[2]);
  return ANDROID_AIDS[user] ?? uidFromName(user);
}

/** The fallback command: uptime and every process in one round trip; `ps -A` works on toolbox (4.x) and toybox (8+). */
export const PS_COMMAND = 'cat /proc/uptime; ps -A';

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
    const uid = uidCol >= 0 ? Number(fields[uidCol]) : uidFromPsUser(fields[userCol] ?? '');
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
