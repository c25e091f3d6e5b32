/**
 * The per-uid OOM check of docs/device-interface.md as a pure function: the oom module calls it on a snapshot
 * of the live task list, the what-if replay calls it on recorded traces. It knows nothing of the kernel model.
 */

export const OOM_MODES = ['corrected', 'seed-faithful'] as const;
export type OomMode = (typeof OOM_MODES)[number];

export interface ProcessSnapshot {
  readonly pid: number;
  readonly uid: number;
  /** Resident bytes (0 without an mm). */
  readonly rss: number;
  readonly comm: string;
  /** false for kernel threads and zombies. */
  readonly hasMm: boolean;
  /** false once the task is gone or a zombie. */
  readonly alive: boolean;
  /** PF_EXITING: on its way out. */
  readonly exiting: boolean;
  /** A fatal signal is pending (from anyone). */
  readonly signalled: boolean;
}

export interface MmLimit {
  readonly uid: number;
  readonly mmMax: number;
  readonly graceS: number;
  /** Bumped by every set of this uid's limit; a set stops the breach clock. */
  readonly generation: number;
}

export interface OomVictim {
  readonly pid: number;
  readonly uid: number;
  readonly escalated: boolean;
}

export interface BreachClock {
  readonly generation: number;
  readonly startNs: number;
}

/** What the seed kept in time_stamp: the grace left, counted down by T at every check. */
export interface SeedCountdown {
  readonly generation: number;
  readonly remainingS: number;
}

export interface OomState {
  readonly breach: ReadonlyMap<number, BreachClock>;
  readonly victims: readonly OomVictim[];
  readonly seedCountdown: ReadonlyMap<number, SeedCountdown>;
}

export const initialOomState = (): OomState => ({ breach: new Map(), victims: [], seedCountdown: new Map() });

export interface OomCheckInput {
  readonly processes: readonly ProcessSnapshot[];
  /** In ascending uid order. */
  readonly limits: readonly MmLimit[];
  readonly state: OomState;
  readonly nowNs: number;
  readonly callerPid: number;
  /** The T the daemon passed (the seed's time_step). */
  readonly periodS: number;
  readonly mode: OomMode;
}

export type OomSignal = 'SIGTERM' | 'SIGKILL';

export interface OomKill {
  readonly pid: number;
  readonly uid: number;
  readonly comm: string;
  /** The uid's RSS before this kill. */
  readonly uRss: number;
  readonly mmMax: number;
  readonly pRss: number;
}

export interface OomCheckResult {
  /** Signals to send, in order. */
  readonly signals: readonly { pid: number; signal: OomSignal }[];
  readonly escalations: readonly OomVictim[];
  readonly kills: readonly OomKill[];
  /** printk lines (KERN_INFO), in order. */
  readonly log: readonly string[];
  readonly graceStarted: readonly number[];
  readonly state: OomState;
}

export const killLines = (k: OomKill): string[] => [
  'A process has been killed:',
  `uid=${k.uid}, uRSS=${k.uRss}, mm_max=${k.mmMax}, pid=${k.pid}, pRSS=${k.pRss}`,
];

export const escalationLine = (v: { uid: number; pid: number }): string => `Escalating to SIGKILL: uid=${v.uid}, pid=${v.pid}`;

export const graceLine = (l: MmLimit): string =>
  `uid=${l.uid} exceeds mm_max=${l.mmMax}: grace period of ${l.graceS}s started`;

export function decideOomCheck(input: OomCheckInput): OomCheckResult {
  return input.mode === 'seed-faithful' ? decideSeedFaithful(input) : decideCorrected(input);
}

/** Largest RSS first, ties to the lower pid. */
const byRssDesc = (a: ProcessSnapshot, b: ProcessSnapshot) => b.rss - a.rss || a.pid - b.pid;

