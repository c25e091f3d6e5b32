import { describe, expect, it } from 'vitest';
import { decideOomCheck, initialOomState, type MmLimit, type OomCheckInput, type ProcessSnapshot } from './decide.js';

const MB = 1_000_000;
const proc = (pid: number, uid: number, rss: number, extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot => ({
  pid, uid, rss, comm: `p${pid}`, hasMm: true, alive: true, exiting: false, signalled: false, ...extra,
});
const limit = (uid: number, mmMax: number, graceS = 0, generation = 1): MmLimit => ({ uid, mmMax, graceS, generation });
const input = (over: Partial<OomCheckInput>): OomCheckInput => ({
  processes: [], limits: [], state: initialOomState(), nowNs: 0, callerPid: 1, periodS: 3, mode: 'corrected', ...over,
});

describe('decideOomCheck (corrected)', () => {
  it('kills the largest first (ties to the lower pid) until the uid is back under', () => {
    const r = decideOomCheck(input({
      processes: [proc(10, 10070, 40 * MB), proc(11, 10070, 60 * MB), proc(12, 10070, 60 * MB), proc(13, 10070, 5 * MB)],
      limits: [limit(10070, 100 * MB)],
    }));
    expect(r.kills.map((k) => k.pid)).toEqual([11, 12]);
    expect(r.log).toEqual([
      'A process has been killed:', 'uid=10070, uRSS=165000000, mm_max=100000000, pid=11, pRSS=60000000',
      'A process has been killed:', 'uid=10070, uRSS=105000000, mm_max=100000000, pid=12, pRSS=60000000',
    ]);
    expect(r.signals).toEqual([{ pid: 11, signal: 'SIGTERM' }, { pid: 12, signal: 'SIGTERM' }]);
  });

  it('never counts or kills uid 0, the caller, dying or already signalled tasks', () => {
    const r = decideOomCheck(input({
      processes: [proc(1, 0, 500 * MB), proc(7, 10070, 90 * MB), proc(8, 10070, 50 * MB, { exiting: true }), proc(9, 10070, 50 * MB, { signalled: true }), proc(5, 10070, 50 * MB)],
      callerPid: 5,
      limits: [limit(0, 1), limit(10070, 100 * MB)],
    }));
    expect(r.kills).toEqual([]);
  });

  it('starts the grace clock at the first check that sees the breach and resets it when back under', () => {
    const l = [limit(10070, 100 * MB, 20)];
    const over = [proc(10, 10070, 150 * MB)];
    let r = decideOomCheck(input({ processes: over, limits: l, nowNs: 5e9 }));
    expect(r.log).toEqual(['uid=10070 exceeds mm_max=100000000: grace period of 20s started']);
    r = decideOomCheck(input({ processes: over, limits: l, nowNs: 24e9, state: r.state }));
    expect(r.kills).toEqual([]);
    const under = decideOomCheck(input({ processes: [proc(10, 10070, 50 * MB)], limits: l, nowNs: 24.5e9, state: r.state }));
    r = decideOomCheck(input({ processes: over, limits: l, nowNs: 26e9, state: under.state }));
    expect(r.graceStarted).toEqual([10070]);
    r = decideOomCheck(input({ processes: over, limits: l, nowNs: 46e9, state: r.state }));
    expect(r.kills.map((k) => k.pid)).toEqual([10]);
  });

  it('a new set of the limit stops the clock', () => {
    const over = [proc(10, 10070, 150 * MB)];
    const r = decideOomCheck(input({ processes: over, limits: [limit(10070, 100 * MB, 20, 1)], nowNs: 0 }));
    const again = decideOomCheck(input({ processes: over, limits: [limit(10070, 100 * MB, 20, 2)], nowNs: 30e9, state: r.state }));
    expect(again.kills).toEqual([]);
    expect(again.graceStarted).toEqual([10070]);
  });

  it('escalates a SIGTERM victim still alive at the next check, once, and forgets it when gone', () => {
    const l = [limit(10070, 100 * MB)];
    let r = decideOomCheck(input({ processes: [proc(10, 10070, 150 * MB)], limits: l }));
    expect(r.signals).toEqual([{ pid: 10, signal: 'SIGTERM' }]);
    r = decideOomCheck(input({ processes: [proc(10, 10070, 150 * MB)], limits: l, state: r.state, nowNs: 3e9 }));
    expect(r.signals).toEqual([{ pid: 10, signal: 'SIGKILL' }]);
    expect(r.log).toEqual(['Escalating to SIGKILL: uid=10070, pid=10']);
    r = decideOomCheck(input({ processes: [proc(10, 10070, 150 * MB)], limits: l, state: r.state, nowNs: 6e9 }));
    expect(r.signals).toEqual([]);
    r = decideOomCheck(input({ processes: [], limits: l, state: r.state, nowNs: 9e9 }));
    expect(r.state.victims).toEqual([]);
  });

  it('checks every limit: one uid in grace does not stop another being killed (no early break)', () => {
    const r = decideOomCheck(input({
      processes: [proc(10, 10070, 150 * MB), proc(11, 10071, 150 * MB)],
      limits: [limit(10070, 100 * MB, 20), limit(10071, 100 * MB, 0)],
    }));
    expect(r.log[0]).toBe('uid=10070 exceeds mm_max=100000000: grace period of 20s started');
    expect(r.kills.map((k) => k.pid)).toEqual([11]);
  });
});

describe("decideOomCheck ('seed-faithful')", () => {
  it('counts grace down from the set time and breaks out of the loop, skipping later limits', () => {
    const processes = [proc(10, 10070, 10 * MB), proc(11, 10071, 150 * MB)];
    const limits = [limit(10070, 100 * MB, 20), limit(10071, 100 * MB, 0)];
    let state = initialOomState();
    const killedAt: number[] = [];
    for (let check = 0; check < 8; check++) {
      const r = decideOomCheck(input({ processes, limits, state, mode: 'seed-faithful', nowNs: check * 3e9 }));
      state = r.state;
      if (r.kills.length) killedAt.push(check);
    }
    expect(killedAt).toEqual([6, 7]);
    const corrected = decideOomCheck(input({ processes, limits }));
    expect(corrected.kills.map((k) => k.pid)).toEqual([11]);
  });

  it('never escalates: an ignoring victim gets SIGTERM again at every check', () => {
    let state = initialOomState();
    const signals: string[] = [];
    for (let check = 0; check < 3; check++) {
      const r = decideOomCheck(input({ processes: [proc(10, 10070, 150 * MB)], limits: [limit(10070, 100 * MB)], state, mode: 'seed-faithful' }));
      state = r.state;
      signals.push(...r.signals.map((s) => s.signal));
    }
    expect(signals).toEqual(['SIGTERM', 'SIGTERM', 'SIGTERM']);
  });
});
