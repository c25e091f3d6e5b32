/**
 * Wires one simulated device to the outside: the ADB device port (odd, 5555..5585, serial emulator-<port-1>),
 * the console on port-1, registration with the adb server, an optional host smart-socket server, and the
 * wall-clock pacer. Used by the CLI and by tests (in-process).
 */
import { createDeviceDispatcher } from '../core/adb/dispatcher.js';
import { DeviceRegistry } from '../core/adb/host/registry.js';
import type { VirtualScheduler } from '../core/clock.js';
import type { DeviceApi } from '../core/device-api.js';
import type { OomMode } from '../core/oom/decide.js';
import { type ConsoleServer, listenConsole } from './console.js';
import { createDevice } from './device-factory.js';
import { type HostServer, listenHostServer } from './host-server.js';
import { RealtimePacer } from './realtime.js';
import { AdbServerRegistrar } from './register.js';
import { type AdbListener, listenAdb } from './tcp-adapter.js';

export const FIRST_EMULATOR_PORT = 5555;
export const LAST_EMULATOR_PORT = 5585;

export interface SimulatorOptions {
  /** ADB port; default the first free odd port in 5555..5585 whose console port (port-1) is free too. */
  port?: number;
  ramMiB?: number;
  seed?: number;
  /** Virtual seconds per wall second (default 1). */
  speed?: number;
  /** "seed-faithful": the original design's OOM defects (for showing a broken module fail a suite); default "corrected". */
  oomMode?: OomMode;
  /** Register with the adb server (default true). */
  register?: boolean;
  /** adb server port for registration (default ANDROID_ADB_SERVER_PORT or 5037). */
  adbServerPort?: number;
  /** Serve the host smart-socket protocol here (0 = any free port). */
  hostPort?: number;
  /** Serve the console on port-1 (default true). */
  console?: boolean;
  log?(line: string): void;
  /** Called when `kill` arrives on the console. */
  onKill?(): void;
}

export interface RunningSimulator {
  readonly serial: string;
  readonly port: number;
  readonly consolePort: number | undefined;
  readonly hostPort: number | undefined;
  readonly oomMode: OomMode;
  readonly device: DeviceApi;
  readonly scheduler: VirtualScheduler;
  readonly adb: AdbListener;
  readonly registrar: AdbServerRegistrar | undefined;
  /** The devices the host server (if any) lists. */
  readonly hostRegistry: DeviceRegistry | undefined;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.log ?? (() => {});
  const oomMode = options.oomMode ?? 'corrected';
  const { device, scheduler } = createDevice({ ramMiB: options.ramMiB, seed: options.seed, oomMode });
  const pacer = new RealtimePacer(scheduler, {
    speed: options.speed,
    onError: (e) => log(`device timer failed: ${e instanceof Error ? e.stack : String(e)}`),
  });
  const onActivity = () => pacer.kick();
  let stopRequested: () => void = () => {};

  const bind = async (port: number): Promise<{ adb: AdbListener; console: ConsoleServer | undefined }> => {
    const adb = await listenAdb({ device, port, log, onActivity });
    if (options.console === false) return { adb, console: undefined };
    try {
      const console = await listenConsole({
        port: port - 1,
        avdName: `goldfish_sim_${port - 1}`,
        log,
        onKill: () => (options.onKill ?? stopRequested)(),
      });
      return { adb, console };
    } catch (e) {
      if (options.port !== undefined) {
        log(`console port ${port - 1} unavailable (${(e as Error).message}); running without a console`);
        return { adb, console: undefined };
      }
      await adb.close();
      throw e;
    }
  };

  let bound: { adb: AdbListener; console: ConsoleServer | undefined } | undefined;
  if (options.port !== undefined) bound = await bind(options.port);
  else {
    for (let port = FIRST_EMULATOR_PORT; port <= LAST_EMULATOR_PORT && !bound; port += 2) {
      try {
        bound = await bind(port);
      } catch {
        // taken: try the next odd port
      }
    }
    if (!bound) throw new Error(`no free emulator port pair in ${FIRST_EMULATOR_PORT - 1}..${LAST_EMULATOR_PORT}`);
  }
  const { adb, console } = bound;
  const serial = `emulator-${adb.port - 1}`;

  let host: HostServer | undefined;
  let registry: DeviceRegistry | undefined;
  if (options.hostPort !== undefined) {
    registry = new DeviceRegistry();
    registry.add(serial, device, createDeviceDispatcher());
    host = await listenHostServer({ registry, port: options.hostPort, log, onActivity });
  }

  let registrar: AdbServerRegistrar | undefined;
  if (options.register !== false) {
    registrar = new AdbServerRegistrar({ adbPort: adb.port, serverPort: options.adbServerPort, log });
    registrar.start();
  }
  pacer.start();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      registrar?.stop();
      pacer.stop();
      await Promise.all([adb.close(), console?.close(), host?.close()]);
    })());
  stopRequested = () => void stop();

  return {
    serial,
    port: adb.port,
    consolePort: console?.port,
    hostPort: host?.port,
    oomMode,
    device,
    scheduler,
    adb,
    registrar,
    hostRegistry: registry,
    stop,
  };
}
