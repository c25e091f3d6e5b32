import type { BackgroundCommand, ExecOutcome, ScenarioExecutor } from '../../../native-emulator/core/scenarios/executor.js';
import type { DeviceIo } from '../adb/device-io.js';

/**
 * The scenario engine on any device over adb, in real time: commands through DeviceIo (shell v2 exit codes),
 * background programs as streaming shells, and device time passing with the device's own `sleep` (so a
 * simulator running faster than real time runs the scenario faster too).
 */
export class DeviceIoExecutor implements ScenarioExecutor {
  constructor(
    private readonly io: DeviceIo,
    private readonly clock: () => number = () => performance.now() / 1000,
  ) {}

  async exec(command: string, timeoutS = 600): Promise<ExecOutcome> {
    const r = await this.io.exec(command, { timeoutMs: Math.round(timeoutS * 1000) + 15_000 });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? null };
  }

  async start(command: string): Promise<BackgroundCommand> {
    let output = '';
    let exitCode: number | null = null;
    let running = true;
    const spawned = await this.io.spawn(command, { onStdout: (t) => (output += t), onStderr: (t) => (output += t) });
    void spawned.exited.then((code) => {
      exitCode = code ?? -1;
      running = false;
    });
    return {
      get output() {
        return output;
      },
      get exitCode() {
        return exitCode;
      },
      get running() {
        return running;
      },
      hangup: () => spawned.kill(),
    };
  }

  async sleep(seconds: number): Promise<void> {
    await this.exec(`sleep ${Number(seconds.toFixed(3))}`, seconds + 30);
  }

  async dmesg(clear = false): Promise<string> {
    return (await this.exec(clear ? 'dmesg -c' : 'dmesg', 30)).stdout;
  }

  now(): number {
    return this.clock();
  }
}
