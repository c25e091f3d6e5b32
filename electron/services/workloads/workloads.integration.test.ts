import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workload } from '../../../contract/domains/workloads.js';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, waitFor } from '../testing/harness.js';

describe.skipIf(!HAS_ADB)('workloads and daemon control (real adb + simulator)', () => {
  let f: DeviceFixture;
  const output: Array<{ id: string; text: string }> = [];
  const changes: Workload[] = [];

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10 });
    expect((await f.provision()).state).toBe('succeeded');
    f.backend.events.subscribe((name, payload) => {
      if (name === 'workloadOutput') output.push(payload as { id: string; text: string });
      if (name === 'workloadChanged') changes.push(payload as Workload);
    });
  });
  afterAll(async () => f?.dispose());

  it('runs a command, streams its output and reports its exit code', async () => {
    const w = await f.backend.handlers.runWorkload({ serial: f.serial, spec: { kind: 'command', command: 'echo one; echo two >&2; exit 3' } });
    const done = await f.backend.services.workloads.wait(w.id);
    expect(done).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(done.output).toContain('one');
    expect(output.filter((o) => o.id === w.id).map((o) => o.text).join('')).toMatch(/one[\s\S]*two|two[\s\S]*one/);
    expect(changes.some((c) => c.id === w.id && c.state === 'exited')).toBe(true);
  });

  it('stops a long-running test program (its children go too)', async () => {
    const w = await f.backend.handlers.runWorkload({ serial: f.serial, spec: { kind: 'test', user: 'u0_a71', limit: 900000000, mems: [20000000], grace: 0, ignoreTerm: false, holdSeconds: 3600 } });
    await waitFor('the child to start', () => output.some((o) => o.id === w.id && /child process start malloc/.test(o.text)), 10_000);
    const stopped = await f.backend.handlers.stopWorkload({ id: w.id });
    expect(stopped.state).toBe('stopped');
    await waitFor('no test process left', async () => !(await f.exec('ps -A')).split('\n').some((line) => /\s(\.\/)?test$/.test(line)), 10_000, 200);
    expect((await f.backend.handlers.listWorkloads({ serial: f.serial })).find((x) => x.id === w.id)?.state).toBe('stopped');
  });

  it('starts, restarts with another T, reports health, and stops the daemon', async () => {
    const started = await f.backend.handlers.startDaemon({ serial: f.serial, interval: 2 });
    expect(started).toMatchObject({ running: true, interval: 2 });
    const first = await f.backend.handlers.getDaemonStatus({ serial: f.serial });
    await waitFor('checks to advance', async () => ((await f.backend.handlers.getDaemonStatus({ serial: f.serial })).checks ?? 0) > (first.checks ?? 0), 10_000, 100);
    const health = await f.backend.handlers.getDaemonStatus({ serial: f.serial });
    expect(health.lastCheckMs).toBeGreaterThan(0);
    const restarted = await f.backend.handlers.startDaemon({ serial: f.serial, interval: 1 });
    expect(restarted.pid).not.toBe(started.pid);
    expect(await f.backend.handlers.stopDaemon({ serial: f.serial })).toMatchObject({ running: false });
  });
});
