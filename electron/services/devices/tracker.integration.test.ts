import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../contract/domains/devices.js';
import { createBackend, type Backend } from '../../api/backend.js';
import { HAS_ADB, privateAdbPort, tempDataDir, waitFor } from '../testing/harness.js';

/** Device tracking with the real adb server and simulated devices in child processes. */
describe.skipIf(!HAS_ADB)('device tracking (real adb + simulator)', () => {
  let backend: Backend;
  const changes: Device[][] = [];

  beforeAll(async () => {
    backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort: await privateAdbPort(), env: { PATH: '/usr/bin:/bin' } });
    backend.events.subscribe((name, payload) => {
      if (name === 'devicesChanged') changes.push(payload as Device[]);
    });
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  const state = (serial: string) => backend.services.tracker.list().find((d) => d.serial === serial)?.state;

  it('a booted simulator appears as a device, then disappears when stopped', async () => {
    const device = await backend.handlers.bootSimulator({ ramMiB: 512, seed: 3, speed: 20, oomMode: 'corrected' });
    expect(device).toMatchObject({ kind: 'simulated', simulator: { status: 'running', ramMiB: 512, seed: 3, speed: 20 } });
    await waitFor('the simulator to be "device"', () => state(device.serial) === 'device');
    expect(changes.some((list) => list.some((d) => d.serial === device.serial && d.state === 'device'))).toBe(true);

    await backend.handlers.stopSimulator({ serial: device.serial });
    await waitFor('the simulator to be disconnected', () => state(device.serial) === 'disconnected');
  });

  it('tracks several simulators at once; a crash is reported and the device can be restarted', async () => {
    const [a, b] = await Promise.all([backend.handlers.bootSimulator({ ramMiB: 512, seed: 1, speed: 20, oomMode: 'corrected' }), backend.handlers.bootSimulator({ ramMiB: 768, seed: 2, speed: 20, oomMode: 'corrected' })]);
    expect(a.serial).not.toBe(b.serial);
    await waitFor('both simulators online', () => state(a.serial) === 'device' && state(b.serial) === 'device');

    backend.services.simulators.crash(b.serial);
    await waitFor('the crash to be reported', () => backend.services.tracker.get(b.serial)?.simulator?.status === 'crashed');
    expect(backend.services.tracker.get(b.serial)?.simulator?.message).toMatch(/exited unexpectedly \(signal SIGKILL\)/);
    await waitFor('the crashed simulator to leave', () => state(b.serial) === 'disconnected', 10_000);
    expect(state(a.serial)).toBe('device');

    const restarted = await backend.handlers.restartSimulator({ serial: b.serial });
    expect(restarted.simulator).toMatchObject({ status: 'running', ramMiB: 768, seed: 2 });
    await waitFor('the restarted simulator online', () => state(b.serial) === 'device', 30_000);
  });

  it('restarts a tracker that ends (the adb server was killed under it)', async () => {
    const serial = backend.services.tracker.list().find((d) => d.state === 'device')!.serial;
    const seen: string[] = [];
    const off = backend.services.tracker.on('state', (change) => change.serial === serial && seen.push(change.to));
    const starts = backend.services.tracker.trackerStarts.get('adb') ?? 0;
    const { execFileSync } = await import('node:child_process');
    execFileSync('/usr/bin/adb', ['-P', String(backend.services.adb.port), 'kill-server']);
    await waitFor('a new tracker', () => (backend.services.tracker.trackerStarts.get('adb') ?? 0) > starts, 20_000);
    await waitFor('the device back', () => state(serial) === 'device', 30_000);
    off();
    expect(seen[0]).toBe('disconnected');
    expect(seen.at(-1)).toBe('device');
  });
});
