/**
 * Start simulators for tests: in-process (fast, inspectable) or as a child `tsx native-emulator/node/cli.ts`
 * (for signal handling). Logs are collected; internal errors are counted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../simulator.js';

export interface TestSimulator extends RunningSimulator {
  readonly logs: string[];
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<TestSimulator> {
  const logs: string[] = [];
  const sim = await startSimulator({
    register: options.adbServerPort !== undefined,
    console: false,
    ...options,
    log: (line) => {
      logs.push(line);
      options.log?.(line);
    },
  });
  return Object.assign(sim, { logs });
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SimulatorProcess {
  readonly serial: string;
  readonly port: number;
  readonly hostPort: number | undefined;
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnSimulator(args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SimulatorProcess> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(ROOT, 'native-emulator/node/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not start: ${stderr}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before it was ready: ${stderr}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^(emulator-\d+) ready: adb port (\d+)(?:, console port \d+)?(?:, host port (\d+))?/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        serial: m[1]!,
        port: Number(m[2]),
        hostPort: m[3] ? Number(m[3]) : undefined,
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}
