import type { SamplePoint } from '../../../contract/domains/monitor.js';

/**
 * Per-uid RSS samples in columns: one time array, one Float64Array of bytes per uid (NaN where the uid had no
 * process yet; 0 once all its processes are gone). Not reactive: Vue must not proxy hours of samples; stores bump a version number instead.
 */
export class SeriesBuffer {
  times: Float64Array;
  length = 0;
  readonly rss = new Map<number, Float64Array>();
  readonly procs = new Map<number, Float64Array>();

  constructor(
    capacity = 1024,
    /** Oldest samples are dropped (a quarter at a time) beyond this many. */
    readonly maxPoints = 86_400,
  ) {
    this.times = new Float64Array(capacity);
  }

  /** Appends points newer than the last one; returns how many were taken. */
  append(points: readonly SamplePoint[]): number {
    let taken = 0;
    for (const point of points) {
      if (this.length > 0 && point.t <= this.times[this.length - 1]) continue;
      if (this.length === this.maxPoints) this.dropOldest(Math.ceil(this.maxPoints / 4));
      if (this.length === this.times.length) this.grow();
      const at = this.length++;
      this.times[at] = point.t;
      // A uid seen before but absent now has no process left: 0 bytes, not a gap.
      for (const [, column] of this.rss) column[at] = 0;
      for (const [, column] of this.procs) column[at] = 0;
      for (const [uid, rss, count] of point.uids) {
        this.column(this.rss, uid)[at] = rss;
        this.column(this.procs, uid)[at] = count;
      }
      taken++;
    }
    return taken;
  }

  uids(): number[] {
    return [...this.rss.keys()].sort((a, b) => a - b);
  }

  series(uid: number): Float64Array | undefined {
    return this.rss.get(uid)?.subarray(0, this.length);
  }

  /** The latest sample's RSS of uid (0 when the uid had no process then), or undefined with no samples. */
  latest(uid: number): number | undefined {
    if (this.length === 0) return undefined;
    const value = this.rss.get(uid)?.[this.length - 1];
    return value === undefined || Number.isNaN(value) ? 0 : value;
  }

  latestProcs(uid: number): number {
    const value = this.procs.get(uid)?.[this.length - 1];
    return value === undefined || Number.isNaN(value) ? 0 : value;
  }

  get firstTime(): number | undefined {
    return this.length ? this.times[0] : undefined;
  }
  get lastTime(): number | undefined {
    return this.length ? this.times[this.length - 1] : undefined;
  }

  /** The value of uid at (or just before) time t. */
  /** The last sample of uid at or before t, as [time, rss]. */
  sampleBefore(uid: number, t: number): [number, number] | undefined {
    const index = upperBound(this.times, this.length, t) - 1;
    const value = index < 0 ? undefined : this.rss.get(uid)?.[index];
    return value === undefined || Number.isNaN(value) ? undefined : [this.times[index], value];
  }

  valueAt(uid: number, t: number): number | undefined {
    const index = upperBound(this.times, this.length, t) - 1;
    if (index < 0) return undefined;
    const value = this.rss.get(uid)?.[index];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  private column(map: Map<number, Float64Array>, uid: number): Float64Array {
    let column = map.get(uid);
    if (!column) {
      column = new Float64Array(this.times.length).fill(NaN);
      map.set(uid, column);
    }
    return column;
  }

  private grow(): void {
    const capacity = Math.min(this.maxPoints, this.times.length * 2);
    const resize = (old: Float64Array) => {
      const next = new Float64Array(capacity).fill(NaN);
      next.set(old.subarray(0, this.length));
      return next;
    };
    this.times = resize(this.times);
    for (const map of [this.rss, this.procs]) for (const [uid, column] of map) map.set(uid, resize(column));
  }

  private dropOldest(count: number): void {
    this.times.copyWithin(0, count, this.length);
    for (const map of [this.rss, this.procs]) for (const [, column] of map) column.copyWithin(0, count, this.length);
    this.length -= count;
  }
}

/** First index in times[0..length) whose value is >= t. */
export function lowerBound(times: ArrayLike<number>, length: number, t: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid] < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index in times[0..length) whose value is > t. */
export function upperBound(times: ArrayLike<number>, length: number, t: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid] <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}
