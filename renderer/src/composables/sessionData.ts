import type { PredictedKill, SessionKill, SessionSummary } from '../../../contract/domains/sessions.js';
import { parseBytes, uidFromName } from '../../../contract/domains/units.js';
import type { ChartKill, PredictedMarker } from './chartData.js';
import { validateLimit, type LimitDraft, type LimitErrors, type Unit } from './limitInput.js';
import { SeriesBuffer } from './seriesBuffer.js';

/**
 * A session's times are device uptime (ms since boot). The chart shows them on the host clock of the
 * recording: the first sample at the session's start time.
 */
export function hostClock(summary: Pick<SessionSummary, 'info' | 'fromMs'>): (uptimeMs: number) => number {
  const start = summary.info.startedAt;
  return (uptimeMs) => start + (uptimeMs - summary.fromMs);
}

/** The recorded per-uid series as the columnar buffer the chart draws (a uid absent from a sample had no process: 0). */
export function bufferFromSeries(series: SessionSummary['series'], toHost: (uptimeMs: number) => number): SeriesBuffer {
  const byTime = new Map<number, Array<[number, number, number]>>();
  for (const { uid, points } of series) {
    for (const [at, bytes] of points) {
      let row = byTime.get(at);
      if (!row) byTime.set(at, (row = []));
      row.push([uid, bytes, 0]);
    }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const buffer = new SeriesBuffer(Math.max(16, times.length), Math.max(16, times.length));
  buffer.append(times.map((at) => ({ t: toHost(at), uptimeMs: at, uids: byTime.get(at)! })));
  return buffer;
}

/** Recorded kills as chart markers (index = position in the recording's kill list). */
export function chartKills(kills: readonly SessionKill[], toHost: (uptimeMs: number) => number): ChartKill[] {
  return kills.map((kill, index) => ({ index, ts: kill.atMs / 1000, at: toHost(kill.atMs), killer: 'mm_limit', pid: kill.pid, comm: kill.comm, uid: kill.uid, pRss: kill.pRss }));
}

export function predictedMarkers(predicted: readonly PredictedKill[], toHost: (uptimeMs: number) => number): PredictedMarker[] {
  return predicted.map((kill) => ({ key: `${kill.pid}-${kill.checkMs}`, at: toHost(kill.checkMs), uid: kill.uid, pid: kill.pid, comm: kill.comm, pRss: kill.pRss, uRss: kill.uRss, mmMax: kill.mmMax }));
}

/** The uids worth drawing first: the top ones by peak, plus every limited uid and every uid with a kill. */
export function defaultUids(series: SessionSummary['series'], extra: readonly number[], topN = 5): number[] {
  const present = new Set(series.map((entry) => entry.uid));
  const ranked = series
    .map(({ uid, points }) => ({ uid, peak: points.reduce((max, [, bytes]) => Math.max(max, bytes), 0) }))
    .sort((a, b) => b.peak - a.peak)
    .slice(0, topN)
    .map((entry) => entry.uid);
  return [...new Set([...ranked, ...extra.filter((uid) => present.has(uid))])].sort((a, b) => a - b);
}

export type KillMatch = 'matched' | 'predicted only' | 'recorded only';

export interface KillComparison {
  pid: number;
  uid?: number;
  comm?: string;
  /** The victim's RSS: at the predicted check, in the recorded kill line. */
  predictedPRss?: number;
  recordedPRss?: number;
  /** Device uptime (ms): of the predicted check, of the recorded kill line. */
  predictedMs?: number;
  recordedMs?: number;
  match: KillMatch;
}

/** Predicted kills against recorded ones, matched by pid, in time order. */
export function compareKills(predicted: readonly PredictedKill[], actual: readonly SessionKill[]): KillComparison[] {
  const rows: KillComparison[] = [];
  const recorded = new Map(actual.map((kill) => [kill.pid, kill]));
  const used = new Set<number>();
  for (const kill of predicted) {
    const other = recorded.get(kill.pid);
    if (other && !used.has(kill.pid)) used.add(kill.pid);
    rows.push({ pid: kill.pid, uid: kill.uid, comm: kill.comm, predictedPRss: kill.pRss, recordedPRss: other?.pRss, predictedMs: kill.checkMs, recordedMs: other?.atMs, match: other ? 'matched' : 'predicted only' });
  }
  for (const kill of actual) {
    if (!used.has(kill.pid)) rows.push({ pid: kill.pid, uid: kill.uid, comm: kill.comm, recordedPRss: kill.pRss, recordedMs: kill.atMs, match: 'recorded only' });
  }
  return rows.sort((a, b) => (a.predictedMs ?? a.recordedMs ?? 0) - (b.predictedMs ?? b.recordedMs ?? 0));
}

/** The daemon's interval T as typed: a whole number of seconds, 1–3600 (the contract's Interval). */
export function validateInterval(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { error: 'T is a whole number of seconds.' };
  const value = Number(trimmed);
  if (value < 1 || value > 3600) return { error: 'T is from 1 to 3600 s.' };
  return { value };
}

export interface WhatIfErrors {
  rows: LimitErrors[];
  interval?: string;
  form?: string;
}

/** Checks the what-if settings as typed; nothing is sent until every row and T pass. */
export function validateWhatIf(rows: readonly LimitDraft[], intervalText: string): { ok: true; settings: { limits: Array<{ uid: number; mmMax: number; grace: number }>; interval: number } } | { ok: false; errors: WhatIfErrors } {
  const errors: WhatIfErrors = { rows: rows.map(() => ({})) };
  const limits: Array<{ uid: number; mmMax: number; grace: number }> = [];
  let bad = false;
  rows.forEach((row, i) => {
    const others = rows.filter((_, j) => j < i).map((other) => uidFromName(other.user.trim())).filter((uid): uid is number => uid !== undefined);
    const result = validateLimit(row, { existingUids: others });
    if (result.ok) limits.push({ uid: result.value.uid, mmMax: result.value.bytes, grace: result.value.grace });
    else {
      errors.rows[i] = result.errors;
      if (result.errors.user?.includes('already has a limit')) errors.rows[i].user = 'This uid is already in another row.';
      bad = true;
    }
  });
  if (rows.length === 0) {
    errors.form = 'Add at least one limit.';
    bad = true;
  }
  const interval = validateInterval(intervalText);
  if ('error' in interval) {
    errors.interval = interval.error;
    bad = true;
  }
  if (bad || !('value' in interval)) return { ok: false, errors };
  return { ok: true, settings: { limits, interval: interval.value } };
}

export interface SweepDraft {
  user: string;
  from: string;
  to: string;
  unit: Unit;
  steps: string;
  grace: string;
  interval: string;
}

export type SweepErrors = Partial<Record<'user' | 'from' | 'to' | 'steps' | 'grace' | 'interval', string>>;
export interface SweepRequest {
  uid: number;
  from: number;
  to: number;
  steps: number;
  grace: number;
  interval: number;
}

function amount(text: string, unit: Unit): { bytes: number } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { error: 'Enter a size.' };
  const parsed = parseBytes(/[a-zA-Z]/.test(trimmed) ? trimmed : `${trimmed}${unit === 'B' ? '' : unit}`);
  if ('error' in parsed) return { error: parsed.error.charAt(0).toUpperCase() + parsed.error.slice(1) + '.' };
  if (parsed.bytes < 4096) return { error: 'At least one page (4096 B).' };
  return parsed;
}

