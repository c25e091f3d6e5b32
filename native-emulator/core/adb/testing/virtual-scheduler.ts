/**
 * A VirtualScheduler for tests and for the memory device: a binary heap ordered by (time, creation id), time
 * that only moves in advanceTo() and never backwards. (The simulated device brings its own at merge; both
 * satisfy core/clock.ts.)
 */
import type { TimerId, VirtualScheduler } from '../../clock.js';

interface Timer {
  at: number;
  id: number;
  fn: () => void;
}

export class HeapScheduler implements VirtualScheduler {
  private heap: Timer[] = [];
  private cancelled = new Set<number>();
  private nextId = 1;
  private time: number;

  constructor(startNs = 0) {
    this.time = startNs;
  }

  now(): number {
    return this.time;
  }

  schedule(delayNs: number, fn: () => void): TimerId {
    const id = this.nextId++;
    this.push({ at: this.time + Math.max(0, delayNs), id, fn });
    return id;
  }

  cancel(id: TimerId): void {
    this.cancelled.add(id);
  }

  nextDeadline(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  advanceTo(t: number): void {
    if (t < this.time) throw new RangeError(`advanceTo(${t}) is before now (${this.time})`);
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (!top || top.at > t) break;
      this.pop();
      this.time = Math.max(this.time, top.at);
      top.fn();
    }
    this.time = t;
  }

  /** Runs timers until none are left or the deadline is reached (catches runaway timers). */
  runAll(deadlineNs = this.time + 3600e9): void {
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > deadlineNs) return;
      this.advanceTo(next);
    }
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.pop();
    }
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.id < b.id);
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
