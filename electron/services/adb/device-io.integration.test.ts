import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../api/backend.js';
import { HAS_ADB, privateAdbPort, tempDataDir, waitFor } from '../testing/harness.js';
import type { DeviceIo } from './device-io.js';

describe.skipIf(!HAS_ADB)('device io over the real adb server (simulator)', () => {
  let backend: Backend;
  let io: DeviceIo;

  beforeAll(async () => {
    backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort: await privateAdbPort(), env: { PATH: '/usr/bin:/bin' } });
    const { serial } = await backend.handlers.bootSimulator({ ramMiB: 512, seed: 1, speed: 10, oomMode: 'corrected' });
    await waitFor('online', () => backend.services.tracker.get(serial)?.state === 'device');
    io = backend.services.tracker.io(serial);
  });
  afterAll(async () => backend?.dispose());

  it('keeps exit codes and separates stdout from stderr (shell v2)', async () => {
    expect(await io.exec('echo hello')).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    expect((await io.exec('false')).exitCode).toBe(1);
    const missing = await io.exec('cat /no/such/file');
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/No such file/);
  });

  it('times out a command that does not finish, with a hint', async () => {
    await expect(io.exec('sleep 100', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout', hint: expect.any(String) });
  });

  it('streams a command and stops it', async () => {
    const spawned = await io.spawn('sleep 100', {});
    const started = Date.now();
    spawned.kill();
    await spawned.exited;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('pushes a file with byte progress and it arrives intact', async () => {
    const file = join(tempDataDir(), 'blob');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(file, bytes);
    const seen: number[] = [];
    await io.push(file, '/data/local/tmp/blob', 0o644, (p) => seen.push(p.done));
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen.length).toBeGreaterThan(2);
    const { Adb } = await import('./adbkit.js');
    const stat = await Adb.createClient({ port: backend.services.adb.port }).getDevice(io.serial).stat('/data/local/tmp/blob');
    expect(stat.size).toBe(bytes.length);
  });
});
