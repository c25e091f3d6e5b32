import { describe, expect, it } from 'vitest';
import { HeapScheduler } from '../core/adb/testing/virtual-scheduler.js';
import { RealtimePacer } from './realtime.js';

describe('RealtimePacer', () => {
  it('runs virtual timers at --speed times the wall clock', async () => {
    const scheduler = new HeapScheduler();
    const pacer = new RealtimePacer(scheduler, { speed: 20 });
    const started = performance.now();
    const firedAt = new Promise<number>((resolve) => scheduler.schedule(2e9, () => resolve(performance.now() - started)));
    pacer.start();
    const wallMs = await firedAt;
    pacer.stop();
    expect(wallMs).toBeGreaterThanOrEqual(90); // 2 s virtual at 20x = 100 ms wall
    expect(wallMs).toBeLessThan(400);
    expect(scheduler.now()).toBeGreaterThanOrEqual(2e9);
  });

  it('keeps now() fresh without timers, and never goes back', async () => {
    const scheduler = new HeapScheduler();
    const pacer = new RealtimePacer(scheduler, { speed: 1, maxTickMs: 10 });
    pacer.start();
    await new Promise((r) => setTimeout(r, 60));
    const t = scheduler.now();
    pacer.stop();
    expect(t).toBeGreaterThan(30e6);
    expect(() => scheduler.advanceTo(t - 1)).toThrow(RangeError);
  });
});
