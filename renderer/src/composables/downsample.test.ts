import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample.js';

function ramp(n: number): { times: Float64Array; values: Float64Array } {
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    times[i] = i * 1000;
    values[i] = Math.sin(i / 7) * 100 + i;
  }
  return { times, values };
}

describe('downsampleMinMax', () => {
  it('returns the samples unchanged (NaN as gaps) when there are few', () => {
    const times = [0, 1000, 2000, 3000];
    const a = [1, NaN, 3, 4];
    const result = downsampleMinMax(times, 4, [a], 0, 3000, 100, 1e-3);
    expect(result.x).toEqual([0, 1, 2, 3]);
    expect(result.ys[0]).toEqual([1, null, 3, 4]);
  });

  it('keeps only the window [from, to]', () => {
    const times = [0, 1000, 2000, 3000, 4000];
    const result = downsampleMinMax(times, 5, [[5, 6, 7, 8, 9]], 1000, 3000, 100);
    expect(result.x).toEqual([1000, 2000, 3000]);
    expect(result.ys[0]).toEqual([6, 7, 8]);
  });

  it('emits at most two points per pixel column and keeps every column extreme', () => {
    const { times, values } = ramp(3600);
    const width = 100;
    const result = downsampleMinMax(times, 3600, [values], 0, 3599_000, width);
    expect(result.x.length).toBeLessThanOrEqual(2 * width);
    const kept = result.ys[0] as number[];
    expect(Math.max(...kept)).toBe(Math.max(...values));
    expect(Math.min(...kept)).toBe(Math.min(...values));
    for (let i = 1; i < result.x.length; i++) expect(result.x[i]).toBeGreaterThan(result.x[i - 1]);
  });

  it('keeps the order in which the minimum and maximum of a column occurred', () => {
    const times = Array.from({ length: 8 }, (_, i) => i);
    const falling = [9, 8, 7, 6, 5, 4, 3, 2];
    const result = downsampleMinMax(times, 8, [falling], 0, 7, 2);
    expect(result.ys[0]).toEqual([9, 6, 5, 2]);
  });

  it('aligns several series and marks a series absent from a column as a gap', () => {
    const times = Array.from({ length: 12 }, (_, i) => i);
    const present = times.map((t) => t * 2);
    const late = times.map((t) => (t < 6 ? NaN : t));
    const result = downsampleMinMax(times, 12, [present, late], 0, 11, 3);
    expect(result.ys[0].length).toBe(result.x.length);
    expect(result.ys[1].slice(0, 2)).toEqual([null, null]);
    expect(result.ys[1].at(-1)).toBe(11);
  });

  it('scales 32 series × 3,600 points to the pixel width quickly', () => {
    const { times } = ramp(3600);
    const series = Array.from({ length: 32 }, (_, s) => Float64Array.from(times, (t) => (t / 1000) * s));
    const started = performance.now();
    const result = downsampleMinMax(times, 3600, series, 0, 3599_000, 800);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.x.length).toBeLessThanOrEqual(1600);
    expect(result.ys).toHaveLength(32);
  });
});
