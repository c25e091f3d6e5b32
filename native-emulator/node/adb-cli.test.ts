/**
 * The simulator against Debian's real adb (29.0.6) on a private server port.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdbServerHandle, startAdbServer } from './testing/adb-server.js';
import { waitFor } from './testing/ports.js';
import { spawnSimulator, startTestSimulator, type TestSimulator } from './testing/simulator.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('real adb against the simulator', () => {
  let server: AdbServerHandle;
  let sim: TestSimulator;
  let dir: string;

  beforeAll(async () => {
    server = await startAdbServer();
    sim = await startTestSimulator({ adbServerPort: server.port });
    await server.waitForState(sim.serial, 'device');
    dir = mkdtempSync(path.join(os.tmpdir(), 'adb-sim-'));
  });

  afterAll(async () => {
    await sim?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const adb = (...args: string[]) => server.adb(['-s', sim.serial, ...args]);

  it('adb devices lists emulator-XXXX<TAB>device', async () => {
    const { stdout } = await server.adb(['devices']);
    expect(stdout).toMatch(new RegExp(`^${sim.serial}\\tdevice$`, 'm'));
    expect(sim.serial).toBe(`emulator-${sim.port - 1}`);
  });

  it('adb shell keeps exit codes (shell_v2) and separates stderr', async () => {
    const r = await adb('shell', 'echo out; echo err >&2; exit 3');
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('push and pull round-trip 50 MiB with the same sha256, and the file shows in ls', async () => {
    const src = path.join(dir, 'big.bin');
    const back = path.join(dir, 'big.back');
    writeFileSync(src, randomBytes(50 * 1024 * 1024));
    const push = await adb('push', src, '/data/misc/big.bin');
    expect(push.code, push.stderr).toBe(0);
    const pull = await adb('pull', '/data/misc/big.bin', back);
    expect(pull.code, pull.stderr).toBe(0);
    expect(sha256(back)).toBe(sha256(src));
    const ls = await adb('shell', 'ls /data/misc');
    expect(ls.stdout.split('\n')).toContain('big.bin');
    const lsSync = await adb('ls', '/data/misc');
    expect(lsSync.stdout).toMatch(/^000081a4 03200000 [0-9a-f]{8} big\.bin$/m);
  });

  it('push into a new directory creates it; pull of a missing file fails cleanly', async () => {
    const src = path.join(dir, 'small.txt');
    writeFileSync(src, 'hello\n');
    expect((await adb('push', src, '/data/local/tmp/a/b/small.txt')).code).toBe(0);
    expect((await adb('shell', 'cat /data/local/tmp/a/b/small.txt')).stdout).toBe('hello\n');
    const missing = await adb('pull', '/data/nope', path.join(dir, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/failed to stat remote object '\/data\/nope': No such file or directory/);
  });

  it('adb root answers as the emulator does', async () => {
    expect((await adb('root')).stdout).toBe('adbd is already running as root\n');
  });

  it('adb reboot, then adb wait-for-device', async () => {
    const r = await adb('reboot');
    expect(r.code).toBe(0);
    const waited = await adb('wait-for-device');
    expect(waited.code).toBe(0);
    expect((await adb('shell', 'echo back')).stdout).toBe('back\n');
  });
});

describe('a simulator process', () => {
  it('drops out of adb devices within seconds of SIGTERM, and exits 0', async () => {
    const server = await startAdbServer();
    try {
      const proc = await spawnSimulator(['--quiet'], { ANDROID_ADB_SERVER_PORT: String(server.port) });
      await server.waitForState(proc.serial, 'device');
      expect((await server.adb(['-s', proc.serial, 'shell', 'exit 0'])).code).toBe(0);
      const stoppedAt = Date.now();
      expect(await proc.stop('SIGTERM')).toBe(0);
      await waitFor(async () => !(await server.devices()).has(proc.serial), {
        timeoutMs: 5000,
        what: 'the device to drop out',
      });
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
    } finally {
      await server.stop();
    }
  });
});
