import type { SeriesBuffer } from './seriesBuffer.js';

export type LimitStatus =
  | { kind: 'unknown' }
  | { kind: 'ok'; usage: number }
  | { kind: 'grace'; usage: number; secondsLeft: number; since: number }
  | { kind: 'over'; usage: number; since: number };

/**
 * Where a uid stands against its limit from the samples: under it, over it within its grace period (and how long
 * is left, counted from the first sample over the limit), or over it with the grace spent. The device decides
 * at its next check; this is what a person watching can expect.
 */
export function limitStatus(buffer: SeriesBuffer, uid: number, mmMax: number, grace: number, now: number): LimitStatus {
  const usage = buffer.latest(uid);
  if (usage === undefined) return { kind: 'unknown' };
  if (usage <= mmMax) return { kind: 'ok', usage };
  const values = buffer.series(uid);
  let since = buffer.times[buffer.length - 1];
  if (values) {
    for (let i = buffer.length - 1; i >= 0 && values[i] > mmMax; i--) since = buffer.times[i];
  }
  const left = grace - (now - since) / 1000;
  if (grace > 0 && left > 0) return { kind: 'grace', usage, secondsLeft: Math.ceil(left), since };
  return { kind: 'over', usage, since };
}

/** Intervals [from, to] (ms) in which uid was over mmMax within its grace period: what the chart shades. */
export function graceIntervals(buffer: SeriesBuffer, uid: number, mmMax: number, grace: number, from: number, to: number): Array<[number, number]> {
  const values = buffer.series(uid);
  if (!values || grace <= 0) return [];
  const out: Array<[number, number]> = [];
  let start: number | null = null;
  const close = (end: number) => {
    if (start === null) return;
    const stop = Math.min(end, start + grace * 1000);
    if (stop >= from && start <= to) out.push([start, stop]);
    start = null;
  };
  for (let i = 0; i < buffer.length; i++) {
    const t = buffer.times[i];
    if (values[i] > mmMax) {
      if (start === null) start = t;
    } else close(t);
  }
  close(buffer.length ? buffer.times[buffer.length - 1] : to);
  return out;
}
