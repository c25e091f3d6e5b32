/**
 * A private adb server for tests: `adb -P <free port> start-server`, never the user's 5037. Every command runs
 * with -P and ANDROID_ADB_SERVER_PORT set; stop() runs kill-server.
 */
import { spawn } from 'node:child_process';
import { freePort, waitFor } from './ports.js';

export const ADB = process.env.ADB ?? '/usr/bin/adb';

export interface AdbResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AdbServerHandle {
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  adb(args: readonly string[], options?: { timeoutMs?: number; input?: string }): Promise<AdbResult>;
  /** serial -> state from `adb devices`. */
  devices(): Promise<Map<string, string>>;
  waitForState(serial: string, state: string | undefined, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function runAdb(
  port: number,
  args: readonly string[],
  { timeoutMs = 30_000, input }: { timeoutMs?: number; input?: string } = {},
): Promise<AdbResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ADB, ['-P', String(port), ...args], {
      env: { ...process.env, ANDROID_ADB_SERVER_PORT: String(port) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`adb ${args.join(' ')} timed out after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // adb may exit without reading its stdin (EPIPE): what it printed and its exit code still count.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

export async function startAdbServer(): Promise<AdbServerHandle> {
  const port = await freePort();
  const started = await runAdb(port, ['start-server']);
  if (started.code !== 0) throw new Error(`adb start-server failed: ${started.stderr}`);
  const handle: AdbServerHandle = {
    port,
    env: { ...process.env, ANDROID_ADB_SERVER_PORT: String(port) },
    adb: (args, options) => runAdb(port, args, options),
    async devices() {
      const { stdout } = await runAdb(port, ['devices']);
      const map = new Map<string, string>();
      for (const line of stdout.split('\n').slice(1)) {
        const [serial, state] = line.trim().split('\t');
        if (serial && state) map.set(serial, state);
      }
      return map;
    },
    async waitForState(serial, state, timeoutMs = 15_000) {
      await waitFor(async () => (await handle.devices()).get(serial) === state || undefined, {
        timeoutMs,
        intervalMs: 100,
        what: `${serial} to be ${state ?? 'gone'}`,
      });
    },
    async stop() {
      await runAdb(port, ['kill-server'], { timeoutMs: 10_000 }).catch(() => undefined);
    },
  };
  return handle;
}
