import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, requestNames, type ApiHandlers } from '../../contract/index.js';
import { EventHub } from './event-hub.js';
import { AppInfoService } from '../services/app-info.js';
import { AdbService } from '../services/adb/adb-service.js';
import { AdbConnection } from '../services/devices/adb-connection.js';
import { DeviceTracker } from '../services/devices/device-tracker.js';
import { DeviceLifecycle } from '../services/devices/device-lifecycle.js';
import { KernelLogService } from '../services/kernel-log/kernel-log-service.js';
import { LimitsService } from '../services/limits/limits-service.js';
import { DaemonService } from '../services/provisioning/daemon.js';
import { createPayloadResolver } from '../services/provisioning/payload-source.js';
import { ProvisioningService } from '../services/provisioning/provisioning-service.js';
import { SamplerService } from '../services/sampler/sampler-service.js';
import { defaultAdbPort, SettingsService } from '../services/settings/settings-service.js';
import { SimulatorLauncher, type SimulatorEntry } from '../services/simulator/launcher.js';
import { WorkloadService } from '../services/workloads/workload-service.js';
import { buildSimPayloadDir } from '../services/provisioning/sim-payload.js';
import { SessionLibrary } from '../services/session/library.js';

export interface BackendOptions {
  mode: 'electron' | 'serve';
  /** Where settings, limits and session logs live. */
  dataDir: string;
  /** Repository (or app) root; default: two folders above this file. */
  rootDir?: string;
  /** adb server port when the settings name none (default: ANDROID_ADB_SERVER_PORT or 5037). */
  adbServerPort?: number;
  /** Folder with a bundled adb (the app's resources). */
  bundledAdbDir?: string;
  /** Folder with bundled payloads (<root>/<target>); default <rootDir>/resources/payload. */
  bundledPayloadRoot?: string;
  /** How to run the simulator CLI (packaged app: out/main/sim-cli.js with ELECTRON_RUN_AS_NODE=1). */
  simulatorEntry?: SimulatorEntry;
  env?: Record<string, string | undefined>;
}

export interface Backend {
  readonly handlers: ApiHandlers;
  readonly events: EventHub;
  /** The services, for tests and the Electron shell. */
  readonly services: ReturnType<typeof createServices> extends Promise<infer S> ? S : never;
  dispose(): Promise<void>;
}

async function createServices(options: BackendOptions, events: EventHub) {
  const rootDir = options.rootDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const env = options.env ?? process.env;
  const log = (level: 'info' | 'warn' | 'error', message: string) => events.emit('backendLog', { level, message, at: Date.now() });
  const settings = new SettingsService(options.dataDir, { adbServerPort: options.adbServerPort ?? defaultAdbPort(env) });
  const initial = await settings.get();
  const adb = new AdbService({ port: initial.adbServerPort, locate: () => ({ setting: settings.current.adbPath, env, bundledDir: options.bundledAdbDir }) });
  const simulators: SimulatorLauncher = new SimulatorLauncher({ repoRoot: rootDir, entry: options.simulatorEntry, adbServerPort: (): number | undefined => connection.serverPort() });
  const tracker: DeviceTracker = new DeviceTracker(() => simulators.list());
  const connection: AdbConnection = new AdbConnection(adb, tracker);
  const kernelLog = new KernelLogService({ dataDir: options.dataDir, io: (serial) => (tracker.get(serial)?.state === 'device' ? tracker.io(serial) : undefined) });
  const limits = new LimitsService({ dataDir: options.dataDir, devices: tracker });
  const daemon = new DaemonService(tracker);
  const provisioning = new ProvisioningService({
    devices: tracker,
    daemon,
    resolvePayload: createPayloadResolver({ bundledRoot: options.bundledPayloadRoot ?? join(rootDir, 'resources', 'payload'), workDir: join(options.dataDir, 'payloads'), buildSimPayload: buildSimPayloadDir }),
    isSimulated: (serial) => simulators.get(serial) !== undefined,
    onProbe: (serial, probe) => tracker.setProbe(serial, probe),
    afterModules: async (serial) => {
      const state = await limits.applyLimits(serial);
      return state.desired.length ? `${state.desired.filter((r) => r.sync === 'applied').length} of ${state.desired.length} limits applied` : undefined;
    },
  });
  const sampler = new SamplerService({ io: (serial) => tracker.io(serial) });
  const workloads = new WorkloadService({ io: (serial) => tracker.io(serial) });
  const lifecycle = new DeviceLifecycle({ tracker, kernelLog, limits, provisioning, log });
  const sessions = new SessionLibrary(join(options.dataDir, 'sessions'));
  return { rootDir, settings, adb, connection, simulators, tracker, kernelLog, limits, daemon, provisioning, sampler, workloads, lifecycle, sessions };
}

