import { z } from 'zod';
import { Serial } from './units.js';

/** adb's device states, plus "disconnected" once a device has left the list. */
export const DeviceState = z.enum(['device', 'offline', 'unauthorized', 'no permissions', 'recovery', 'bootloader', 'sideload', 'authorizing', 'connecting', 'host', 'disconnected']);
export type DeviceState = z.infer<typeof DeviceState>;

export const DaemonStatus = z.object({
  running: z.boolean(),
  pid: z.number().int().optional(),
  interval: z.number().int().optional(),
  /** Checks run by the oom module so far and the device uptime (ms) of the last one, when readable. */
  checks: z.number().int().optional(),
  lastCheckMs: z.number().optional(),
});
export type DaemonStatus = z.infer<typeof DaemonStatus>;

export const DeviceProbe = z.object({
  model: z.string().optional(),
  androidVersion: z.string().optional(),
  kernel: z.string().optional(),
  abi: z.string().optional(),
  isRoot: z.boolean().optional(),
  ramKb: z.number().optional(),
  modules: z.array(z.string()),
  daemon: DaemonStatus,
  probedAt: z.number(),
  /** Set on the bundled simulated device, whoever started it (the app or `npm run sim`): how its oom decides. */
  simulatorOomMode: z.enum(['corrected', 'seed-faithful']).optional(),
});
export type DeviceProbe = z.infer<typeof DeviceProbe>;

/** How a simulated device's oom module decides: as this project's modules do, or with the original design's defects. */
export const OomMode = z.enum(['corrected', 'seed-faithful']);
export type OomMode = z.infer<typeof OomMode>;

export const SimulatorInfo = z.object({
  port: z.number().int(),
  ramMiB: z.number().int(),
  seed: z.number().int(),
  speed: z.number(),
  oomMode: OomMode,
  pid: z.number().int().optional(),
  status: z.enum(['starting', 'running', 'crashed', 'stopped']),
  message: z.string().optional(),
});
export type SimulatorInfo = z.infer<typeof SimulatorInfo>;

export const Device = z.object({
  serial: Serial,
  state: DeviceState,
  kind: z.enum(['emulator', 'simulated', 'usb', 'network']),
  probe: DeviceProbe.optional(),
  simulator: SimulatorInfo.optional(),
});
export type Device = z.infer<typeof Device>;

export const AdbStatus = z.object({
  binary: z.string().optional(),
  source: z.enum(['setting', 'android-sdk', 'path', 'bundled', 'none']),
  version: z.string().optional(),
  serverPort: z.number().int(),
  serverRunning: z.boolean(),
  problem: z.string().optional(),
});
export type AdbStatus = z.infer<typeof AdbStatus>;

export const BootSimulatorRequest = z
  .object({
    ramMiB: z.number().int().min(128).max(16384).default(1024),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    speed: z.number().min(0.1).max(100).default(1),
    /** "seed-faithful": the grace counted from the set, the early `break`, no SIGKILL (a TA's broken module). */
    oomMode: OomMode.default('corrected'),
  })
  .strict();

export const deviceRequests = {
  getAdbStatus: { req: z.object({}).strict(), res: AdbStatus },
  listDevices: { req: z.object({}).strict(), res: z.array(Device) },
  probeDevice: { req: z.object({ serial: Serial }).strict(), res: Device },
  bootSimulator: { req: BootSimulatorRequest, res: Device },
  stopSimulator: { req: z.object({ serial: Serial }).strict(), res: z.object({}) },
  /** Starts a crashed or stopped simulated device again with the same options. */
  restartSimulator: { req: z.object({ serial: Serial }).strict(), res: Device },
};

export const deviceEvents = {
  devicesChanged: z.array(Device),
};
