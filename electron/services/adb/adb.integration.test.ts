import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import { createBackend, type Backend } from '../../api/backend.js';
import { probeAdbServer } from './adb-server.js';
import { HAS_ADB, privateAdbPort, tempDataDir, waitFor } from '../testing/harness.js';

describe.skipIf(!HAS_ADB)('backend with the real adb server, no device', () => {
  let backend: Backend;
  let port: number;

  beforeAll(async () => {
    port = await privateAdbPort();
    backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort: port, env: { PATH: '/usr/bin:/bin' } });
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  it('finds adb on PATH, starts its own server on a private port and says so', async () => {
    const status = await dispatch(backend.handlers, 'getAdbStatus', {});
    expect(status).toMatchObject({ ok: true, value: { binary: '/usr/bin/adb', source: 'path', serverPort: port, serverRunning: true } });
    expect(await probeAdbServer(port)).toBe(41);
  });

  it('lists no devices, and refuses requests for a device that is not there with a hint', async () => {
    expect(await dispatch(backend.handlers, 'listDevices', {})).toEqual({ ok: true, value: [] });
    const limits = await dispatch(backend.handlers, 'setLimit', { serial: 'emulator-5554', user: 'u0_a70', mmMax: '100M' });
    expect(limits).toMatchObject({ ok: false, error: { code: 'device-unavailable', hint: expect.any(String) } });
  });

  it('validates limits before touching the device: nothing is stored', async () => {
    const result = await dispatch(backend.handlers, 'setLimit', { serial: 'emulator-5554', user: 'root', mmMax: '100M', apply: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'root-refused' } });
  });

  it('kills the server it started when disposed', async () => {
    await backend.dispose();
    expect(await probeAdbServer(port)).toBeUndefined();
  });
});

describe('backend without adb', () => {
  it('says clearly what is missing', async () => {
    const backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort: await privateAdbPort(), env: { PATH: '/nonexistent' } });
    try {
      const status = await backend.handlers.getAdbStatus({});
      expect(status).toMatchObject({ source: 'none', serverRunning: false });
      expect(status.problem).toMatch(/adb was not found.*Simulated devices still work/s);

      // A simulated device is then reached through the simulator's own host endpoint.
      const device = await backend.handlers.bootSimulator({ ramMiB: 512, seed: 1, speed: 10, oomMode: 'corrected' });
      await waitFor('the simulator through its host port', () => backend.services.tracker.get(device.serial)?.state === 'device');
      expect(await backend.services.tracker.io(device.serial).exec('echo via-host-port')).toMatchObject({ stdout: 'via-host-port\n', exitCode: 0 });
    } finally {
      await backend.dispose();
    }
  });
});
