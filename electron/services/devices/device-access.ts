import type { DeviceIo } from '../adb/device-io.js';

/** Where the payload's programs live on the device. */
export const REMOTE_DIR = '/data/local/tmp';

/** How services reach a device without knowing about adb servers or trackers. */
export interface DeviceAccess {
  /** A DeviceIo for a connected device; throws ApiError('device-unavailable') otherwise. */
  io(serial: string): DeviceIo;
  /** Device RAM in KiB, when a probe found it. */
  ramKb(serial: string): number | undefined;
}
