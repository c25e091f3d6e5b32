import { decideOomCheck, initialOomState, type MmLimit, type OomState, type ProcessSnapshot } from '../../../native-emulator/core/oom/decide.js';
import type { KillRecord, LimitsRecord, ProcessSampleRecord, Session } from '../session/format.js';

/** The settings to try: limits per uid and the daemon's interval T. */
export interface ReplaySettings {
  limits: ReadonlyArray<{ uid: number; mmMax: number; grace: number }>;
  interval: number;
}

export interface PredictedKill {
  /** Device time (ms since boot) of the check that decided the kill. */
  checkMs: number;
  pid: number;
  uid: number;
  comm: string;
  pRss: number;
  uRss: number;
  mmMax: number;
}

export interface ReplayResult {
  settings: ReplaySettings;
  kills: PredictedKill[];
  checks: number;
}

export interface ActualKill {
  /** Kernel time of the kill line, in ms since boot. */
  atMs: number;
  pid: number;
  uid?: number;
  comm?: string;
  pRss?: number;
}

/** How long after a check its kill lines may carry a later timestamp. */
const KILL_LINE_SLACK_MS = 500;

interface Frame {
  atMs: number;
  lastCheckMs?: number;
  procs: ProcessSampleRecord['procs'];
}

function framesOf(session: Session): Frame[] {
  const start = session.header.startedAt;
  return session.records
    .filter((record): record is ProcessSampleRecord => record.type === 'procs')
    .map((record) => ({ atMs: record.uptimeMs ?? record.t - start, lastCheckMs: record.lastCheckMs, procs: record.procs }))
    .sort((a, b) => a.atMs - b.atMs);
}

/**
 * The first check time: in phase with the daemon's checks (a process the real daemon killed is gone from later
 * samples, so a replay out of phase would look at it too late). The phase comes from /proc/mm_oom_check when
 * the samples carry it, else from the first recorded kill line (its timestamp is a check's), else the first sample.
 */
function firstCheckMs(frames: readonly Frame[], kills: readonly ActualKill[], stepMs: number): number {
  const first = frames[0].atMs;
  const anchor = frames.find((frame) => frame.lastCheckMs !== undefined && frame.lastCheckMs > 0)?.lastCheckMs ?? kills[0]?.atMs;
  if (anchor === undefined) return first;
  return anchor - Math.floor((anchor - first) / stepMs) * stepMs;
}

/** The limits and interval in force at the end of the recording (what the user will usually compare against). */
export function settingsInForce(session: Session): ReplaySettings | undefined {
  const last = session.records.filter((record): record is LimitsRecord => record.type === 'limits').at(-1);
  if (!last || last.interval === null) return undefined;
  return { limits: last.limits, interval: last.interval };
}

export function actualKills(session: Session): ActualKill[] {
  return session.records
    .filter((record): record is KillRecord => record.type === 'kill' && record.killer === 'mm_limit')
    .map((record) => ({ atMs: record.ts * 1000, pid: record.pid, uid: record.uid, comm: record.comm, pRss: record.pRss }));
}

/**
 * Runs the recorded per-process trace through the simulator's own OOM decision (decideOomCheck), with a
 * check every `interval` seconds. A process the replay kills is gone from every later sample; everything
 * else happens as recorded (so a process really killed stays dead in the replay, whatever the setting).
 */
export function replay(session: Session, settings: ReplaySettings): ReplayResult {
  const frames = framesOf(session);
  const kills: PredictedKill[] = [];
  if (frames.length === 0) return { settings, kills, checks: 0 };

  const limits: MmLimit[] = [...settings.limits]
    .sort((a, b) => a.uid - b.uid)
    .map((limit) => ({ uid: limit.uid, mmMax: limit.mmMax, graceS: limit.grace, generation: 0 }));
  const stepMs = settings.interval * 1000;
  // A recorded kill line is itself a measurement: the victim's RSS at the moment of that check.
  const recorded = actualKills(session);
  const observed = recorded.filter((kill) => kill.pRss !== undefined);
  const killed = new Set<number>();
  let state: OomState = initialOomState();
  let frame = 0;
  let checks = 0;

  for (let checkMs = firstCheckMs(frames, recorded, stepMs); checkMs <= frames[frames.length - 1].atMs; checkMs += stepMs) {
    // The newest sample taken before the check: one taken at the same instant may already show its kills.
    while (frame + 1 < frames.length && frames[frame + 1].atMs < checkMs) frame++;
    const processes: ProcessSnapshot[] = [];
    let daemonPid = -1;
    const frameAt = frames[frame].atMs;
    for (const [pid, uid, sampled, comm] of frames[frame].procs) {
      if (comm === 'oom') daemonPid = pid;
      if (killed.has(pid)) continue;
      const atCheck = observed.find((kill) => kill.pid === pid && kill.atMs > frameAt && kill.atMs <= checkMs + KILL_LINE_SLACK_MS);
      const rss = atCheck?.pRss ?? sampled;
      processes.push({ pid, uid, rss, comm, hasMm: rss > 0, alive: true, exiting: false, signalled: false });
    }
    const result = decideOomCheck({ processes, limits, state, nowNs: checkMs * 1e6, callerPid: daemonPid, periodS: settings.interval, mode: 'corrected' });
    state = result.state;
    checks++;
    for (const kill of result.kills) {
      killed.add(kill.pid);
      kills.push({ checkMs, ...kill });
    }
  }
  return { settings, kills, checks };
}

export interface SweepRow {
  settings: ReplaySettings;
  kills: number;
  pids: number[];
}

/** One replay per candidate setting: "kills per setting". */
export function sweep(session: Session, candidates: readonly ReplaySettings[]): SweepRow[] {
  return candidates.map((settings) => {
    const result = replay(session, settings);
    return { settings, kills: result.kills.length, pids: result.kills.map((kill) => kill.pid) };
  });
}
