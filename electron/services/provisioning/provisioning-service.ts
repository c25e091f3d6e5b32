import { posix } from 'node:path';
import type { DeviceProbe } from '../../../contract/domains/devices.js';
import type { PayloadSource, PipelineRun } from '../../../contract/domains/provisioning.js';
import { formatBytes } from '../../../contract/domains/units.js';
import { apiError, ApiError, errorMessage } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import type { DeviceIo } from '../adb/device-io.js';
import { REMOTE_DIR, type DeviceAccess } from '../devices/device-access.js';
import { parseModules, parseProbe, PROBE_COMMAND, type ParsedProbe } from '../devices/probe.js';
import type { DaemonService } from './daemon.js';
import { deviceArch, insmodOrder, payloadMismatches, readPayload, type Payload } from './payload.js';
import { startPipeline, type RunHandle, type StepContext, type StepDef } from './pipeline.js';

export interface PayloadResolveContext {
  serial: string;
  simulated: boolean;
  arch?: string;
  kernel?: string;
}

export interface ProvisioningOptions {
  devices: DeviceAccess;
  daemon: DaemonService;
  /** Turns the user's choice into a folder on this machine (auto: sim target for simulated devices, else by arch). */
  resolvePayload(source: PayloadSource, context: PayloadResolveContext): Promise<{ dir: string; label: string }>;
  isSimulated(serial: string): boolean;
  /** Told about every fresh probe (the device list shows it). */
  onProbe?(serial: string, probe: DeviceProbe): void;
  /** After the modules are verified: re-apply the stored limits; returns a detail line, or undefined when there were none. */
  afterModules?(serial: string): Promise<string | undefined>;
  remoteDir?: string;
}

export interface ProvisionRequest {
  serial: string;
  payload: PayloadSource;
  interval: number;
  reload: boolean;
}

interface RunState {
  req: ProvisionRequest;
  io: DeviceIo;
  probe?: ParsedProbe;
  payload?: Payload;
  payloadLabel?: string;
  loaded: string[];
}

/** Runs a device command that must succeed; a failure carries the device's own words. */
async function must(io: DeviceIo, command: string, ctx: StepContext, what: string, hint: string, step: string): Promise<string> {
  const result = await io.exec(command, { timeoutMs: 30_000, signal: ctx.signal });
  ctx.checkCancelled();
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.exitCode !== 0 && result.exitCode !== undefined) {
    throw apiError('device-command-failed', `${what} failed on the device (exit ${result.exitCode}): ${output || 'no output'}`, hint, step);
  }
  return output;
}

/**
 * One-click provisioning: probe → choose payload → push → insmod (dependency order) → verify →
 * (re-apply limits) → start daemon → verify daemon. Safe to run again; reload replaces loaded modules.
 */
export class ProvisioningService extends Emitter<{ progress: PipelineRun; finished: { request: ProvisionRequest; run: PipelineRun } }> {
  private readonly runs = new Map<string, RunHandle & { serial: string }>();

  constructor(private readonly options: ProvisioningOptions) {
    super();
  }

  private get dir(): string {
    return this.options.remoteDir ?? REMOTE_DIR;
  }

  start(req: ProvisionRequest): RunHandle {
    for (const run of this.runs.values()) {
      if (run.serial === req.serial) throw apiError('busy', `Provisioning is already running on ${req.serial}`, 'Wait for it to finish or cancel it.');
    }
    const io = this.options.devices.io(req.serial);
    const state: RunState = { req, io, loaded: [] };
    const handle = startPipeline({
      serial: req.serial,
      steps: this.steps(),
      state,
      emit: (run) => this.emit('progress', run),
      payload: () => state.payloadLabel,
    });
    const entry = { ...handle, serial: req.serial };
    this.runs.set(handle.run.runId, entry);
    void handle.done.then((run) => {
      this.runs.delete(handle.run.runId);
      this.emit('finished', { request: req, run });
    });
    return handle;
  }

  isRunning(serial: string): boolean {
    return [...this.runs.values()].some((run) => run.serial === serial);
  }

