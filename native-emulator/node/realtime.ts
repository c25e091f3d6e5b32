/**
 * Paces a VirtualScheduler against the wall clock at `speed` (virtual seconds per wall second). The only timers of
 * the simulator live here. Call kick() after input that may schedule work, so it runs without waiting for a tick.
 */
import { performance } from 'node:perf_hooks';
import type { VirtualScheduler } from '../core/clock.js';

export interface RealtimeOptions {
  speed?: number;
  /** Longest wall time between two advances, so now() stays fresh (ms). */
  maxTickMs?: number;
  onError?(error: unknown): void;
}

export class RealtimePacer {
  private readonly speed: number;
  private readonly maxTickMs: number;
  private wallBase = 0;
  private virtualBase = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly scheduler: VirtualScheduler,
    private readonly options: RealtimeOptions = {},
  ) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new RangeError(`speed must be > 0, got ${this.speed}`);
    this.maxTickMs = options.maxTickMs ?? 50;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wallBase = performance.now();
    this.virtualBase = this.scheduler.now();
    this.kick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Advance virtual time to the wall clock now, run what is due, and plan the next wake-up. */
  kick(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const target = this.virtualBase + (performance.now() - this.wallBase) * 1e6 * this.speed;
    try {
      if (target > this.scheduler.now()) this.scheduler.advanceTo(target);
    } catch (e) {
      this.options.onError?.(e);
    }
    if (!this.running) return;
    const next = this.scheduler.nextDeadline();
    const waitMs =
      next === undefined ? this.maxTickMs : Math.max(0, Math.min(this.maxTickMs, (next - this.scheduler.now()) / 1e6 / this.speed));
    this.timer = setTimeout(() => this.kick(), Math.ceil(waitMs));
    this.timer.unref?.();
  }
}
