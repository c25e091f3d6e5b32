import type { DeviceApi } from './device-api.js';
import type { VirtualScheduler } from './clock.js';

export interface SimulatedDeviceOptions {
  /** Physical RAM in MiB (default 1024). */
  ramMiB?: number;
  /** Seed for every random choice the device makes (default 1). */
  seed?: number;
  /** Virtual time source; the device schedules all its work on it. */
  scheduler: VirtualScheduler;
  /** Device wall-clock epoch seconds at boot (default 1_592_000_000, June 2020). */
  epochSeconds?: number;
  /** "seed-faithful" reproduces the original design's defects (for grading tests); default "corrected". */
  oomMode?: 'corrected' | 'seed-faithful';
}

export interface SimulatedDevice extends DeviceApi {
  /** The full dmesg text as `dmesg` prints it. */
  dmesg(): string;
}

export declare function createSimulatedDevice(options: SimulatedDeviceOptions): SimulatedDevice;
