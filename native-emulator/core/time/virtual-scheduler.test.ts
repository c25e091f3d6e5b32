import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { RunawayTimerError, createVirtualScheduler } from './virtual-scheduler.js';

describe('VirtualScheduler', () => {
  it('runs timers in (time, creation) order and sets now() to each deadline', () => {
    const s = createVirtualScheduler();
    const seen: string[] = [];
    s.schedule(20, () => seen.push(`b@${s.now()}`));
    s.schedule(10, () => seen.push(`a@${s.now()}`));
    s.schedule(20, () => seen.push(`c@${s.now()}`));
    s.advanceTo(15);
    expect(seen).toEqual(['a@10']);
    expect(s.now()).toBe(15);
    expect(s.nextDeadline()).toBe(20);
    s.advanceTo(100);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(s.now()).toBe(100);
  });

  it('runs timers scheduled by timers when they fall due in the same advance', () => {
    const s = createVirtualScheduler();
    const seen: number[] = [];
    s.schedule(5, () => s.schedule(0, () => seen.push(s.now())));
    s.advanceTo(5);
    expect(seen).toEqual([5]);
  });

  it('cancels', () => {
    const s = createVirtualScheduler();
    let ran = false;
    const id = s.schedule(5, () => (ran = true));
    s.cancel(id);
    expect(s.nextDeadline()).toBeUndefined();
    s.advanceTo(10);
    expect(ran).toBe(false);
  });

  it('refuses to go back in time', () => {
    const s = createVirtualScheduler({ startNs: 50 });
    expect(() => s.advanceTo(49)).toThrow(RangeError);
  });

  it('stops a timer that re-arms itself forever at one instant', () => {
    const s = createVirtualScheduler({ maxTimersPerAdvance: 1000 });
    const loop = () => s.schedule(0, loop);
    loop();
    expect(() => s.advanceTo(1)).toThrow(RunawayTimerError);
  });
});

describe('Rng', () => {
  it('is deterministic per seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seq = (r: Rng) => Array.from({ length: 5 }, () => r.nextU32());
    const sa = seq(a);
    expect(seq(b)).toEqual(sa);
    expect(seq(c)).not.toEqual(sa);
    expect(new Rng(1).int(3, 3)).toBe(3);
  });
});