/** Wires the services together; decides nothing itself. Runs under Electron and plain Node alike. */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const events = new EventHub();
  const appInfo = new AppInfoService(options.mode);
  const s = await createServices(options, events);

  // Service events → UI events.
  const offs = [
    s.tracker.on('changed', (devices) => events.emit('devicesChanged', devices)),
    s.simulators.on('changed', () => s.tracker.notify()),
    s.simulators.on('changed', (sim) => s.connection.simulatorChanged(sim)),
    s.provisioning.on('progress', (run) => events.emit('provisioningProgress', run)),
    s.limits.on('changed', (state) => events.emit('limitsChanged', state)),
    s.sampler.on('samples', (batch) => events.emit('samples', batch)),
    s.kernelLog.on('lines', (batch) => events.emit('logLines', batch)),
    s.kernelLog.on('kills', (batch) => events.emit('kills', batch)),
    s.workloads.on('output', (out) => events.emit('workloadOutput', out)),
    s.workloads.on('changed', (workload) => events.emit('workloadChanged', workload)),
  ];

  await s.connection.connect();

  const device = (serial: string) => {
    const found = s.tracker.get(serial);
    if (!found) throw new ApiError({ code: 'unknown-device', message: `No device ${serial}`, hint: 'Pick a device from the list.' });
    return found;
  };

  // Requests no service answers yet say so plainly (session recording and replay are not wired in this build).
  const unavailable = Object.fromEntries(
    requestNames.map((name) => [name, async () => { throw new ApiError({ code: 'unavailable', message: `${name} is not available in this build yet`, hint: 'Update the app.' }); }]),
  ) as unknown as ApiHandlers;

  const handlers: ApiHandlers = {
    ...unavailable,
    getAppInfo: async () => appInfo.info(),
    getSettings: async () => s.settings.get(),
    updateSettings: async (req) => {
      const before = await s.settings.get();
      const after = await s.settings.update(req);
      if (after.adbPath !== before.adbPath || after.adbServerPort !== before.adbServerPort) await s.connection.reconnect(after.adbServerPort);
      return after;
    },
    getAdbStatus: async () => s.adb.status(),
    listDevices: async () => s.tracker.list(),
    probeDevice: async ({ serial }) => {
      await s.lifecycle.probe(serial);
      return device(serial);
    },
    bootSimulator: async (req) => device((await s.simulators.boot(req)).serial),
    stopSimulator: async ({ serial }) => {
      await s.simulators.stop(serial);
      s.tracker.notify();
      return {};
    },
    restartSimulator: async ({ serial }) => device((await s.simulators.restart(serial)).serial),
    startProvisioning: async (req) => s.provisioning.start(req).run,
    cancelProvisioning: async ({ runId }) => {
      s.provisioning.cancel(runId);
      return {};
    },
    startDaemon: async ({ serial, interval }) => s.daemon.start(serial, interval),
    stopDaemon: async ({ serial }) => s.daemon.stop(serial),
    getDaemonStatus: async ({ serial }) => s.daemon.status(serial),
    getLimits: async ({ serial }) => s.limits.getLimits(serial),
    setLimit: async ({ serial, ...input }) => s.limits.setLimit(serial, input),
    removeLimit: async ({ serial, uid }) => s.limits.removeLimit(serial, uid),
    applyLimits: async ({ serial }) => s.limits.applyLimits(serial),
    startSampling: async ({ serial, hz }) => s.sampler.start(serial, hz),
    stopSampling: async ({ serial }) => s.sampler.stop(serial),
    getSamples: async ({ serial, since }) => s.sampler.samples(serial, since),
    getUidProcesses: async ({ serial, uid }) => s.sampler.processes(serial, uid),
    queryLog: async ({ serial, ...query }) => s.kernelLog.query(serial, query),
    getKills: async ({ serial }) => s.kernelLog.kills(serial),
    exportLog: async ({ serial, format }) => s.kernelLog.exportLog(serial, format),
    runWorkload: async ({ serial, spec }) => s.workloads.run(serial, spec),
    stopWorkload: async ({ id }) => s.workloads.stop(id),
    listWorkloads: async ({ serial }) => s.workloads.list(serial),
    listSessions: async () => s.sessions.list(),
    openSession: async ({ session }) => s.sessions.summary(session),
  };

  return {
    handlers,
    events,
    services: s,
    async dispose() {
      for (const off of offs) off();
      s.lifecycle.dispose();
      s.sampler.dispose();
      s.workloads.dispose();
      s.kernelLog.dispose();
      await s.provisioning.dispose();
      s.tracker.dispose();
      await s.simulators.dispose();
      await s.adb.dispose();
    },
  };
}
