import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { encodeRequest } from './adbkit.js';

/** Asks whatever listens on 127.0.0.1:port for `host:version`; undefined when nothing (or no adb server) answers. */
export function probeAdbServer(port: number, host = '127.0.0.1', timeoutMs = 1500): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let data = Buffer.alloc(0);
    const done = (value: number | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('connect', () => socket.write(encodeRequest('host:version')));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 12) {
        const text = data.toString('ascii', 0, 12);
        done(text.startsWith('OKAY') ? parseInt(text.slice(8, 12), 16) : undefined);
      }
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}

function run(binary: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `adb version` → "1.0.41 (29.0.6-debian)". */
export async function adbBinaryVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['version'], 5000);
    const protocol = /Android Debug Bridge version ([\d.]+)/.exec(stdout)?.[1];
    const release = /^Version (\S+)/m.exec(stdout)?.[1];
    return protocol ? (release ? `${protocol} (${release})` : protocol) : stdout.split('\n')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function startAdbServer(binary: string, port: number): Promise<void> {
  await run(binary, ['-P', String(port), 'start-server'], 20_000);
}

export async function killAdbServer(binary: string, port: number): Promise<void> {
  await run(binary, ['-P', String(port), 'kill-server'], 10_000).catch(() => undefined);
}

/** Registers a device listening on an emulator port with the server (`host:emulator:<port>`), as the emulator does. */
export function registerEmulator(serverPort: number, devicePort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: serverPort }, () => socket.end(encodeRequest(`host:emulator:${devicePort}`)));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
