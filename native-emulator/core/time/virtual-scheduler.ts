import type { TimerId, VirtualScheduler } from '../clock.js';

interface Timer {
  readonly at: number;
  readonly id: TimerId;
  readonly fn: () => void;
}

export interface VirtualSchedulerOptions {
  /** Start time in ns (default 0). */
  startNs?: number;
  /** Most timers one advanceTo may run before it decides a timer is re-arming itself forever. */
  maxTimersPerAdvance?: number;
}

export class RunawayTimerError extends Error {
  constructor(readonly at: number, readonly ran: number) {
    super(`runaway timers: ${ran} timers ran without reaching the deadline (stuck at ${at} ns)`);
    this.name = 'RunawayTimerError';
  }
}

/** Binary min-heap ordered by (at, id): equal deadlines run in creation order. */
export function createVirtualScheduler(options: VirtualSchedulerOptions = {}): VirtualScheduler & { pending(): number } {
  let now = options.startNs ?? 0;
  let nextId = 1;
  const maxRuns = options.maxTimersPerAdvance ?? 50_000_000;
  const heap: Timer[] = [];
  const cancelled = new Set<TimerId>();

  const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.id < b.id);

  function push(t: Timer): void {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  function pop(): Timer | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }

  function dropCancelledTop(): void {
    while (heap.length > 0 && cancelled.has(heap[0]!.id)) cancelled.delete(pop()!.id);
  }

  return {
    now: () => now,
    schedule(delayNs: number, fn: () => void): TimerId {
      if (!(delayNs >= 0) || !Number.isFinite(delayNs)) throw new RangeError(`bad timer delay ${delayNs}`);
      const id = nextId++;
      push({ at: now + delayNs, id, fn });
      return id;
    },
    cancel(id: TimerId): void {
      if (id > 0 && id < nextId) cancelled.add(id);
    },
    advanceTo(t: number): void {
      if (t < now) throw new RangeError(`virtual time cannot go back: now ${now} ns, asked ${t} ns`);
      let ran = 0;
      for (;;) {
        dropCancelledTop();
        const top = heap[0];
        if (!top || top.at > t) break;
        pop();
        now = top.at;
        if (++ran > maxRuns) throw new RunawayTimerError(now, ran);
        top.fn();
      }
      now = t;
    },
    nextDeadline(): number | undefined {
      dropCancelledTop();
      return heap[0]?.at;
    },
    pending: () => heap.length - cancelled.size,
  };
}
