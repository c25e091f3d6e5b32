import { describe, expect, it } from 'vitest';
import type { KillEvent } from '../../../contract/domains/kernel-log.js';
import { buildChartData, buildShades, peakUsage, visibleKills } from './chartData.js';
import { SeriesBuffer } from './seriesBuffer.js';

function samples(n: number): SeriesBuffer {
  const buffer = new SeriesBuffer();
  buffer.append(Array.from({ length: n }, (_, i) => ({ t: i * 1000, uids: [[10070, i * 10, 1], [1000, 5, 2]] as [number, number, number][] })));
  return buffer;
}

describe('buildChartData', () => {
  it('puts x in seconds, one series per uid and one flat line per limit', () => {
    const chart = buildChartData(samples(5), [1000, 10070], [{ uid: 10070, mmMax: 35, grace: 0 }], 0, 4000, 500);
    expect(chart.data[0]).toEqual([0, 1, 2, 3, 4]);
    expect(chart.data[1]).toEqual([5, 5, 5, 5, 5]);
    expect(chart.data[2]).toEqual([0, 10, 20, 30, 40]);
    expect(chart.data[3]).toEqual([35, 35, 35, 35, 35]);
    expect(chart.yMax).toBe(40);
  });

  it('downsamples to the width, unless asked for full resolution', () => {
    const buffer = samples(3600);
    expect(buildChartData(buffer, [10070], [], 0, 3_600_000, 300).data[0].length).toBeLessThanOrEqual(600);
    expect(buildChartData(buffer, [10070], [], 0, 3_600_000, 300, true).data[0].length).toBe(3600);
  });

  it('gives a uid without samples a gap', () => {
    expect(buildChartData(samples(2), [4242], [], 0, 1000, 100).data[1]).toEqual([null, null]);
  });
});

describe('shades and kill markers', () => {
  it('shades grace periods of shown uids only', () => {
    const buffer = samples(10);
    expect(buildShades(buffer, [{ uid: 10070, mmMax: 45, grace: 2 }], [10070], 0, 10_000)).toEqual([{ uid: 10070, from: 5000, to: 7000 }]);
    expect(buildShades(buffer, [{ uid: 10070, mmMax: 45, grace: 2 }], [1000], 0, 10_000)).toEqual([]);
  });

  it('keeps kills of shown uids in the window', () => {
    const kill = (uid: number, at: number): KillEvent => ({ index: at, ts: at, at, killer: 'mm_limit', pid: 1, uid, signal: 'SIGTERM' });
    expect(visibleKills([kill(10070, 5), kill(10070, 50), kill(1000, 5)], [10070], 0, 10)).toEqual([kill(10070, 5)]);
  });
});

describe('peakUsage', () => {
  const kill = (uid: number, uRss: number, at: number): KillEvent => ({ index: at, ts: at / 1000, at, killer: 'mm_limit', pid: 400, uid, uRss, mmMax: 100, pRss: uRss, signal: 'SIGTERM' });

  it('is the highest sample when no kill says more', () => {
    expect(peakUsage(new Float64Array([10, 90, 40]), [], 10070)).toBe(90);
    expect(peakUsage(undefined, [], 10070)).toBe(0);
  });

  it('counts the usage the killer read when the process died between two samples', () => {
    // Samples saw 84 of a limit of 100; the daemon read 130 and killed: the uid did cross its limit.
    expect(peakUsage(new Float64Array([40, 84]), [kill(10070, 130, 5000), kill(10071, 900, 5000)], 10070)).toBe(130);
  });

  it('ignores kills of other uids and kills from before the samples begin', () => {
    expect(peakUsage(new Float64Array([40, 84]), [kill(10071, 900, 5000), kill(10070, 500, 1000)], 10070, 2000)).toBe(84);
  });
});

describe('SeriesBuffer.sampleBefore', () => {
  it('finds the last sample of a uid before a kill (where the killer-reading segment starts)', () => {
    const buffer = new SeriesBuffer();
    buffer.append([
      { t: 1000, uids: [[10070, 80e6, 1]] },
      { t: 2000, uids: [[10070, 84e6, 1]] },
    ]);
    expect(buffer.sampleBefore(10070, 2500)).toEqual([2000, 84e6]);
    expect(buffer.sampleBefore(10070, 500)).toBeUndefined();
    expect(buffer.sampleBefore(4242, 2500)).toBeUndefined();
  });
});
