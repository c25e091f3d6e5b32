/** The one place the simulator gets its device from: everything else talks to the DeviceApi only. */
import { randomInt } from 'node:crypto';
import type { VirtualScheduler } from '../core/clock.js';
import { createSimulatedDevice, type SimulatedDevice } from '../core/device.js';
import { createVirtualScheduler } from '../core/time/virtual-scheduler.js';

export interface DeviceFactoryOptions {
  /** Physical RAM in MiB (default 1024). */
  ramMiB?: number;
  /** Seed for every random choice the device makes (default 1). */
  seed?: number;
  /** Device wall clock at boot, epoch seconds. */
  epochSeconds?: number;
  /** Defaults to a fresh virtual scheduler at t = 0. */
  scheduler?: VirtualScheduler;
  oomMode?: 'corrected' | 'seed-faithful';
}

export interface CreatedDevice {
  device: SimulatedDevice;
  scheduler: VirtualScheduler;
}

export function createDevice(options: DeviceFactoryOptions = {}): CreatedDevice {
  const scheduler = options.scheduler ?? createVirtualScheduler();
  const device = createSimulatedDevice({
    scheduler,
    ramMiB: options.ramMiB,
    seed: options.seed,
    epochSeconds: options.epochSeconds,
    oomMode: options.oomMode,
    // Each boot of a simulator process gets its own boot_id, as on hardware: the app tells a new device that
    // took over a serial from a restart of the same one by it.
    entropy: () => randomInt(0x1_0000_0000),
  });
  return { device, scheduler };
}
