import type { DeviceProbe } from '../../../contract/domains/devices.js';
import { errorMessage } from '../common/errors.js';
import type { KernelLogService } from '../kernel-log/kernel-log-service.js';
import type { LimitsService } from '../limits/limits-service.js';
import type { ProvisioningService, ProvisionRequest } from '../provisioning/provisioning-service.js';
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
  /** The last successful provisioning of each device, to restore it after a reboot. */
  private readonly provisioned = new Map<string, ProvisionRequest>();

  constructor(private readonly deps: { tracker: DeviceTracker; kernelLog: KernelLogService; limits: LimitsService; provisioning: ProvisioningService; log: LifecycleLog; reapplyDelayMs?: number }) {
    this.unsubscribe.push(
      deps.provisioning.on('finished', ({ request, run }) => {
        if (run.state === 'succeeded') this.provisioned.set(request.serial, request);
      }),
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

  private readonly suspended = new Map<string, number>();

  /**
   * The device behind this serial is gone for good (the app stopped it, or booted a new one in its place):
   * what was set up on it must not be replayed on whatever takes the serial next.
   */
  forget(serial: string, options: { keepSeen?: boolean } = {}): void {
    // Kept when the new device may already be online: its own reconnects must still re-apply.
    if (!options.keepSeen) this.seen.delete(serial);
    this.provisioned.delete(serial);
    clearTimeout(this.reapplyTimers.get(serial));
    this.reapplyTimers.delete(serial);
  }

  /**
   * Holds off the automatic re-apply and re-provisioning on a device (a scenario suite drives it); returns
   * resume, which puts back what this app had set up there (modules, daemon, limits), as after a reboot.
   */
  suspend(serial: string): () => void {
    this.suspended.set(serial, (this.suspended.get(serial) ?? 0) + 1);
    clearTimeout(this.reapplyTimers.get(serial));
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      const n = (this.suspended.get(serial) ?? 1) - 1;
      if (n > 0) this.suspended.set(serial, n);
      else {
        this.suspended.delete(serial);
        this.scheduleReapply(serial, 'a scenario suite ended');
      }
    };
  }

  private scheduleReapply(serial: string, why: string): void {
    if (this.suspended.has(serial)) return;
    clearTimeout(this.reapplyTimers.get(serial));
    this.reapplyTimers.set(
      serial,
      setTimeout(() => {
        this.reapplyTimers.delete(serial);
        void this.reapply(serial, why);
      }, this.deps.reapplyDelayMs ?? 1000),
    );
  }

  /**
   * Re-applies the stored limits. When the modules are gone (a reboot) on a device this app had provisioned,
   * provisioning runs again with the same choices; its limits step re-applies the table.
   */
  private async reapply(serial: string, why: string): Promise<void> {
    try {
      const outcome = await this.deps.limits.reapplyIfNeeded(serial);
      if (outcome === 'applied') this.deps.log('info', `${serial}: limits re-applied (${why})`);
      if (outcome !== 'modules-missing') return;
      const request = this.provisioned.get(serial);
      if (!request || this.deps.provisioning.isRunning(serial)) return;
      this.deps.log('info', `${serial}: the modules are gone (${why}): provisioning again`);
      const handle = this.deps.provisioning.start({ ...request, reload: false });
      const run = await handle.done;
      if (run.state !== 'succeeded') this.deps.log('warn', `${serial}: automatic re-provisioning ${run.state}: ${run.steps.find((s) => s.error)?.error?.message ?? ''}`);
    } catch (error) {
      this.deps.log('warn', `${serial}: could not re-apply limits after ${why}: ${errorMessage(error)}`);
    }
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of this.reapplyTimers.values()) clearTimeout(timer);
  }
}
