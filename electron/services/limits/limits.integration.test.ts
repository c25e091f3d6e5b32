import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, waitFor } from '../testing/harness.js';
import { parseMmLimits } from './validate.js';

describe.skipIf(!HAS_ADB)('limits on a simulated device (real adb + simulator)', () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10, ramMiB: 1024 });
    const run = await f.provision();
    expect(run.state).toBe('succeeded');
  });
  afterAll(async () => f?.dispose());

  const onDevice = async () => parseMmLimits(await f.exec('cat /proc/mm_limits'));

  it('sets limits through mmlimit and reads them back from /proc/mm_limits', async () => {
    const state = await f.backend.handlers.setLimit({ serial: f.serial, user: 'u0_a70', mmMax: '100M', grace: 5, apply: true });
    expect(state.desired).toEqual([{ uid: 10070, user: 'u0_a70', mmMax: 104857600, grace: 5, sync: 'applied' }]);
    await f.backend.handlers.setLimit({ serial: f.serial, user: 10071, mmMax: 50_000_000, grace: 0, apply: true });
    expect(await onDevice()).toEqual([{ uid: 10070, mmMax: 104857600, grace: 5 }, { uid: 10071, mmMax: 50_000_000, grace: 0 }]);
    const read = await f.backend.handlers.getLimits({ serial: f.serial });
    expect(read).toMatchObject({ modulesLoaded: true, extra: [] });
    expect(read.desired.every((row) => row.sync === 'applied')).toBe(true);
  });

  it('refuses bad limits with clear errors and changes nothing', async () => {
    const before = await onDevice();
    for (const [input, code] of [
      [{ user: 'root', mmMax: '1M' }, 'root-refused'],
      [{ user: 'nosuchuser', mmMax: '1M' }, 'unknown-user'],
      [{ user: 'u0_a72', mmMax: '0' }, 'invalid-size'],
      [{ user: 'u0_a72', mmMax: 'ten' }, 'invalid-size'],
      [{ user: 'u0_a72', mmMax: '2G' }, 'limit-above-ram'],
    ] as const) {
      await expect(f.backend.handlers.setLimit({ serial: f.serial, grace: 0, apply: true, ...input })).rejects.toMatchObject({ code, hint: expect.any(String) });
    }
    expect(await onDevice()).toEqual(before);
    expect((await f.backend.handlers.getLimits({ serial: f.serial })).desired.map((r) => r.uid)).toEqual([10070, 10071]);
  });

  it('shows limits set behind its back as extra, and removes limits', async () => {
    await f.exec('/data/local/tmp/mmlimit set 10090 1M 0');
    expect((await f.backend.handlers.getLimits({ serial: f.serial })).extra).toEqual([{ uid: 10090, mmMax: 1048576, grace: 0 }]);
    const state = await f.backend.handlers.removeLimit({ serial: f.serial, uid: 10071 });
    expect(state.desired.map((r) => r.uid)).toEqual([10070]);
    expect((await onDevice()).map((l) => l.uid)).toEqual([10070, 10090]);
  });

  it("sees a change made behind its back in the kernel's listing, without a re-read: the row differs, then Apply fixes it", async () => {
    const changes: Array<{ serial: string; desired: Array<{ uid: number; sync: string }> }> = [];
    const off = f.backend.services.limits.on('changed', (state) => changes.push(state));
    try {
      // What the seed's test program does: set its own limit for the user, here with another grace.
      await f.exec('/data/local/tmp/mmlimit set u0_a70 100M 0');
      const seen = await waitFor('the listing seen', () => changes.find((state) => state.desired.some((row) => row.uid === 10070 && row.sync === 'differs')), 10_000);
      expect(seen.serial).toBe(f.serial);
      expect(seen.desired.find((row) => row.uid === 10070)).toMatchObject({ mmMax: 104857600, grace: 5, onDevice: { mmMax: 104857600, grace: 0 } });
      const fixed = await f.backend.handlers.applyLimits({ serial: f.serial });
      expect(fixed.desired.find((row) => row.uid === 10070)?.sync).toBe('applied');
    } finally {
      off();
    }
  });

  it('re-applies the table after a module reload', async () => {
    const run = await f.provision({ reload: true });
    expect(run.state).toBe('succeeded');
    await waitFor('limits back on the device', async () => (await onDevice()).some((l) => l.uid === 10070 && l.mmMax === 104857600), 15_000, 200);
  });

  it('re-applies the table when the modules are reloaded by hand (seen in the kernel log)', async () => {
    const d = '/data/local/tmp';
    await f.backend.handlers.stopDaemon({ serial: f.serial });
    await f.exec(`rmmod oom && rmmod set_mm_limit && rmmod mylimit && insmod ${d}/mylimit.ko && insmod ${d}/set_mm_limit.ko && insmod ${d}/oom.ko`);
    await waitFor('limits re-applied by the app', async () => (await onDevice()).some((l) => l.uid === 10070 && l.mmMax === 104857600), 15_000, 200);
    await f.backend.handlers.startDaemon({ serial: f.serial, interval: 1 });
  });

  it('limits survive a simulated reboot: re-provisioned and re-applied', async () => {
    await f.exec('reboot').catch(() => undefined);
    await waitFor('the device to go away', () => f.backend.services.tracker.get(f.serial)?.state !== 'device', 15_000, 20).catch(() => undefined);
    await waitFor('the device back', () => f.backend.services.tracker.get(f.serial)?.state === 'device', 60_000, 100);
    await waitFor('limits re-applied after the reboot', async () => {
      try {
        return (await onDevice()).some((l) => l.uid === 10070 && l.mmMax === 104857600 && l.grace === 5);
      } catch {
        return false;
      }
    }, 60_000, 250);
    await waitFor('the daemon running again', async () => (await f.backend.handlers.getDaemonStatus({ serial: f.serial })).running, 30_000, 200);
  });

  it('keeps the table on disk across app restarts', async () => {
    const { LimitsService } = await import('./limits-service.js');
    const fresh = new LimitsService({ dataDir: f.dataDir, devices: f.backend.services.tracker });
    expect((await fresh.getLimits(f.serial)).desired.map((r) => [r.uid, r.mmMax, r.grace])).toEqual([[10070, 104857600, 5]]);
  });
});
