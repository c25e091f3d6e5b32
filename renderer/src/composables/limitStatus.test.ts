import { describe, expect, it } from 'vitest';
import { graceIntervals, limitStatus } from './limitStatus.js';
import { SeriesBuffer } from './seriesBuffer.js';

function buffer(values: number[]): SeriesBuffer {
  const result = new SeriesBuffer();
  result.append(values.map((rss, i) => ({ t: i * 1000, uids: [[10070, rss, 1]] })));
  return result;
}

describe('limitStatus', () => {
  it('is unknown without samples and ok under the limit', () => {
    expect(limitStatus(new SeriesBuffer(), 10070, 100, 0, 0)).toEqual({ kind: 'unknown' });
    expect(limitStatus(buffer([50, 80]), 10070, 100, 0, 1000)).toEqual({ kind: 'ok', usage: 80 });
  });

  it('counts the grace period from the first sample over the limit', () => {
    expect(limitStatus(buffer([50, 120, 150]), 10070, 100, 20, 2000)).toEqual({ kind: 'grace', usage: 150, secondsLeft: 19, since: 1000 });
    expect(limitStatus(buffer([50, 120, 150]), 10070, 100, 20, 21_000)).toEqual({ kind: 'over', usage: 150, since: 1000 });
    expect(limitStatus(buffer([50, 120, 150]), 10070, 100, 0, 2000).kind).toBe('over');
  });
});

describe('graceIntervals', () => {
  it('shades each breach up to its grace period', () => {
    const samples = buffer([50, 120, 150, 160, 40, 130, 130]);
    expect(graceIntervals(samples, 10070, 100, 2, 0, 10_000)).toEqual([
      [1000, 3000],
      [5000, 6000],
    ]);
    expect(graceIntervals(samples, 10070, 100, 0, 0, 10_000)).toEqual([]);
  });
});
