/** A backend on a private adb server with one simulated device, for the benches. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../electron/api/backend.js';
import { freePort } from '../electron/services/simulator/free-port.js';

export async function benchBackend(sim: { ramMiB?: number; speed?: number; seed?: number } = {}): Promise<{ backend: Backend; serial: string }> {
  const backend = await createBackend({ mode: 'serve', dataDir: mkdtempSync(join(tmpdir(), 'goldfish-bench-')), adbServerPort: await freePort(), env: { PATH: '/usr/bin:/bin' } });
  const device = await backend.handlers.bootSimulator({ ramMiB: sim.ramMiB ?? 2048, seed: sim.seed ?? 1, speed: sim.speed ?? 1, oomMode: 'corrected' });
  const deadline = Date.now() + 20_000;
  while (backend.services.tracker.get(device.serial)?.state !== 'device') {
    if (Date.now() > deadline) throw new Error('the simulator did not come online');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const run = await backend.services.provisioning.start({ serial: device.serial, payload: { kind: 'auto' }, interval: 3, reload: false }).done;
  if (run.state !== 'succeeded') throw new Error(`provisioning ${run.state}: ${JSON.stringify(run.steps.find((s) => s.error))}`);
  return { backend, serial: device.serial };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
