import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { OomMode, SimulatorInfo } from '../../../contract/domains/devices.js';
import { apiError } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import { freeEmulatorPort, freePort } from './free-port.js';

export interface SimulatorEntry {
  /** The executable (process.execPath under Node; the app's binary in a packaged build). */
  command: string;
  /** Arguments before the sim's own options. */
  args: string[];
  env?: Record<string, string>;
}

/** What the launcher needs of a running simulator: a Node child process here, an Electron utility process in the app. */
export interface SimulatorProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Has it exited already? */
  exited(): boolean;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onError(listener: (error: Error) => void): void;
}

export type SpawnSimulator = (entry: SimulatorEntry, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => SimulatorProcess;

/** The default: a plain Node child process. */
export const spawnChildProcess: SpawnSimulator = (entry, args, options) => {
  const proc = spawn(entry.command, [...entry.args, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  return {
    pid: proc.pid,
    stdout: proc.stdout!,
    stderr: proc.stderr!,
    exited: () => proc.exitCode !== null || proc.signalCode !== null,
    kill: (signal) => void proc.kill(signal),
    onExit: (listener) => void proc.once('exit', listener),
    onError: (listener) => void proc.once('error', listener),
  };
};

export interface SimulatorLauncherOptions {
  /** The repository root (for the default entry: `--import tsx native-emulator/node/cli.ts`, run from there). */
  repoRoot: string;
  /** How to run the sim CLI; default: this Node with tsx. The app passes its built `out/main/sim-cli.js` (run by `spawn`). */
  entry?: SimulatorEntry;
  /** How to start it (default: a Node child process). */
  spawn?: SpawnSimulator;
  /** The adb server the sim registers with; undefined: no adb, so the sim serves its own host endpoint. */
  adbServerPort: () => number | undefined;
  readyTimeoutMs?: number;
}

export interface BootOptions {
  ramMiB: number;
  seed: number;
  speed: number;
  /** Default "corrected". */
  oomMode?: OomMode;
}

export interface SimulatorRecord {
  serial: string;
  info: SimulatorInfo;
  /** The sim's own smart-socket endpoint, when started without adb. */
  hostPort?: number;
}

interface Child {
  record: SimulatorRecord;
  options: BootOptions;
  process?: SimulatorProcess;
  stopping: boolean;
  stderrTail: string[];
}

const PORT_ATTEMPTS = 5;
const READY = /^(\S+) ready: adb port (\d+)(?:, console port \d+)?(?:, host port (\d+))?/m;

export function defaultEntry(repoRoot: string): SimulatorEntry {
  return { command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'native-emulator', 'node', 'cli.ts')] };
}

/**
 * Boots simulated goldfish devices, each in its own child process (a crash cannot take the app down).
 * A crash is reported (status "crashed" with the sim's last words) and the device can be restarted.
 */
export class SimulatorLauncher extends Emitter<{ changed: SimulatorRecord }> {
  private readonly children = new Map<string, Child>();

  constructor(private readonly options: SimulatorLauncherOptions) {
    super();
  }

  list(): SimulatorRecord[] {
    return [...this.children.values()].map((child) => child.record);
  }

  get(serial: string): SimulatorRecord | undefined {
    return this.children.get(serial)?.record;
  }

  async boot(options: BootOptions): Promise<SimulatorRecord> {
    const taken = new Set([...this.children.values()].map((c) => c.record.info.port));
    const oomMode = options.oomMode ?? 'corrected';
    // Another program (another app, a test running alongside) may take the pair between the check and the
    // child's listen: the child then fails with EADDRINUSE, and the next free pair is tried.
    for (let attempt = 1; ; attempt++) {
      const port = await freeEmulatorPort(taken);
      if (port === undefined) throw apiError('no-port', 'No free emulator port pair in 5555..5585', 'Stop a simulated device or an emulator and try again.');
      const serial = `emulator-${port - 1}`;
      const child: Child = {
        record: { serial, info: { port, ramMiB: options.ramMiB, seed: options.seed, speed: options.speed, oomMode, status: 'starting' } },
        options: { ...options, oomMode },
        stopping: false,
        stderrTail: [],
      };
      this.children.set(serial, child);
      try {
        await this.start(child);
        return child.record;
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !child.stderrTail.some((line) => line.includes('EADDRINUSE'))) throw error;
        this.children.delete(serial);
        taken.add(port);
      }
    }
  }

  /** Starts a crashed or stopped simulator again, on the same port, with the same options. */
  async restart(serial: string): Promise<SimulatorRecord> {
    const child = this.children.get(serial);
    if (!child) throw apiError('unknown-simulator', `${serial} is not a simulated device started by this app`);
    if (child.process && child.record.info.status === 'running') await this.stop(serial, false);
    child.stopping = false;
    await this.start(child);
    return child.record;
  }

  private update(child: Child, info: Partial<SimulatorInfo>, hostPort?: number): void {
    child.record = { ...child.record, info: { ...child.record.info, ...info }, ...(hostPort !== undefined ? { hostPort } : {}) };
    this.emit('changed', child.record);
  }

  private async start(child: Child): Promise<void> {
    const entry = this.options.entry ?? defaultEntry(this.options.repoRoot);
    const serverPort = this.options.adbServerPort();
    const args = ['--port', String(child.record.info.port), '--seed', String(child.options.seed), '--speed', String(child.options.speed), '--ram', String(child.options.ramMiB), '--oom-mode', child.options.oomMode ?? 'corrected'];
    let hostPort: number | undefined;
    if (serverPort === undefined) {
      hostPort = await freePort();
      args.push('--no-register', '--host-port', String(hostPort));
    }
    const env = { ...process.env, ...entry.env, ...(serverPort !== undefined ? { ANDROID_ADB_SERVER_PORT: String(serverPort) } : {}) };
    const proc = (this.options.spawn ?? spawnChildProcess)(entry, args, { cwd: this.options.repoRoot, env });
    child.process = proc;
    child.stderrTail = [];
    this.update(child, { status: 'starting', pid: proc.pid, message: undefined });

    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (text: string) => {
      child.stderrTail.push(...text.split('\n').filter(Boolean));
      if (child.stderrTail.length > 20) child.stderrTail.splice(0, child.stderrTail.length - 20);
    });

    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      let ready = false;
      const timer = setTimeout(() => {
        if (ready) return;
        proc.kill('SIGKILL');
        reject(apiError('simulator-timeout', `The simulator did not say it was ready within ${(this.options.readyTimeoutMs ?? 30_000) / 1000} s`, `Its last words: ${child.stderrTail.slice(-3).join(' | ') || 'none'}`));
      }, this.options.readyTimeoutMs ?? 30_000);
      proc.stdout.setEncoding('utf8');
      proc.stdout.on('data', (text: string) => {
        stdout += text;
        const match = READY.exec(stdout);
        if (match && !ready) {
          ready = true;
          clearTimeout(timer);
          this.update(child, { status: 'running' }, match[3] ? Number(match[3]) : hostPort);
          resolve();
        }
      });
      proc.onError((error) => {
        clearTimeout(timer);
        this.update(child, { status: 'crashed', message: error.message });
        reject(apiError('simulator-failed', `The simulator could not start: ${error.message}`, 'Check the app installation (the simulator entry point).'));
      });
      proc.onExit((code, signal) => {
        clearTimeout(timer);
        child.process = undefined;
        if (child.stopping) {
          this.update(child, { status: 'stopped', pid: undefined, message: undefined });
        } else {
          const last = child.stderrTail.slice(-3).join(' | ');
          const message = `The simulator exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})${last ? `: ${last}` : ''}`;
          this.update(child, { status: 'crashed', pid: undefined, message });
        }
        if (!ready) reject(apiError('simulator-failed', child.record.info.message ?? 'The simulator exited before it was ready', 'Restart it; if it crashes again, try another seed or less RAM.'));
      });
    });
  }

  /** Stops a simulator (SIGTERM, then SIGKILL after 3 s). `forget`: drop it from the list too. */
  async stop(serial: string, forget = true): Promise<void> {
    const child = this.children.get(serial);
    if (!child) throw apiError('unknown-simulator', `${serial} is not a simulated device started by this app`);
    child.stopping = true;
    const proc = child.process;
    if (proc && !proc.exited()) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.onExit(() => {
          clearTimeout(force);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    }
    if (forget) this.children.delete(serial);
  }

  /** Kills a simulator abruptly, as a crash would (tests of crash reporting and interrupted pushes). */
  crash(serial: string): void {
    this.children.get(serial)?.process?.kill('SIGKILL');
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.children.keys()].map((serial) => this.stop(serial).catch(() => undefined)));
  }
}
