import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from './seriesBuffer.js';

describe('SeriesBuffer', () => {
  it('stores samples in columns, ignores stale ones, and records a vanished uid as 0', () => {
    const buffer = new SeriesBuffer(2);
    expect(buffer.append([{ t: 1000, uids: [[10070, 5000, 1]] }, { t: 2000, uids: [[10070, 6000, 1], [1000, 42, 3]] }])).toBe(2);
    expect(buffer.append([{ t: 1500, uids: [] }])).toBe(0);
    buffer.append([{ t: 3000, uids: [[1000, 43, 3]] }]);
    expect(buffer.length).toBe(3);
    expect([...buffer.series(10070)!]).toEqual([5000, 6000, 0]);
    expect([...buffer.series(1000)!]).toEqual([NaN, 42, 43]);
    expect(buffer.latest(10070)).toBe(0);
    expect(buffer.latestProcs(1000)).toBe(3);
    expect(buffer.uids()).toEqual([1000, 10070]);
    expect(buffer.valueAt(10070, 2500)).toBe(6000);
  });

  it('drops the oldest quarter when full', () => {
    const buffer = new SeriesBuffer(4, 8);
    for (let t = 1; t <= 9; t++) buffer.append([{ t, uids: [[1, t, 1]] }]);
    expect(buffer.length).toBe(7);
    expect(buffer.firstTime).toBe(3);
    expect([...buffer.series(1)!]).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});
