import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelLogService } from '../services/kernel-log/kernel-log-service.js';
import { createBackend, type Backend } from './backend.js';
import { HAS_ADB, privateAdbPort, tempDataDir, waitFor } from '../services/testing/harness.js';

// A serial outlives the device behind it: stop a simulated device, boot another, and adb gives it the same
// emulator-5554. Its kernel log starts again at sequence 0 while its uptime may already be past the old
// device's last line, so neither sequence numbers nor uptime tell the two apart; boot_id does.
describe.skipIf(!HAS_ADB)('devices that share a serial, one after the other (real adb + simulators)', () => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort: await privateAdbPort(), env: { PATH: '/usr/bin:/bin' } });
  });
  afterAll(async () => backend?.dispose());

  const online = (serial: string) => waitFor(`${serial} online`, () => backend.services.tracker.get(serial)?.state === 'device');
  const exec = async (serial: string, command: string) => (await backend.services.tracker.io(serial).exec(command, { timeoutMs: 30_000 })).stdout;
  /** The two lines the oom module prints for a kill, written to the kernel log by hand. */
  const killReport = (pid: number) =>
    `echo 'A process has been killed:' > /dev/kmsg; echo 'uid=10070, uRSS=150000000, mm_max=100000000, pid=${pid}, pRSS=150000000' > /dev/kmsg`;
  const texts = (serial: string) => backend.services.kernelLog.lines(serial).map((line) => line.text);

  it("captures the second device's log from its first line, and says a new boot began", async () => {
    const notices: string[] = [];
    backend.services.kernelLog.on('notice', ({ kind }) => notices.push(kind));
    // The first device: slow, with many lines (a high kmsg sequence number) at a low uptime.
    const first = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 3, speed: 1, oomMode: 'corrected' })).serial;
    await online(first);
    await exec(first, Array.from({ length: 400 }, (_, i) => `echo first ${i} > /dev/kmsg`).join('; ') + `; ${killReport(1001)}`);
    await waitFor('the first device captured', () => texts(first).includes('first 399'), 10_000);
    await backend.handlers.stopSimulator({ serial: first });
    await waitFor(`${first} gone`, () => backend.services.tracker.get(first)?.state !== 'device');

    // The second device: fast, so its uptime is past the first device's last line when it comes online.
    const second = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 3, speed: 40, oomMode: 'corrected' })).serial;
    expect(second).toBe(first);
    await online(second);
    await exec(second, `echo second 0 > /dev/kmsg; ${killReport(1002)}`);
    await waitFor('the marker of the second device', () => texts(second).includes('second 0'), 10_000);
    expect(notices).toContain('reboot');
    // Its boot banner too: nothing of the new boot was skipped as already taken.
    const lines = texts(second);
    const banners = lines.filter((text) => text.startsWith('Linux version'));
    expect(banners).toHaveLength(2);
    expect(lines.indexOf('second 0')).toBeGreaterThan(lines.lastIndexOf('first 399'));
    // Kernel times start again with each boot: every kill says which boot it is from.
    const kills = await waitFor('both kills', () => {
      const found = backend.services.kernelLog.kills(second);
      return found.length === 2 && found;
    });
    expect(kills.map((kill) => [kill.pid, kill.boot])).toEqual([[1001, 0], [1002, 1]]);
  });

  it('polling dmesg (3.4 kernels have no readable /dev/kmsg) tells the new boot in the same round trip', async () => {
    const polled = new KernelLogService({ dataDir: tempDataDir(), io: (serial) => backend.services.tracker.get(serial)?.state === 'device' ? backend.services.tracker.io(serial) : undefined, preferKmsg: false, pollMs: 100 });
    const notices: string[] = [];
    polled.on('notice', ({ kind }) => notices.push(kind));
    const first = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 7, speed: 1, oomMode: 'corrected' })).serial;
    polled.start(first);
    try {
      await online(first);
      await exec(first, Array.from({ length: 300 }, (_, i) => `echo early ${i} > /dev/kmsg`).join('; '));
      await waitFor('the first device polled', () => polled.lines(first).some((line) => line.text === 'early 299'), 10_000);
      await backend.handlers.stopSimulator({ serial: first });
      await waitFor(`${first} gone`, () => backend.services.tracker.get(first)?.state !== 'device');
      const second = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 7, speed: 40, oomMode: 'corrected' })).serial;
      expect(second).toBe(first);
      await online(second);
      await exec(second, 'echo later 0 > /dev/kmsg');
      await waitFor('the marker of the second device', () => polled.lines(second).some((line) => line.text === 'later 0'), 10_000);
      expect(notices).toContain('reboot');
      expect(polled.lines(second).filter((line) => line.text.startsWith('Linux version'))).toHaveLength(2);
    } finally {
      polled.dispose();
    }
  });

  it('a device booted in place of one the app stopped is a new device: the old setup is not replayed on it', async () => {
    const first = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 4, speed: 10, oomMode: 'corrected' })).serial;
    await online(first);
    const run = await backend.services.provisioning.start({ serial: first, payload: { kind: 'auto' }, interval: 1, reload: false }).done;
    expect(run.state).toBe('succeeded');
    await backend.handlers.stopSimulator({ serial: first });
    await waitFor(`${first} gone`, () => backend.services.tracker.get(first)?.state !== 'device');

    const second = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 4, speed: 10, oomMode: 'corrected' })).serial;
    expect(second).toBe(first);
    await online(second);
    await exec(second, 'echo marker > /dev/kmsg');
    await waitFor('the new boot seen', () => texts(second).includes('marker'), 10_000);
    // Past the re-apply delay (1 s): a reboot of the first device would have been provisioned again by now.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(backend.services.provisioning.isRunning(second)).toBe(false);
    // Nor does what the app knew of the old device: its daemon's T (a recording would claim it), its modules.
    expect(backend.services.daemon.knownInterval(second)).toBeUndefined();
    expect((await backend.handlers.getLimits({ serial: second })).modulesLoaded).toBe(false);
    await waitFor('the new device probed', () => backend.services.tracker.get(second)?.probe?.modules.length === 0);
    expect(await exec(second, 'lsmod')).not.toMatch(/mylimit|set_mm_limit|oom/);
  });

  it('sampling follows the serial to the new device, and its status says when it failed and when it recovered', async () => {
    const statuses: Array<{ serial: string; lastError?: string }> = [];
    backend.services.sampler.on('status', (status) => statuses.push(status));
    const first = (await backend.handlers.bootSimulator({ ramMiB: 512, seed: 5, speed: 10, oomMode: 'corrected' })).serial;
    await online(first);
    backend.services.sampler.start(first, 4);
    await waitFor('a sample', () => backend.services.sampler.samples(first).length > 0);
    await backend.handlers.stopSimulator({ serial: first });
    await waitFor('the failure reported', () => statuses.some((s) => s.serial === first && s.lastError));

    await backend.handlers.bootSimulator({ ramMiB: 512, seed: 5, speed: 10, oomMode: 'corrected' });
    await online(first);
    const failedAt = statuses.findIndex((s) => s.serial === first && s.lastError);
    // No payload was pushed, so samples come from ps: the status keeps saying that, and only that.
    const recovered = await waitFor('the recovery reported', () => statuses.slice(failedAt + 1).find((s) => s.serial === first && s.lastError?.startsWith('memsample unavailable')));
    expect(recovered).toMatchObject({ method: 'ps', running: true });
    expect(backend.services.sampler.status(first).lastError).toMatch(/^memsample unavailable/);
    backend.services.sampler.stop(first);
  });
});
