/**
 * What the scenario engine needs of a device, and nothing more: run a command to its end, start one in the
 * background, let device time pass, read the kernel log. Two implementations: SimExecutor below (a simulated
 * device in virtual time, in process) and the backend's DeviceIoExecutor (any device over adb, in real time).
 */
import type { VirtualScheduler } from '../clock.js';
import type { DeviceApi } from '../device-api.js';
import { advanceUntil, runShell, startShell, type LiveShell } from '../testing/shell-runner.js';
import { NS_PER_S } from '../time/units.js';

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  /** null: it did not end within the time allowed (or the device could not say). */
  exitCode: number | null;
}

export interface BackgroundCommand {
  /** Everything it printed so far (stdout and stderr, in order where the transport keeps it). */
  readonly output: string;
  /** null while it runs. */
  readonly exitCode: number | null;
  readonly running: boolean;
  /** Hangs the session up (SIGHUP), as closing an adb shell does. */
  hangup(): void;
}

export interface ScenarioExecutor {
  exec(command: string, timeoutS?: number): Promise<ExecOutcome>;
  start(command: string): Promise<BackgroundCommand>;
  /** Lets `seconds` of device time pass. */
  sleep(seconds: number): Promise<void>;
  /** The kernel log (`dmesg`, or `dmesg -c` to clear it after reading). */
  dmesg(clear?: boolean): Promise<string>;
  /** Seconds on this executor's own clock (virtual or wall): for deadlines and wall timings only. */
  now(): number;
}

export interface SimTarget {
  readonly device: DeviceApi;
  readonly scheduler: VirtualScheduler;
}

/** A simulated device in virtual time: every call returns once the device has done it, however long it took there. */
export class SimExecutor implements ScenarioExecutor {
  constructor(private readonly target: SimTarget) {}

  async exec(command: string, timeoutS = 600): Promise<ExecOutcome> {
    return runShell(this.target.device, this.target.scheduler, command, timeoutS);
  }

  async start(command: string): Promise<BackgroundCommand> {
    const live: LiveShell = startShell(this.target.device, command);
    return {
      get output() {
        return live.stdout + live.stderr;
      },
      get exitCode() {
        return live.exitCode;
      },
      get running() {
        return live.exitCode === null;
      },
      hangup: () => {
        if (live.exitCode === null) live.handle.hangup();
      },
    };
  }

  async sleep(seconds: number): Promise<void> {
    advanceUntil(this.target.scheduler, () => false, Math.round(seconds * NS_PER_S));
  }

  async dmesg(clear = false): Promise<string> {
    return (await this.exec(clear ? 'dmesg -c' : 'dmesg')).stdout;
  }

  now(): number {
    return this.target.scheduler.now() / NS_PER_S;
  }
}
