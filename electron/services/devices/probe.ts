import type { DaemonStatus, DeviceProbe } from '../../../contract/domains/devices.js';
import { parsePs } from '../sampler/parse.js';

const SECTIONS = ['uname', 'arch', 'abi', 'model', 'release', 'simulator', 'id', 'meminfo', 'modules', 'ps', 'oomcheck'] as const;
type Section = (typeof SECTIONS)[number];

const COMMANDS: Record<Section, string> = {
  uname: 'uname -r',
  arch: 'uname -m',
  abi: 'getprop ro.product.cpu.abi',
  model: 'getprop ro.product.model',
  release: 'getprop ro.build.version.release',
  // Only the bundled simulator has this property (docs/device-interface.md).
  simulator: 'getprop ro.goldfish.oom.mode',
  id: 'id',
  meminfo: 'cat /proc/meminfo',
  modules: 'cat /proc/modules',
  ps: 'ps -A',
  oomcheck: 'cat /proc/mm_oom_check',
};

/** Everything the probe asks, in one adb round trip; each answer is fenced by a marker line. */
export const PROBE_COMMAND = SECTIONS.map((s) => `echo @@GF:${s}; ${COMMANDS[s]} 2>&1`).join('; ') + '; echo @@GF:end';

export function splitSections(text: string): Partial<Record<Section, string>> {
  const out: Partial<Record<Section, string>> = {};
  const parts = text.split(/^@@GF:(\w+)\r?$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out[parts[i] as Section] = parts[i + 1].replace(/^\n/, '').trimEnd();
  return out;
}

/** /proc/modules: `name size refcount deps state address`. */
export function parseModules(text: string | undefined): string[] {
  if (!text || /No such file|not found/i.test(text)) return [];
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name && /^[A-Za-z0-9_-]+$/.test(name) && name !== 'Module');
}

/** /proc/mm_oom_check: `checks=<n> kills=<n> last_check_ms=<ms>`. */
export function parseOomCheck(text: string | undefined): { checks?: number; kills?: number; lastCheckMs?: number } {
  const m = /checks=(\d+)\s+kills=(\d+)\s+last_check_ms=(\d+)/.exec(text ?? '');
  return m ? { checks: Number(m[1]), kills: Number(m[2]), lastCheckMs: Number(m[3]) } : {};
}

function clean(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text || /not found|No such file|inaccessible|unknown/i.test(text)) return undefined;
  return text.split('\n')[0].trim() || undefined;
}

/** Daemon: a process named `oom` (or a path ending in /oom). */
export function findDaemonPids(psText: string | undefined): number[] {
  if (!psText) return [];
  try {
    return parsePs(psText)
      .processes.filter((p) => p.comm === 'oom' || p.comm.endsWith('/oom'))
      .map((p) => p.pid);
  } catch {
    return [];
  }
}

function simulatorMode(text: string | undefined): Pick<DeviceProbe, 'simulatorOomMode'> {
  const mode = clean(text);
  return mode === 'corrected' || mode === 'seed-faithful' ? { simulatorOomMode: mode } : {};
}

export interface ParsedProbe {
  probe: DeviceProbe;
  unameM?: string;
  daemonPids: number[];
}

export function parseProbe(text: string, now = Date.now()): ParsedProbe {
  const s = splitSections(text);
  const uid = /uid=(\d+)/.exec(s.id ?? '')?.[1] ?? (/^\d+$/.test((s.id ?? '').trim()) ? s.id!.trim() : undefined);
  const ramKb = /MemTotal:\s+(\d+)\s*kB/.exec(s.meminfo ?? '')?.[1];
  const daemonPids = findDaemonPids(s.ps);
  const check = parseOomCheck(s.oomcheck);
  const daemon: DaemonStatus = { running: daemonPids.length > 0, ...(daemonPids[0] !== undefined ? { pid: daemonPids[0] } : {}), ...check };
  delete (daemon as { kills?: number }).kills;
  return {
    probe: {
      kernel: clean(s.uname),
      abi: clean(s.abi),
      model: clean(s.model),
      androidVersion: clean(s.release),
      isRoot: uid === undefined ? undefined : uid === '0',
      ramKb: ramKb ? Number(ramKb) : undefined,
      modules: parseModules(s.modules),
      daemon,
      probedAt: now,
      ...simulatorMode(s.simulator),
    },
    unameM: clean(s.arch),
    daemonPids,
  };
}
