import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, type ApiHandlers } from '../../contract/index.js';
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
import { DEFAULT_INTERVAL_S, DEFAULT_SAMPLE_HZ, defaultAdbPort, SettingsService } from '../services/settings/settings-service.js';
import { SimulatorLauncher, type SimulatorEntry, type SpawnSimulator } from '../services/simulator/launcher.js';
import { WorkloadService } from '../services/workloads/workload-service.js';
import { buildSimPayloadDir } from '../services/provisioning/sim-payload.js';
import { ScenarioService } from '../services/scenarios/scenario-service.js';
import { deviceArch } from '../services/provisioning/payload.js';
import { SessionLibrary } from '../services/session/library.js';
import { SessionRecorder } from '../services/session/recorder.js';

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
  /** How to run the simulator CLI (the app: out/main/sim-cli.js as an Electron utility process). */
  simulatorEntry?: SimulatorEntry;
  /** How to start a simulator process (the Electron app: a utility process). */
  spawnSimulator?: SpawnSimulator;
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
  const settings = new SettingsService(options.dataDir, { adbServerPort: options.adbServerPort ?? defaultAdbPort(env), defaultInterval: DEFAULT_INTERVAL_S, sampleHz: DEFAULT_SAMPLE_HZ });
  const initial = await settings.get();
  const adb = new AdbService({ port: initial.adbServerPort, locate: () => ({ setting: settings.current.adbPath, env, bundledDir: options.bundledAdbDir }) });
  const simulators: SimulatorLauncher = new SimulatorLauncher({ repoRoot: rootDir, entry: options.simulatorEntry, spawn: options.spawnSimulator, adbServerPort: (): number | undefined => connection.serverPort() });
  const tracker: DeviceTracker = new DeviceTracker(() => simulators.list());
  // The bundled simulator, booted by this app or by `npm run sim` (then only its probe tells).
  const isSimulated = (serial: string) => simulators.get(serial) !== undefined || tracker.get(serial)?.probe?.simulatorOomMode !== undefined;
  const connection: AdbConnection = new AdbConnection(adb, tracker);
  const sampler = new SamplerService({ io: (serial) => tracker.io(serial) });
  const kernelLog = new KernelLogService({
    dataDir: options.dataDir,
    io: (serial) => (tracker.get(serial)?.state === 'device' ? tracker.io(serial) : undefined),
    commOf: (serial, pid) => sampler.commOf(serial, pid),
  });
  const limits = new LimitsService({ dataDir: options.dataDir, devices: tracker });
  const daemon = new DaemonService(tracker);
  const provisioning = new ProvisioningService({
    devices: tracker,
    daemon,
    resolvePayload: createPayloadResolver({ bundledRoot: options.bundledPayloadRoot ?? join(rootDir, 'resources', 'payload'), workDir: join(options.dataDir, 'payloads'), buildSimPayload: buildSimPayloadDir }),
    isSimulated,
    onProbe: (serial, probe) => tracker.setProbe(serial, probe),
    afterModules: async (serial) => {
      const state = await limits.applyLimits(serial);
      return state.desired.length ? `${state.desired.filter((r) => r.sync === 'applied').length} of ${state.desired.length} limits applied` : undefined;
    },
  });
  const workloads = new WorkloadService({ io: (serial) => tracker.io(serial) });
  const lifecycle = new DeviceLifecycle({ tracker, kernelLog, limits, provisioning, log });
  // --- scenarios (issue 10): suites run on any device, reports under dataDir/reports
  const scenarioPayload = createPayloadResolver({ bundledRoot: options.bundledPayloadRoot ?? join(rootDir, 'resources', 'payload'), workDir: join(options.dataDir, 'payloads'), buildSimPayload: buildSimPayloadDir });
  const scenarios = new ScenarioService({
    io: (serial) => tracker.io(serial),
    scenariosDir: join(rootDir, 'scenarios'),
    dataDir: options.dataDir,
    payload: (serial, source) => scenarioPayload(source, { serial, simulated: isSimulated(serial), arch: deviceArch(undefined, tracker.get(serial)?.probe?.abi), kernel: tracker.get(serial)?.probe?.kernel }),
    isSimulated,
    oomMode: (serial) => simulators.get(serial)?.info.oomMode ?? tracker.get(serial)?.probe?.simulatorOomMode,
    suspend: (serial) => lifecycle.suspend(serial),
  });
  // --- sessions (issue 8): recordings under dataDir/sessions, replayed through the simulator's OOM decision
  const recorder = new SessionRecorder(join(options.dataDir, 'sessions'), {
    device: (serial) => tracker.get(serial),
    limits: (serial) => limits.getLimits(serial),
    onRawSample: (listener) => sampler.on('raw', listener),
    onLogLines: (listener) => kernelLog.on('lines', listener),
    onKills: (listener) => kernelLog.on('kills', listener),
    onLimits: (listener) => limits.on('changed', listener),
    daemonInterval: (serial) => {
      const probed = tracker.get(serial)?.probe?.daemon;
      return daemon.knownInterval(serial) ?? (probed?.running && probed.interval ? probed.interval : null);
    },
    ensureSampling: (serial) => {
      if (!sampler.status(serial).running) sampler.start(serial, 1);
    },
  });
  const sessions = new SessionLibrary(join(options.dataDir, 'sessions'), (path) => recorder.isRecording(path));
  return { rootDir, settings, adb, connection, simulators, tracker, kernelLog, limits, daemon, provisioning, sampler, workloads, lifecycle, scenarios, recorder, sessions };
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
    s.provisioning.on('progress', (run) => run.state === 'succeeded' && s.sampler.preferMemsample(run.serial)),
    // What the device card shows (modules, daemon) changes with a setup run: probe again when one ends.
    s.provisioning.on('progress', (run) => run.state !== 'running' && void s.lifecycle.probe(run.serial).catch(() => undefined)),
    s.limits.on('changed', (state) => events.emit('limitsChanged', state)),
    s.sampler.on('samples', (batch) => events.emit('samples', batch)),
    s.sampler.on('status', (status) => events.emit('samplerStatus', status)),
    // set_mm_limit lists its table after every change, whoever made it (this app, mmlimit in a shell, the seed's
    // test program); an unloaded module may have taken the table with it.
    s.kernelLog.on('event', ({ serial, event }) => {
      if (event.kind === 'limits') void s.limits.refresh(serial, event.limits)?.catch(() => undefined);
      if (event.kind === 'module-exit') void s.limits.refresh(serial)?.catch(() => undefined);
    }),
    s.kernelLog.on('lines', (batch) => events.emit('logLines', batch)),
    s.kernelLog.on('kills', (batch) => events.emit('kills', batch)),
    s.workloads.on('output', (out) => events.emit('workloadOutput', out)),
    s.workloads.on('changed', (workload) => events.emit('workloadChanged', workload)),
    s.scenarios.on('changed', (run) => events.emit('scenarioRunChanged', run)),
    s.recorder.on('changed', () => void s.sessions.list().then((list) => events.emit('sessionsChanged', list))),
  ];

  await s.connection.connect();

  const device = (serial: string) => {
    const found = s.tracker.get(serial);
    if (!found) throw new ApiError({ code: 'unknown-device', message: `No device ${serial}`, hint: 'Pick a device from the list.' });
    return found;
  };

  /** A simulator this app stopped, or one booted in its place: nothing known of the old device carries over. */
  const forgetDevice = (serial: string, options: { keepSeen?: boolean } = {}) => {
    s.lifecycle.forget(serial, options);
    s.daemon.forget(serial);
    s.limits.forget(serial);
  };

  /** The device card shows the daemon: refresh the probe once a daemon request is done. */
  const reprobeAfter = async <T>(serial: string, work: Promise<T>): Promise<T> => {
    const result = await work;
    void s.lifecycle.probe(serial).catch(() => undefined);
    return result;
  };

  const handlers: ApiHandlers = {
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
    bootSimulator: async (req) => {
      const { serial } = await s.simulators.boot(req);
      forgetDevice(serial, { keepSeen: true });
      return device(serial);
    },
    stopSimulator: async ({ serial }) => {
      forgetDevice(serial);
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
    startDaemon: async ({ serial, interval }) => reprobeAfter(serial, s.daemon.start(serial, interval)),
    stopDaemon: async ({ serial }) => reprobeAfter(serial, s.daemon.stop(serial)),
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
    // --- scenarios (issue 10)
    listSuites: async () => s.scenarios.listSuites(),
    startScenarioRun: async ({ serial, suite, payload }) => {
      device(serial);
      return s.scenarios.start(serial, suite, payload);
    },
    cancelScenarioRun: async ({ runId }) => {
      s.scenarios.cancel(runId);
      return {};
    },
    listScenarioRuns: async () => s.scenarios.listRuns(),
    listReports: async () => s.scenarios.listReports(),
    getReport: async ({ id, format }) => s.scenarios.getReport(id, format),
    // --- sessions (issue 8)
    listSessions: async () => s.sessions.list(),
    startRecording: async ({ serial }) => s.recorder.start(serial),
    stopRecording: async ({ serial }) => s.recorder.stop(serial),
    openSession: async ({ session }) => s.sessions.summary(session),
    replaySession: async ({ session, settings }) => s.sessions.replay(session, settings),
    sweepSession: async ({ session, ...sweep }) => s.sessions.sweep(session, sweep),
  };

  return {
    handlers,
    events,
    services: s,
    async dispose() {
      for (const off of offs) off();
      await s.recorder.dispose();
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
