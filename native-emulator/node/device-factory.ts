/**
 * The one place the simulator gets its device from. For now the in-memory test device from core/adb/testing;
 * at merge this switches to createSimulatedDevice (core/device.ts) with the same options — everything else talks
 * to the DeviceApi only.
 */
import type { VirtualScheduler } from '../core/clock.js';
import type { DeviceApi } from '../core/device-api.js';
import { MemoryDevice } from '../core/adb/testing/memory-device.js';
import { HeapScheduler } from '../core/adb/testing/virtual-scheduler.js';

export interface DeviceFactoryOptions {
  /** Physical RAM in MiB (default 1024). */
  ramMiB?: number;
  /** Seed for every random choice the device makes (default 1). */
  seed?: number;
  /** Device wall clock at boot, epoch seconds. */
  epochSeconds?: number;
  /** Defaults to a fresh virtual scheduler at t = 0. */
  scheduler?: VirtualScheduler;
}

export interface CreatedDevice {
  device: DeviceApi;
  scheduler: VirtualScheduler;
}

export function createDevice(options: DeviceFactoryOptions = {}): CreatedDevice {
  const scheduler = options.scheduler ?? new HeapScheduler();
  const device = new MemoryDevice({
    scheduler,
    epochSeconds: options.epochSeconds,
    properties: { 'ro.kernel.qemu': '1', 'ro.boot.ram_mib': String(options.ramMiB ?? 1024) },
  });
  return { device, scheduler };
}
