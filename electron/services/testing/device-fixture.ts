import type { OomMode } from '../../../contract/domains/devices.js';
import type { PipelineRun } from '../../../contract/domains/provisioning.js';
import { createBackend, type Backend } from '../../api/backend.js';
import { privateAdbPort, tempDataDir, waitFor } from './harness.js';

export interface DeviceFixture {
  backend: Backend;
  serial: string;
  dataDir: string;
  provision(options?: { reload?: boolean; interval?: number; payload?: { kind: 'folder'; path: string } }): Promise<PipelineRun>;
  exec(command: string): Promise<string>;
  dispose(): Promise<void>;
}

/** A backend on a private real adb server with one simulated device (a child process) online. */
export async function deviceFixture(sim: { ramMiB?: number; seed?: number; speed?: number; oomMode?: OomMode } = {}): Promise<DeviceFixture> {
  const dataDir = tempDataDir();
  const backend = await createBackend({ mode: 'serve', dataDir, adbServerPort: await privateAdbPort(), env: { PATH: '/usr/bin:/bin' } });
  const device = await backend.handlers.bootSimulator({ ramMiB: sim.ramMiB ?? 1024, seed: sim.seed ?? 1, speed: sim.speed ?? 10, oomMode: sim.oomMode ?? 'corrected' });
  const serial = device.serial;
  await waitFor(`${serial} online`, () => backend.services.tracker.get(serial)?.state === 'device');
  return {
    backend,
    serial,
    dataDir,
    async provision(options = {}) {
      const handle = backend.services.provisioning.start({ serial, payload: options.payload ?? { kind: 'auto' }, interval: options.interval ?? 1, reload: options.reload ?? false });
      return handle.done;
    },
    async exec(command) {
      const result = await backend.services.tracker.io(serial).exec(command, { timeoutMs: 30_000 });
      return result.stdout + result.stderr;
    },
    dispose: () => backend.dispose(),
  };
}

export function failedStep(run: PipelineRun) {
  return run.steps.find((step) => step.state === 'failed');
}
