/** Virtual time for the simulated device. The core never reads a wall clock. */
export interface Clock {
  /** Monotonic device time in nanoseconds since boot. */
  now(): number;
}

export type TimerId = number;

export interface Scheduler extends Clock {
  /** Runs fn when virtual time reaches now() + delayNs. */
  schedule(delayNs: number, fn: () => void): TimerId;
  cancel(id: TimerId): void;
}

/** A scheduler whose time only moves when its owner says so (tests, or a real-time pacing adapter). */
export interface VirtualScheduler extends Scheduler {
  /** Runs every timer due up to t (in time order, ties by creation order), then sets now() = t. Refuses to go back. */
  advanceTo(t: number): void;
  /** Time of the earliest pending timer, or undefined. */
  nextDeadline(): number | undefined;
}
