import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../simulator/free-port.js';

export const ADB_BINARY = '/usr/bin/adb';
export const HAS_ADB = existsSync(ADB_BINARY);
export const NO_ADB_REASON = `${ADB_BINARY} is missing (install Debian's adb package): tests with the real adb server are skipped`;
if (!HAS_ADB) console.warn(`SKIPPED: ${NO_ADB_REASON}`);

export function tempDataDir(prefix = 'goldfish-backend-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A free port for a private adb server (never the user's 5037). */
export async function privateAdbPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 5037) return port;
  }
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
