/** The device's own virtual scheduler, plus runAll() for protocol tests that just want every timer to fire. */
import type { TimerId, VirtualScheduler } from '../../clock.js';
import { createVirtualScheduler } from '../../time/virtual-scheduler.js';

export class HeapScheduler implements VirtualScheduler {
  private readonly inner: VirtualScheduler;

  constructor(startNs = 0) {
    this.inner = createVirtualScheduler({ startNs });
  }

  now(): number {
    return this.inner.now();
  }

  schedule(delayNs: number, fn: () => void): TimerId {
    return this.inner.schedule(delayNs, fn);
  }

  cancel(id: TimerId): void {
    this.inner.cancel(id);
  }

  nextDeadline(): number | undefined {
    return this.inner.nextDeadline();
  }

  advanceTo(t: number): void {
    this.inner.advanceTo(t);
  }

  /** Runs timers until none are left or the deadline is reached (catches runaway timers). */
  runAll(deadlineNs = this.now() + 3600e9): void {
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > deadlineNs) return;
      this.advanceTo(next);
    }
  }
}
