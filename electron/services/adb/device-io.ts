import { createReadStream, statSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { apiError } from '../common/errors.js';
import { encodeRequest, type AdbClient } from './adbkit.js';

type Connection = Awaited<ReturnType<AdbClient['connection']>>;
import { encodeShellFrame, ShellId, ShellV2Decoder } from './shell-v2.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** undefined when the device could not tell (legacy shell without a marker, or a dropped connection). */
  exitCode: number | undefined;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface SpawnHandlers {
  onStdout?(text: string): void;
  onStderr?(text: string): void;
}

export interface SpawnedCommand {
  /** Resolves with the exit code (undefined when the stream ended without one, e.g. after kill()). */
  readonly exited: Promise<number | undefined>;
  /** Closes the stream: the device hangs the session up (SIGHUP to its processes). */
  kill(): void;
}

export interface PushProgress {
  done: number;
  total: number;
}

const EXIT_MARKER = '\u001eGFEXIT:';

/** Everything the services do on a device, over adb: run a command (with its exit code), stream one, push a file. */
export interface DeviceIo {
  readonly serial: string;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  spawn(command: string, handlers: SpawnHandlers): Promise<SpawnedCommand>;
  push(localPath: string, remotePath: string, mode: number, onProgress?: (p: PushProgress) => void, options?: { signal?: AbortSignal; stallMs?: number }): Promise<void>;
}

/**
 * adbkit re-emits a socket error on its Connection, and an 'error' nobody listens to crashes the process
 * (seen: a write after the device died mid-push). Whoever opens a connection keeps a listener on it.
 */
function guard<T extends { on(event: 'error', listener: (error: Error) => void): unknown; socket?: { on(event: 'error', listener: (error: Error) => void): unknown } }>(connection: T): T {
  connection.on('error', () => undefined);
  connection.socket?.on('error', () => undefined);
  return connection;
}

async function hostQuery(client: AdbClient, service: string): Promise<string> {
  const connection = guard(await client.connection());
  try {
    connection.write(encodeRequest(service));
    const reply = await connection.parser.readAscii(4);
    if (reply === 'OKAY') return (await connection.parser.readValue()).toString('utf8');
    if (reply === 'FAIL') return await connection.parser.readError();
    throw new Error(`unexpected adb reply ${reply}`);
  } finally {
    connection.end();
  }
}

/** Opens a device service on a fresh transport; resolves with the raw stream after OKAY. */
async function openService(client: AdbClient, serial: string, service: string): Promise<Duplex> {
  const connection = guard(await client.getDevice(serial).transport());
  connection.write(encodeRequest(service));
  const reply = await connection.parser.readAscii(4);
  if (reply === 'FAIL') await connection.parser.readError();
  if (reply !== 'OKAY') throw new Error(`unexpected adb reply ${reply}`);
  return connection.parser.raw();
}

export class AdbDeviceIo implements DeviceIo {
  private features?: Promise<Set<string>>;

  constructor(private readonly client: AdbClient, readonly serial: string) {}

  /** The transport's features (shell_v2, stat_v2, ...): asked of the adb server, not `pm list features`. */
  getFeatures(): Promise<Set<string>> {
    this.features ??= hostQuery(this.client, `host-serial:${this.serial}:features`)
      .then((text) => new Set(text.trim().split(',').filter(Boolean)))
      .catch((error) => {
        this.features = undefined;
        throw error;
      });
    return this.features;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const spawned = await this.spawnRaw(command, {
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => spawned.kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const timeout = new Promise<never>((_, reject) => {
        if (options.timeoutMs) {
          timer = setTimeout(() => {
            reject(apiError('timeout', `The device did not finish \`${command.slice(0, 120)}\` within ${options.timeoutMs} ms`, 'Check that the device is responsive (adb shell) and try again.'));
            spawned.kill();
          }, options.timeoutMs);
        }
      });
      const exitCode = await Promise.race([spawned.exited, timeout]);
      if (options.signal?.aborted) throw apiError('cancelled', 'Cancelled');
      let out = Buffer.concat(stdout).toString('utf8');
      let code = exitCode;
      if (spawned.legacy) {
        const at = out.lastIndexOf(EXIT_MARKER);
        if (at >= 0) {
          code = Number.parseInt(out.slice(at + EXIT_MARKER.length), 10);
          out = out.slice(0, at);
        }
      }
      return { stdout: out, stderr: Buffer.concat(stderr).toString('utf8'), exitCode: code };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async spawn(command: string, handlers: SpawnHandlers): Promise<SpawnedCommand> {
    const spawned = await this.spawnRaw(command, {
      onStdout: (chunk) => handlers.onStdout?.(chunk.toString('utf8')),
      onStderr: (chunk) => handlers.onStderr?.(chunk.toString('utf8')),
    });
    return spawned;
  }

  private async spawnRaw(command: string, handlers: { onStdout(chunk: Buffer): void; onStderr(chunk: Buffer): void }): Promise<SpawnedCommand & { legacy: boolean }> {
    const features = await this.getFeatures().catch(() => new Set<string>());
    const v2 = features.has('shell_v2');
    const stream = await openService(this.client, this.serial, v2 ? `shell,v2,raw:${command}` : `shell:( ${command}\n); echo "${EXIT_MARKER}$?"`);
    let resolveExit!: (code: number | undefined) => void;
    const exited = new Promise<number | undefined>((resolve) => (resolveExit = resolve));
    let exitCode: number | undefined;
    const finish = () => resolveExit(exitCode);
    if (v2) {
      const decoder = new ShellV2Decoder();
      stream.write(encodeShellFrame(ShellId.closeStdin));
      stream.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          if (frame.id === ShellId.stdout) handlers.onStdout(frame.data);
          else if (frame.id === ShellId.stderr) handlers.onStderr(frame.data);
          else if (frame.id === ShellId.exit) {
            exitCode = frame.data[0];
            stream.end();
          }
        }
      });
    } else {
      stream.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
    }
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
    return {
      exited,
      legacy: !v2,
      kill: () => {
        stream.destroy();
        finish();
      },
    };
  }

  async push(localPath: string, remotePath: string, mode: number, onProgress?: (p: PushProgress) => void, options: { signal?: AbortSignal; stallMs?: number } = {}): Promise<void> {
    const total = statSync(localPath).size;
    const sync = await this.client.getDevice(this.serial).syncService();
    guard((sync as unknown as { connection: Connection }).connection);
    const transfer = sync.push(createReadStream(localPath), remotePath, mode);
    transfer.on('end', () => sync.end());
    await new Promise<void>((resolve, reject) => {
      let stall: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(stall);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const arm = () => {
        clearTimeout(stall);
        stall = setTimeout(() => {
          transfer.cancel();
          settle(new Error(`no progress for ${(options.stallMs ?? 15_000) / 1000} s (the device stopped answering)`));
        }, options.stallMs ?? 15_000);
      };
      const onAbort = () => {
        transfer.cancel();
        settle(apiError('cancelled', 'Cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      arm();
      onProgress?.({ done: 0, total });
      transfer.on('progress', (stats: { bytesTransferred: number }) => {
        arm();
        onProgress?.({ done: stats.bytesTransferred, total });
      });
      transfer.on('end', () => settle());
      transfer.on('error', (error: Error) => settle(error));
    });
  }
}

/** Quotes one argument for the device's sh. */
export function shellQuote(arg: string | number): string {
  if (typeof arg === 'number') return String(arg);
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'"'"'`)}'`;
}