function decideCorrected(input: OomCheckInput): OomCheckResult {
  const byPid = new Map<number, ProcessSnapshot>();
  for (const p of input.processes) byPid.set(p.pid, p);

  const signals: { pid: number; signal: OomSignal }[] = [];
  const escalations: OomVictim[] = [];
  const log: string[] = [];
  const victims: OomVictim[] = [];

  for (const v of input.state.victims) {
    const p = byPid.get(v.pid);
    if (!p || !p.alive || p.exiting) continue;
    if (!v.escalated && !p.signalled) {
      signals.push({ pid: v.pid, signal: 'SIGKILL' });
      escalations.push(v);
      log.push(escalationLine(v));
      victims.push({ ...v, escalated: true });
    } else {
      victims.push(v);
    }
  }
  const victimPids = new Set(victims.map((v) => v.pid));

  const limitedUids = new Set(input.limits.map((l) => l.uid));
  const perUid = new Map<number, ProcessSnapshot[]>();
  for (const p of input.processes) {
    if (!p.hasMm || !p.alive || p.exiting || p.signalled) continue;
    if (p.uid === 0 || p.pid === input.callerPid || victimPids.has(p.pid) || !limitedUids.has(p.uid)) continue;
    let list = perUid.get(p.uid);
    if (!list) perUid.set(p.uid, (list = []));
    list.push(p);
  }

  const breach = new Map(input.state.breach);
  const kills: OomKill[] = [];
  const graceStarted: number[] = [];
  for (const limit of input.limits) {
    const tasks = perUid.get(limit.uid) ?? [];
    let uRss = 0;
    for (const t of tasks) uRss += t.rss;
    if (uRss <= limit.mmMax) {
      breach.delete(limit.uid);
      continue;
    }
    let clock = breach.get(limit.uid);
    if (!clock || clock.generation !== limit.generation) {
      clock = { generation: limit.generation, startNs: input.nowNs };
      breach.set(limit.uid, clock);
      if (limit.graceS > 0) {
        log.push(graceLine(limit));
        graceStarted.push(limit.uid);
      }
    }
    if (Math.floor((input.nowNs - clock.startNs) / 1e9) < limit.graceS) continue;

    tasks.sort(byRssDesc);
    for (const t of tasks) {
      if (uRss <= limit.mmMax) break;
      const kill: OomKill = { pid: t.pid, uid: t.uid, comm: t.comm, uRss, mmMax: limit.mmMax, pRss: t.rss };
      kills.push(kill);
      log.push(...killLines(kill));
      signals.push({ pid: t.pid, signal: 'SIGTERM' });
      victims.push({ pid: t.pid, uid: t.uid, escalated: false });
      uRss -= t.rss;
    }
    breach.delete(limit.uid);
  }
  for (const uid of [...breach.keys()]) if (!limitedUids.has(uid)) breach.delete(uid);

  return {
    signals,
    escalations,
    kills,
    log,
    graceStarted,
    state: { breach, victims, seedCountdown: input.state.seedCountdown },
  };
}

/**
 * The original design: the grace is a countdown from the time the limit was set, decremented by T at every
 * check, and a limit still counting down `break`s out of the loop so later limits are not checked at all.
 * No escalation, no bookkeeping of victims, `>=` instead of `>`, and the caller, root and dying tasks count.
 */
function decideSeedFaithful(input: OomCheckInput): OomCheckResult {
  const perUid = new Map<number, ProcessSnapshot[]>();
  for (const p of input.processes) {
    if (!p.hasMm || !p.alive) continue;
    let list = perUid.get(p.uid);
    if (!list) perUid.set(p.uid, (list = []));
    list.push(p);
  }
  const countdown = new Map(input.state.seedCountdown);
  const signals: { pid: number; signal: OomSignal }[] = [];
  const kills: OomKill[] = [];
  const log: string[] = [];

  for (const limit of input.limits) {
    let entry = countdown.get(limit.uid);
    if (!entry || entry.generation !== limit.generation) entry = { generation: limit.generation, remainingS: limit.graceS };
    if (entry.remainingS >= input.periodS) {
      countdown.set(limit.uid, { ...entry, remainingS: entry.remainingS - input.periodS });
      break;
    }
    countdown.set(limit.uid, entry);

    const tasks = [...(perUid.get(limit.uid) ?? [])];
    let uRss = tasks.reduce((s, t) => s + t.rss, 0);
    while (uRss >= limit.mmMax && tasks.length > 0) {
      let max = 0;
      for (let j = 1; j < tasks.length; j++) if (tasks[j]!.rss > tasks[max]!.rss) max = j;
      const t = tasks.splice(max, 1)[0]!;
      const kill: OomKill = { pid: t.pid, uid: t.uid, comm: t.comm, uRss, mmMax: limit.mmMax, pRss: t.rss };
      kills.push(kill);
      log.push(...killLines(kill));
      signals.push({ pid: t.pid, signal: 'SIGTERM' });
      uRss -= t.rss;
    }
  }
  for (const uid of [...countdown.keys()]) if (!input.limits.some((l) => l.uid === uid)) countdown.delete(uid);

  return {
    signals,
    escalations: [],
    kills,
    log,
    graceStarted: [],
    state: { breach: input.state.breach, victims: [], seedCountdown: countdown },
  };
}
