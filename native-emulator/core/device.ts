import type { VirtualScheduler } from './clock.js';
import { FsError, type DeviceApi, type DeviceFs, type DeviceState, type FileWriter, type ShellHandle } from './device-api.js';
import { DirInode, isDir } from './fs/inode.js';
import { ROOT } from './fs/vfs.js';
import { bootIdFor } from './kernel/boot-id.js';
import { Kernel } from './kernel/kernel.js';
import { createProgramRegistry } from './programs/registry.js';
import { Rng } from './time/rng.js';
import { NS_PER_S } from './time/units.js';
import { latin1Decode } from './util/bytes.js';
import { BOOT_DURATION_NS, bootUserland, launchApp, startHealthd, startRssDrift, type AppSpec } from './userland/boot.js';
import { BUILD_PROPERTIES, buildPropText } from './userland/properties.js';
import { populateRootFs, createDataPartition } from './userland/rootfs.js';
import { startShellSession } from './userland/shell-session.js';
import type { Task } from './kernel/task.js';

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
  /** Host randomness mixed into each boot's boot_id (none: the ids follow from the seed alone). */
  entropy?: () => number;
}

export interface SimulatedDevice extends DeviceApi {
  /** The full dmesg text as `dmesg` prints it. */
  dmesg(): string;
  /** The running kernel (changes at every reboot); for tests, tools and the bench. */
  readonly kernel: Kernel;
  /** Starts an app process (a zygote fork) whose RSS drifts; returns its pid. */
  launchApp(spec: AppSpec): number;
}

/** The property naming the device's OOM mode ("corrected" or "seed-faithful"). */
export const OOM_MODE_PROPERTY = 'ro.goldfish.oom.mode';

/** Time between `reboot` and the device coming back (offline 1 s, then booting until the boot completes). */
const OFFLINE_NS = NS_PER_S;

export function createSimulatedDevice(options: SimulatedDeviceOptions): SimulatedDevice {
  const scheduler = options.scheduler;
  const ramMiB = options.ramMiB ?? 1024;
  const master = new Rng(options.seed ?? 1);
  const oomMode = options.oomMode ?? 'corrected';
  const firstBootNs = scheduler.now() - BOOT_DURATION_NS;
  const epoch0 = options.epochSeconds ?? 1_592_000_000;
  const data = createDataPartition(epoch0);
  const listeners = new Set<(s: DeviceState) => void>();
  const sessions = new Set<{ end(code: number): void }>();
  let state: DeviceState = 'device';
  let boots = 0;
  let adbd: Task;
  let zygote: Task;

  const bootKernel = (): Kernel => {
    const k = new Kernel({
      scheduler,
      bootId: bootIdFor(options.seed ?? 1, boots, options.entropy?.() ?? 0),
      rng: master.fork(boots++),
      ramMiB,
      epochSeconds: epoch0 + Math.floor((scheduler.now() - BOOT_DURATION_NS - firstBootNs) / NS_PER_S),
      oomMode,
      rootDir: new DirInode(0o755, ROOT, epoch0),
      uptimeAtStartNs: BOOT_DURATION_NS,
    });
    k.programs = createProgramRegistry();
    for (const [key, v] of Object.entries(BUILD_PROPERTIES)) k.properties.set(key, v);
    // Read-only, so `getprop ro.goldfish.oom.mode` always tells which OOM decision this device makes.
    k.properties.set(OOM_MODE_PROPERTY, oomMode);
    populateRootFs(k, data, buildPropText());
    restorePersistentProperties(k);
    const userland = bootUserland(k, ramMiB);
    adbd = userland.adbd;
    zygote = userland.zygote;
    startRssDrift(k);
    startHealthd(k);
    k.properties.set('sys.boot_completed', '1');
    k.properties.set('dev.bootcomplete', '1');
    k.onReboot = (mode) => device.reboot(mode);
    return k;
  };

  let kernel = bootKernel();

  const setState = (s: DeviceState) => {
    state = s;
    for (const l of [...listeners]) l(s);
  };

  const fs: DeviceFs = {
    stat: (path, opts) => kernel.vfs.stat(path, '/', opts?.lstat ?? false),
    list: (path) => kernel.vfs.list(path),
    readFile: (path) => kernel.vfs.readFile(path),
    createWriter(path, mode): FileWriter {
      const existing = kernel.vfs.tryResolve(path);
      if (existing && isDir(existing.inode)) throw new FsError('EISDIR', `${path}: Is a directory`);
      const slash = path.lastIndexOf('/');
      if (slash > 0) kernel.vfs.mkdirs(path.slice(0, slash), 0o775, ROOT);
      const chunks: Uint8Array[] = [];
      let done = false;
      return {
        write(chunk) {
          if (done) throw new FsError('EINVAL', 'writer already closed');
          chunks.push(chunk.slice());
        },
        commit(mtime) {
          if (done) throw new FsError('EINVAL', 'writer already closed');
          done = true;
          const slashAt = path.lastIndexOf('/');
          if (slashAt > 0) kernel.vfs.mkdirs(path.slice(0, slashAt), 0o775, ROOT);
          const file = kernel.vfs.writeFile(path, chunks, mode & 0o7777, ROOT);
          file.mtime = file.atime = file.ctime = mtime;
        },
        abort() {
          done = true;
          chunks.length = 0;
        },
      };
    },
  };

  const device: SimulatedDevice = {
    get state() {
      return state;
    },
    get kernel() {
      return kernel;
    },
    runsAsRoot: true,
    fs,
    properties: () => Object.fromEntries(kernel.properties),
    dmesg: () => kernel.printk.text(),
    spawnShell(request, io): ShellHandle {
      if (state !== 'device') {
        scheduler.schedule(0, () => {
          io.stderr(new Uint8Array([...'error: device offline\n'].map((c) => c.charCodeAt(0))));
          io.exit(255);
        });
        return { writeStdin() {}, closeStdin() {}, hangup() {} };
      }
      const session = startShellSession(kernel, adbd, request, io, { ended: () => sessions.delete(session) });
      sessions.add(session);
      return session;
    },
    reboot() {
      if (state === 'offline') return;
      for (const s of [...sessions]) s.end(255);
      sessions.clear();
      kernel.shutdown();
      setState('offline');
      scheduler.schedule(OFFLINE_NS, () => {
        setState('booting');
        scheduler.schedule(BOOT_DURATION_NS, () => {
          kernel = bootKernel();
          setState('device');
        });
      });
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    launchApp(spec) {
      return launchApp(kernel, zygote, spec).pid;
    },
  };
  return device;
}

function restorePersistentProperties(k: Kernel): void {
  const dir = k.vfs.tryResolve('/data/property');
  if (!dir || !(dir.inode instanceof DirInode)) return;
  for (const name of dir.inode.names()) {
    if (!name.startsWith('persist.')) continue;
    k.properties.set(name, latin1Decode(k.vfs.readFile(`/data/property/${name}`)));
  }
}