  cancel(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) throw apiError('unknown-run', `No provisioning run ${runId} is in progress`, 'It may have finished already.');
    run.cancel();
  }

  async dispose(): Promise<void> {
    for (const run of this.runs.values()) run.cancel();
    await Promise.all([...this.runs.values()].map((run) => run.done.catch(() => undefined)));
  }

  private steps(): StepDef<RunState>[] {
    const dir = this.dir;
    return [
      {
        id: 'probe',
        label: 'Probe the device',
        hint: 'Check that the device is online (adb devices) and try again.',
        run: async (ctx, s) => {
          const result = await s.io.exec(PROBE_COMMAND, { timeoutMs: 20_000, signal: ctx.signal });
          s.probe = parseProbe(result.stdout + result.stderr);
          this.options.onProbe?.(s.req.serial, s.probe.probe);
          const p = s.probe.probe;
          if (p.isRoot === false) throw apiError('not-root', 'adb runs without root on this device: insmod and the syscalls need root', 'Run `adb root` (emulators and userdebug builds allow it), then provision again.');
          s.loaded = p.modules;
          return { detail: `kernel ${p.kernel ?? '?'} (${s.probe.unameM ?? p.abi ?? '?'}), ${p.isRoot ? 'root' : 'root unknown'}, modules loaded: ${p.modules.filter((m) => ['mylimit', 'set_mm_limit', 'oom'].includes(m)).join(', ') || 'none'}, daemon ${p.daemon.running ? `running (pid ${p.daemon.pid})` : 'not running'}` };
        },
      },
      {
        id: 'payload',
        label: 'Choose the payload',
        hint: 'Pick a payload built for this device (its kernel release and architecture), or build one.',
        run: async (_ctx, s) => {
          const p = s.probe!.probe;
          const arch = deviceArch(s.probe!.unameM, p.abi);
          const { dir: folder, label } = await this.options.resolvePayload(s.req.payload, { serial: s.req.serial, simulated: this.options.isSimulated(s.req.serial) || p.simulatorOomMode !== undefined, arch, kernel: p.kernel });
          s.payloadLabel = label;
          try {
            s.payload = readPayload(folder);
          } catch (error) {
            throw apiError('payload-invalid', errorMessage(error), 'Pick a folder holding mylimit.ko, set_mm_limit.ko, oom.ko, oom, test, mmlimit and memsample.');
          }
          const problems = payloadMismatches(s.payload, { kernel: p.kernel, arch });
          if (problems.length) {
            throw apiError('payload-mismatch', `The payload does not fit this device: ${problems.join('; ')}`, 'Nothing was pushed. Build the modules against this kernel (same release and architecture) or pick another payload.');
          }
          const total = [...s.payload.modules, ...s.payload.programs].reduce((sum, f) => sum + f.size, 0);
          return { detail: `${label}: ${s.payload.modules.length} modules, ${s.payload.programs.length} programs, ${formatBytes(total)}` };
        },
      },
      {
        id: 'push',
        label: 'Push the files',
        hint: 'Check the connection to the device, then run provisioning again (re-running is safe).',
        run: async (ctx, s) => {
          const files = [...s.payload!.modules, ...s.payload!.programs];
          const total = files.reduce((sum, f) => sum + f.size, 0);
          let before = 0;
          for (const file of files) {
            ctx.checkCancelled();
            const part = posix.join(dir, `${file.file}.gfpart`);
            const mode = file.file.endsWith('.ko') ? 0o644 : 0o755;
            let reached = 0;
            try {
              await s.io.push(file.path, part, mode, (p) => {
                reached = p.done;
                ctx.progress(`${file.file} (${formatBytes(p.done)} of ${formatBytes(p.total)})`, { done: before + p.done, total });
              }, { signal: ctx.signal });
            } catch (error) {
              if (error instanceof ApiError && error.code === 'cancelled') throw error;
              throw apiError('push-failed', `Pushing ${file.file} stopped at ${formatBytes(reached)} of ${formatBytes(file.size)}: ${errorMessage(error)}`, 'Check that the device is still connected (it may have stopped or rebooted), then run provisioning again: re-running is safe.');
            }
            before += file.size;
            ctx.progress(undefined, { done: before, total });
          }
          // Files arrive under a temporary name and are renamed together: a running `oom` is never overwritten
          // in place, and an interrupted push leaves nothing half-written under the real names.
          const moves = files.map((f) => `mv ${posix.join(dir, `${f.file}.gfpart`)} ${posix.join(dir, f.file)}`).join(' && ');
          await must(s.io, `${moves} && chmod 755 ${s.payload!.programs.map((p) => posix.join(dir, p.file)).join(' ')}`, ctx, 'Installing the pushed files', 'Check free space in /data and run provisioning again.', 'push');
          return { detail: `${files.length} files, ${formatBytes(total)} to ${dir}` };
        },
      },
      {
        id: 'insmod',
        label: 'Load the modules',
        hint: 'Look at the kernel log for the module loader\'s complaint; a vermagic or symbol error means the modules were built for another kernel.',
        run: async (ctx, s) => {
          const order = insmodOrder(s.payload!.modules);
          const ours = new Set(order);
          const loadedOurs = s.loaded.filter((m) => ours.has(m));
          const notes: string[] = [];
          if (s.req.reload && loadedOurs.length) {
            ctx.progress('stopping the daemon');
            await this.options.daemon.stop(s.req.serial);
            for (const name of [...order].reverse().filter((m) => loadedOurs.includes(m))) {
              ctx.progress(`rmmod ${name}`);
              await must(s.io, `rmmod ${name}`, ctx, `rmmod ${name}`, 'A module in use cannot be unloaded: stop whatever uses it (the daemon, a test) and try again.', 'insmod');
            }
            notes.push(`unloaded ${[...order].reverse().filter((m) => loadedOurs.includes(m)).join(', ')}`);
            s.loaded = s.loaded.filter((m) => !ours.has(m));
          }
          const loadedNow = new Set(s.loaded);
          const todo = order.filter((m) => !loadedNow.has(m));
          if (!todo.length) return { skipped: true, detail: `already loaded: ${order.join(', ')}` };
          for (const name of todo) {
            const module = s.payload!.modules.find((m) => m.name === name)!;
            const missing = module.depends.filter((dep) => !loadedNow.has(dep));
            if (missing.length) throw apiError('dependency-not-loaded', `${name} needs ${missing.join(', ')} loaded first`, 'This is a bug in the load order: report it.');
            ctx.progress(`insmod ${module.file}`);
            await must(s.io, `insmod ${posix.join(dir, module.file)}`, ctx, `insmod ${module.file}`, 'Look at the kernel log for the loader\'s message; a vermagic or symbol error means the module was built for another kernel.', 'insmod');
            loadedNow.add(name);
          }
          notes.push(`loaded ${todo.join(' → ')}`);
          return { detail: notes.join('; ') };
        },
      },
      {
        id: 'verify-modules',
        label: 'Verify the modules',
        hint: 'Run provisioning again with "reload"; if it fails again, read the kernel log.',
        run: async (ctx, s) => {
          const result = await s.io.exec('lsmod 2>/dev/null || cat /proc/modules; echo @@GF:limits; cat /proc/mm_limits 2>&1; echo "@@GF:rc=$?"', { timeoutMs: 15_000, signal: ctx.signal });
          const [modulesText, rest = ''] = result.stdout.split('@@GF:limits');
          const loaded = parseModules(modulesText);
          const missing = s.payload!.modules.map((m) => m.name).filter((m) => !loaded.includes(m));
          if (missing.length) throw apiError('modules-missing', `After insmod, lsmod does not list ${missing.join(', ')}`, 'Read the kernel log for the reason, then run provisioning again.');
          const rc = /@@GF:rc=(\d+)/.exec(rest)?.[1];
          if (rc !== undefined && rc !== '0') throw apiError('proc-missing', `/proc/mm_limits is not readable: ${rest.split('@@GF:rc')[0].trim()}`, 'The set_mm_limit module did not create its /proc file: reload the modules.');
          const limits = rest.split('\n').filter((l) => l.startsWith('uid=')).length;
          return { detail: `lsmod lists ${s.payload!.modules.map((m) => m.name).join(', ')}; /proc/mm_limits holds ${limits} limit${limits === 1 ? '' : 's'}` };
        },
      },
      {
        id: 'limits',
        label: 'Re-apply the stored limits',
        run: async (_ctx, s) => {
          if (!this.options.afterModules) return { skipped: true, detail: 'no limits service' };
          const detail = await this.options.afterModules(s.req.serial);
          return detail === undefined ? { skipped: true, detail: 'no stored limits for this device' } : { detail };
        },
      },
      {
        id: 'start-daemon',
        label: 'Start the daemon',
        hint: 'Check the kernel log, then start the daemon again from the device page.',
        run: async (ctx, s) => {
          ctx.progress(`oom ${s.req.interval}`);
          const status = await this.options.daemon.start(s.req.serial, s.req.interval);
          return { detail: `oom ${s.req.interval} runs as pid ${status.pid}` };
        },
      },
      {
        id: 'verify-daemon',
        label: 'Verify the daemon runs',
        hint: 'Start the daemon again from the device page; if it keeps dying, read the kernel log.',
        run: async (ctx, s) => {
          // The daemon must still be alive a moment after it started (one that dies at once is caught here).
          await new Promise((resolve) => setTimeout(resolve, 300));
          ctx.checkCancelled();
          const status = await this.options.daemon.status(s.req.serial);
          if (!status.running) throw apiError('daemon-died', 'The oom daemon exited right after it started', 'Start the daemon again from the device page; if it keeps dying, read the kernel log.');
          return { detail: `pid ${status.pid} alive${status.checks !== undefined ? `, ${status.checks} checks run so far` : ''}` };
        },
      },
    ];
  }
}
