import type { Scheduler, TimerId } from '../clock.js';

/** The scheduler as one boot of the kernel sees it: everything it scheduled dies with it at shutdown. */
export class BootTimers {
  private readonly live = new Set<TimerId>();
  private down = false;

  constructor(private readonly scheduler: Scheduler) {}

  now(): number {
    return this.scheduler.now();
  }

  schedule(delayNs: number, fn: () => void): TimerId {
    if (this.down) return 0;
    const id = this.scheduler.schedule(delayNs, () => {
      this.live.delete(id);
      if (!this.down) fn();
    });
    this.live.add(id);
    return id;
  }

  cancel(id: TimerId): void {
    if (this.live.delete(id)) this.scheduler.cancel(id);
  }

  /** Re-arms itself every periodNs until shutdown or the returned stop(). */
  every(periodNs: number, fn: () => void): () => void {
    let id = 0;
    const tick = () => {
      id = this.schedule(periodNs, tick);
      fn();
    };
    id = this.schedule(periodNs, tick);
    return () => this.cancel(id);
  }

  shutdown(): void {
    this.down = true;
    for (const id of this.live) this.scheduler.cancel(id);
    this.live.clear();
  }
}
