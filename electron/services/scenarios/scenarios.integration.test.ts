/**
 * A TA's demonstration, end to end through the backend: boot a seed-faithful simulator (the original design's
 * OOM defects) on a private real adb server, run the seed-defects suite on it over adb, see it fail on the
 * expectations the simulator-side test names (scenarios.test.ts, scenarios/README.md "The seed's defects").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioRunStatus } from '../../../contract/domains/scenarios.js';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, waitFor } from '../testing/harness.js';
import type { ReportDoc } from './report.js';
import { SEED_FAITHFUL_FAILURES as SEED_FAITHFUL } from '../../../native-emulator/core/scenarios/seed-faithful.js';

const SEED_FAITHFUL_FAILURES = SEED_FAITHFUL['seed-defects'];

describe.skipIf(!HAS_ADB)('a seed-faithful simulator booted through the backend (real adb)', () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10, oomMode: 'seed-faithful' });
  });
  afterAll(async () => f?.dispose());

  it('reports its OOM mode: in the device list and in getprop', async () => {
    const device = (await f.backend.handlers.listDevices({})).find((d) => d.serial === f.serial);
    expect(device).toMatchObject({ serial: f.serial, kind: 'simulated', simulator: { oomMode: 'seed-faithful', status: 'running' } });
    expect(await f.exec('getprop ro.goldfish.oom.mode')).toBe('seed-faithful\n');
  });

  it('fails the seed-defects suite run from the handlers, on the seed design defects', async () => {
    const seen: ScenarioRunStatus[] = [];
    const off = f.backend.events.subscribe((name, payload) => name === 'scenarioRunChanged' && seen.push(payload as ScenarioRunStatus));
    const started = await f.backend.handlers.startScenarioRun({ serial: f.serial, suite: 'seed-defects', payload: { kind: 'auto' } });
    const end = await f.backend.services.scenarios.wait(started.runId);
    off();
    expect(end.error).toBeUndefined();
    expect(end.state).toBe('failed');
    expect(end.scenarios.filter((s) => !s.pass).map((s) => s.name)).toEqual(['grace-from-breach', 'several-users', 'sigterm-ignored']);
    expect(end.summary).toMatch(new RegExp(`^seed-defects on ${f.serial}: FAIL, 4/7 scenarios`));
    expect(seen.at(-1)).toMatchObject({ runId: started.runId, state: 'failed' });

    const doc = JSON.parse((await f.backend.handlers.getReport({ id: end.reportId!, format: 'json' })).content) as ReportDoc;
    expect(doc.device).toEqual({ serial: f.serial, kind: 'simulator', oomMode: 'seed-faithful' });
    const failed = doc.scenarios.flatMap((s) => s.checks.filter((c) => !c.pass).map((c) => c.name));
    expect(failed).toEqual(SEED_FAITHFUL_FAILURES);
    const html = (await f.backend.handlers.getReport({ id: end.reportId!, format: 'html' })).content;
    expect(html).toContain(`${f.serial} (simulator, oom mode seed-faithful)`);
  }, 240_000);

  it('keeps the mode across a restart', async () => {
    const device = await f.backend.handlers.restartSimulator({ serial: f.serial });
    expect(device.simulator?.oomMode).toBe('seed-faithful');
    await waitFor(`${f.serial} online again`, async () => f.backend.services.tracker.get(f.serial)?.state === 'device' && (await f.exec('getprop ro.goldfish.oom.mode').catch(() => '')) === 'seed-faithful\n', 30_000, 200);
  });
});

describe.skipIf(!HAS_ADB)('a suite run on a device this app had set up (real adb)', () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10 });
  });
  afterAll(async () => f?.dispose());

  it('puts the setup back afterwards: modules, the daemon with its T, and the limits', async () => {
    expect((await f.provision({ interval: 2 })).state).toBe('succeeded');
    await f.backend.handlers.setLimit({ serial: f.serial, user: 'u0_a75', mmMax: '64M', grace: 3, apply: true });
    const started = await f.backend.handlers.startScenarioRun({ serial: f.serial, suite: 'seed', payload: { kind: 'auto' } });
    const end = await f.backend.services.scenarios.wait(started.runId);
    expect(end.state).toBe('passed');
    await waitFor('the setup back', async () => {
      const out = await f.exec('lsmod; ps; cat /proc/mm_limits').catch(() => '');
      return /^oom /m.test(out) && /\.\/oom 2|oom$/m.test(out) && out.includes('uid=10075,mm_max=67108864,time_allow_exceed=3') && out;
    }, 30_000, 300);
    const state = await f.backend.handlers.getLimits({ serial: f.serial });
    expect(state.desired).toMatchObject([{ uid: 10075, sync: 'applied' }]);
    expect(f.backend.services.daemon.knownInterval(f.serial)).toBe(2);
  }, 240_000);
});
