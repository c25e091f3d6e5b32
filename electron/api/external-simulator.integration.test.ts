import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-emulator/node/testing/ports.js';
import { startTestSimulator, type TestSimulator } from '../../native-emulator/node/testing/simulator.js';
import { createBackend, type Backend } from './backend.js';
import { HAS_ADB, privateAdbPort, tempDataDir, waitFor } from '../services/testing/harness.js';

/** An odd port above the range the backend boots its own simulators in (5555..5585). */
async function portOfItsOwn(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 5600 && port % 2 === 1) return port;
  }
}

// The README's first walk: `npm run serve` in one terminal, `npm run sim` in another. The app did not start
// that simulator, so only the device itself can say what it is; setup must still pick the simulator's payload.
describe.skipIf(!HAS_ADB)('a simulated device started outside the app (real adb)', () => {
  let backend: Backend;
  let sim: TestSimulator;

  beforeAll(async () => {
    const adbServerPort = await privateAdbPort();
    backend = await createBackend({ mode: 'serve', dataDir: tempDataDir(), adbServerPort, env: { PATH: '/usr/bin:/bin' } });
    await backend.handlers.getAdbStatus({});
    sim = await startTestSimulator({ port: await portOfItsOwn(), adbServerPort, seed: 6, speed: 10, oomMode: 'seed-faithful' });
    await waitFor(`${sim.serial} online`, () => backend.services.tracker.get(sim.serial)?.state === 'device');
  });
  afterAll(async () => {
    await backend?.dispose();
    await sim?.stop();
  });

  it('is recognised by its probe: listed as simulated, with its OOM mode, and setup pushes the simulator payload', async () => {
    const probed = await backend.handlers.probeDevice({ serial: sim.serial });
    expect(probed).toMatchObject({ kind: 'simulated', probe: { simulatorOomMode: 'seed-faithful' } });
    expect(probed.simulator).toBeUndefined();
    const run = await backend.services.provisioning.start({ serial: sim.serial, payload: { kind: 'auto' }, interval: 1, reload: false }).done;
    expect(run.state).toBe('succeeded');
    expect(run.steps.find((step) => step.id === 'payload')?.detail).toMatch(/^sim target/);
    const lsmod = (await backend.services.tracker.io(sim.serial).exec('lsmod', { timeoutMs: 10_000 })).stdout;
    expect(lsmod).toMatch(/^oom /m);
  });
});