/** Checks the sweep form: a uid, from ≤ to, 1–100 steps, grace and T. */
export function validateSweep(draft: SweepDraft): { ok: true; request: SweepRequest } | { ok: false; errors: SweepErrors } {
  const errors: SweepErrors = {};
  const user = draft.user.trim();
  const uid = user ? uidFromName(user) : undefined;
  if (!user) errors.user = 'Enter a user name (u0_a70) or a uid.';
  else if (uid === undefined) errors.user = `"${user}" is not a known user.`;
  else if (uid === 0) errors.user = 'root (uid 0) cannot be limited.';
  const from = amount(draft.from, draft.unit);
  const to = amount(draft.to, draft.unit);
  if ('error' in from) errors.from = from.error;
  if ('error' in to) errors.to = to.error;
  if ('bytes' in from && 'bytes' in to && to.bytes < from.bytes) errors.to = 'To must not be below From.';
  const steps = draft.steps.trim();
  if (!/^\d+$/.test(steps) || Number(steps) < 1 || Number(steps) > 100) errors.steps = 'Steps is a whole number from 1 to 100.';
  const grace = draft.grace.trim() === '' ? '0' : draft.grace.trim();
  if (!/^\d+$/.test(grace) || Number(grace) > 86_400) errors.grace = 'Grace is a whole number of seconds, at most 86400.';
  const interval = validateInterval(draft.interval);
  if ('error' in interval) errors.interval = interval.error;
  if (Object.keys(errors).length || uid === undefined || !('bytes' in from) || !('bytes' in to) || !('value' in interval)) return { ok: false, errors };
  return { ok: true, request: { uid, from: from.bytes, to: to.bytes, steps: Number(steps), grace: Number(grace), interval: interval.value } };
}
