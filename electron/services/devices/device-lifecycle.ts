import type { DeviceProbe } from '../../../contract/domains/devices.js';
import { errorMessage } from '../common/errors.js';
import type { KernelLogService } from '../kernel-log/kernel-log-service.js';
import type { LimitsService } from '../limits/limits-service.js';
import type { DeviceTracker } from './device-tracker.js';
import { parseProbe, PROBE_COMMAND } from './probe.js';

export interface LifecycleLog {
  (level: 'info' | 'warn' | 'error', message: string): void;
}

/**
 * What happens when a device comes and goes: kernel-log capture starts at first sight (and follows
 * reconnects), the device is probed, and the stored limits are re-applied after a reboot or a module
 * reload (the kernel log's `module load!`).
 */
export class DeviceLifecycle {
  private readonly seen = new Set<string>();
  private readonly reapplyTimers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: { tracker: DeviceTracker; kernelLog: KernelLogService; limits: LimitsService; log: LifecycleLog; reapplyDelayMs?: number }) {
    this.unsubscribe.push(
      deps.tracker.on('state', ({ serial, from, to }) => {
        if (to !== 'device') return;
        deps.kernelLog.start(serial);
        void this.probe(serial).catch(() => undefined);
        // Back after being away (offline, disconnected): maybe rebooted, so the limits may be gone.
        if (this.seen.has(serial) && from !== 'device') this.scheduleReapply(serial, 'the device reconnected');
        this.seen.add(serial);
      }),
      deps.kernelLog.on('event', ({ serial, event }) => {
        if (event.kind === 'module-load') this.scheduleReapply(serial, 'a module was (re)loaded');
      }),
      deps.kernelLog.on('notice', ({ serial, kind, message }) => {
        deps.log(kind === 'lost' ? 'warn' : 'info', `${serial}: ${message}`);
        if (kind === 'reboot') this.scheduleReapply(serial, 'the device rebooted');
      }),
    );
  }

  async probe(serial: string): Promise<DeviceProbe> {
    const result = await this.deps.tracker.io(serial).exec(PROBE_COMMAND, { timeoutMs: 20_000 });
    const { probe } = parseProbe(result.stdout + result.stderr);
    this.deps.tracker.setProbe(serial, probe);
    return probe;
  }

  private scheduleReapply(serial: string, why: string): void {
    clearTimeout(this.reapplyTimers.get(serial));
    this.reapplyTimers.set(
      serial,
      setTimeout(() => {
        this.reapplyTimers.delete(serial);
        this.deps.limits
          .reapplyIfNeeded(serial)
          .then((done) => done && this.deps.log('info', `${serial}: limits re-applied (${why})`))
          .catch((error) => this.deps.log('warn', `${serial}: could not re-apply limits after ${why}: ${errorMessage(error)}`));
      }, this.deps.reapplyDelayMs ?? 1000),
    );
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of this.reapplyTimers.values()) clearTimeout(timer);
  }
}
