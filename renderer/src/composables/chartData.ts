import type { KillEvent } from '../../../contract/domains/kernel-log.js';
import { downsampleMinMax } from './downsample.js';
import { graceIntervals } from './limitStatus.js';
import type { SeriesBuffer } from './seriesBuffer.js';

export const PALETTE = ['#e8743b', '#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#17becf', '#bcbd22', '#8c564b', '#e377c2', '#7f7f7f', '#3b8686', '#b8860b'];

export interface LimitLine {
  uid: number;
  mmMax: number;
  grace: number;
}

export interface ChartData {
  /** uPlot's aligned data: x in seconds, then one series per uid, then one flat line per limit. */
  data: [number[], ...(number | null)[][]];
  yMax: number;
}

/**
 * Builds what the chart draws for [from, to] (ms) at `width` pixels: the selected uids' RSS, min/max-downsampled
 * to the pixel width, and each limit as a flat line. `fullResolution` skips downsampling (the bench's baseline).
 */
export function buildChartData(
  buffer: SeriesBuffer,
  uids: readonly number[],
  limits: readonly LimitLine[],
  from: number,
  to: number,
  width: number,
  fullResolution = false,
): ChartData {
  const empty = new Float64Array(buffer.length).fill(NaN);
  const columns = uids.map((uid) => buffer.series(uid) ?? empty);
  const sampled = downsampleMinMax(buffer.times, buffer.length, columns, from, to, fullResolution ? Number.MAX_SAFE_INTEGER / 4 : width, 1e-3);
  let yMax = 0;
  for (const series of sampled.ys) for (const value of series) if (value !== null && value > yMax) yMax = value;
  const lines = limits.map((limit) => {
    if (limit.mmMax > yMax) yMax = limit.mmMax;
    return sampled.x.map(() => limit.mmMax);
  });
  return { data: [sampled.x, ...sampled.ys, ...lines], yMax: yMax || 1 };
}

export interface Shade {
  uid: number;
  from: number;
  to: number;
}

/** The grace periods of the shown, limited uids within [from, to]. */
export function buildShades(buffer: SeriesBuffer, limits: readonly LimitLine[], shown: readonly number[], from: number, to: number): Shade[] {
  return limits.filter((limit) => shown.includes(limit.uid) && limit.grace > 0).flatMap((limit) => graceIntervals(buffer, limit.uid, limit.mmMax, limit.grace, from, to).map(([start, end]) => ({ uid: limit.uid, from: start, to: end })));
}

/**
 * What the chart needs of a kill to mark it: a live KillEvent, or a kill read back from a recorded session
 * (which knows no signal).
 */
export type ChartKill = Omit<KillEvent, 'signal'> & { signal?: KillEvent['signal'] };

/** A kill the what-if replay predicts: drawn in its own shape and colour, over the recorded ones. */
export interface PredictedMarker {
  key: string;
  /** Host time (ms) of the check that decides the kill. */
  at: number;
  uid: number;
  pid: number;
  comm: string;
  pRss: number;
  uRss: number;
  mmMax: number;
}

/** Kills of shown uids inside [from, to] (by capture time). */
export function visibleKills<K extends { uid?: number; at: number }>(kills: readonly K[], shown: readonly number[], from: number, to: number): K[] {
  return kills.filter((kill) => kill.uid !== undefined && shown.includes(kill.uid) && kill.at >= from && kill.at <= to);
}

/**
 * The highest usage known for a uid: the sampled series, and what the killer itself read (uRSS in its kill line)
 * for kills captured since `since`. A process killed between two samples still counts: the legend must not
 * claim a uid stayed under its limit when it was killed for going over it.
 */
export function peakUsage(series: ArrayLike<number> | undefined, kills: readonly KillEvent[], uid: number, since = -Infinity): number {
  let peak = 0;
  if (series) for (let i = 0; i < series.length; i++) if (series[i] > peak) peak = series[i];
  for (const kill of kills) if (kill.uid === uid && kill.uRss !== undefined && kill.at >= since && kill.uRss > peak) peak = kill.uRss;
  return peak;
}
