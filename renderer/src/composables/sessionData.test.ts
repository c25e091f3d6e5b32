import { describe, expect, it } from 'vitest';
import { bufferFromSeries, chartKills, compareKills, defaultUids, hostClock, predictedMarkers, validateSweep, validateWhatIf } from './sessionData.js';

const info = { id: 's', path: '/s', serial: 'emulator-5554', startedAt: 1_000_000, bytes: 10, recording: false };

describe('session chart data', () => {
  it('puts uptime on the recording host clock and merges per-uid series into one buffer (absent = 0)', () => {
    const toHost = hostClock({ info, fromMs: 5000 });
    expect(toHost(5000)).toBe(1_000_000);
    expect(toHost(8000)).toBe(1_003_000);
    const buffer = bufferFromSeries(
      [
        { uid: 1000, points: [[5000, 10], [6000, 11], [7000, 12]] },
        { uid: 10070, points: [[6000, 100]] },
      ],
      toHost,
    );
    expect(Array.from(buffer.times.subarray(0, buffer.length))).toEqual([1_000_000, 1_001_000, 1_002_000]);
    expect(Array.from(buffer.series(10070)!)).toEqual([NaN, 100, 0]);
    expect(buffer.uids()).toEqual([1000, 10070]);
  });

  it('turns recorded and predicted kills into markers on the same clock', () => {
    const toHost = hostClock({ info, fromMs: 5000 });
    expect(chartKills([{ atMs: 7500, pid: 42, uid: 10070, comm: 'test', pRss: 5 }], toHost)).toEqual([{ index: 0, ts: 7.5, at: 1_002_500, killer: 'mm_limit', pid: 42, comm: 'test', uid: 10070, pRss: 5 }]);
    expect(predictedMarkers([{ checkMs: 7000, pid: 42, uid: 10070, comm: 'test', pRss: 5, uRss: 9, mmMax: 8 }], toHost)[0]).toMatchObject({ key: '42-7000', at: 1_002_000, uRss: 9 });
  });

  it('draws the top uids by peak plus limited and killed ones', () => {
    const series = [1, 2, 3, 4].map((uid) => ({ uid, points: [[0, uid * 10]] as Array<[number, number]> }));
    expect(defaultUids(series, [1, 99], 2)).toEqual([1, 3, 4]);
  });
});

describe('compareKills', () => {
  it('matches by pid and keeps the unmatched of both sides, in time order', () => {
    const rows = compareKills(
      [
        { checkMs: 3000, pid: 7, uid: 10070, comm: 'a', pRss: 1, uRss: 2, mmMax: 1 },
        { checkMs: 9000, pid: 8, uid: 10070, comm: 'b', pRss: 1, uRss: 2, mmMax: 1 },
      ],
      [
        { atMs: 3100, pid: 7, uid: 10070 },
        { atMs: 5000, pid: 6, uid: 10071 },
      ],
    );
    expect(rows.map((row) => [row.pid, row.match])).toEqual([[7, 'matched'], [6, 'recorded only'], [8, 'predicted only']]);
    expect(rows[0]).toMatchObject({ predictedMs: 3000, recordedMs: 3100 });
  });
});

describe('what-if and sweep validation', () => {
  it('accepts names, units and T; refuses duplicates, root, bad sizes and T out of range', () => {
    const ok = validateWhatIf([{ user: 'u0_a70', amount: '100000000', unit: 'B', grace: '0' }, { user: '10071', amount: '300', unit: 'MB', grace: '5' }], '3');
    expect(ok).toEqual({ ok: true, settings: { limits: [{ uid: 10070, mmMax: 100_000_000, grace: 0 }, { uid: 10071, mmMax: 300 * 1024 * 1024, grace: 5 }], interval: 3 } });
    const bad = validateWhatIf([{ user: 'u0_a70', amount: 'lots', unit: 'MB', grace: '0' }, { user: '10070', amount: '1', unit: 'MB', grace: 'x' }, { user: 'root', amount: '1', unit: 'MB', grace: '0' }], '0');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.rows[0].amount).toMatch(/not a size/i);
    expect(bad.errors.rows[1].user).toBe('This uid is already in another row.');
    expect(bad.errors.rows[1].grace).toBeDefined();
    expect(bad.errors.rows[2].user).toMatch(/root/);
    expect(bad.errors.interval).toBe('T is from 1 to 3600 s.');
    expect(validateWhatIf([], '3')).toMatchObject({ ok: false, errors: { form: 'Add at least one limit.' } });
  });

  it('checks the sweep: from ≤ to, 1–100 steps, units', () => {
    expect(validateSweep({ user: 'u0_a70', from: '50', to: '200', unit: 'MB', steps: '10', grace: '0', interval: '3' })).toEqual({ ok: true, request: { uid: 10070, from: 50 * 1024 ** 2, to: 200 * 1024 ** 2, steps: 10, grace: 0, interval: 3 } });
    const bad = validateSweep({ user: 'nobody?', from: '200M', to: '50M', unit: 'B', steps: '0', grace: '', interval: 'x' });
    expect(bad).toMatchObject({ ok: false, errors: { user: expect.any(String), to: 'To must not be below From.', steps: expect.any(String), interval: expect.any(String) } });
  });
});
