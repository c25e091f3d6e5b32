import { copyFileSync, mkdirSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimPayload } from '../../../native-emulator/node/sim-payload.js';
import type { PipelineRun } from '../../../contract/domains/provisioning.js';
import { deviceFixture, failedStep, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, tempDataDir, waitFor } from '../testing/harness.js';

describe.skipIf(!HAS_ADB)('provisioning a simulated device (real adb + simulator)', () => {
  let f: DeviceFixture;
  const progress: PipelineRun[] = [];

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10 });
    f.backend.events.subscribe((name, payload) => name === 'provisioningProgress' && progress.push(payload as PipelineRun));
  });
  afterAll(async () => f?.dispose());

  it('provisions from scratch: modules in dependency order, daemon running', async () => {
    const run = await f.provision();
    expect(failedStep(run)?.error).toBeUndefined();
    expect(run.state).toBe('succeeded');
    expect(run.steps.map((s) => s.id)).toEqual(['probe', 'payload', 'push', 'insmod', 'verify-modules', 'limits', 'start-daemon', 'verify-daemon']);
    expect(run.steps.find((s) => s.id === 'insmod')?.detail).toMatch(/^loaded mylimit → (oom → set_mm_limit|set_mm_limit → oom)$/);
    expect(progress.some((p) => p.runId === run.runId && p.steps[2].state === 'running')).toBe(true);
    const push = run.steps.find((s) => s.id === 'push')!;
    expect(push.bytes!.done).toBe(push.bytes!.total);
    expect(push.bytes!.total).toBeGreaterThan(0);
    expect(await f.exec('lsmod')).toMatch(/mylimit[\s\S]*|oom/);
    const status = await f.backend.handlers.getDaemonStatus({ serial: f.serial });
    expect(status).toMatchObject({ running: true, interval: 1 });
    // The device list (what the device card shows) follows: probed again once the run ended.
    const probe = await waitFor('a fresh probe', () => {
      const p = f.backend.services.tracker.get(f.serial)?.probe;
      return p?.daemon.running && p.modules.includes('oom') ? p : undefined;
    });
    expect(probe.modules).toEqual(expect.arrayContaining(['mylimit', 'set_mm_limit', 'oom']));
  });

  it('re-running is safe: modules already loaded are skipped, the daemon is replaced', async () => {
    const before = await f.backend.handlers.getDaemonStatus({ serial: f.serial });
    const run = await f.provision({ interval: 2 });
    expect(run.state).toBe('succeeded');
    expect(run.steps.find((s) => s.id === 'insmod')).toMatchObject({ state: 'skipped' });
    const after = await f.backend.handlers.getDaemonStatus({ serial: f.serial });
    expect(after).toMatchObject({ running: true, interval: 2 });
    expect(after.pid).not.toBe(before.pid);
    const daemons = (await f.exec('ps')).split('\n').filter((l) => /\boom\b/.test(l) && !/oom_/.test(l));
    expect(daemons).toHaveLength(1);
  });

  it('reloads on request: daemon stopped, rmmod in reverse order, insmod again', async () => {
    const run = await f.provision({ reload: true });
    expect(run.state).toBe('succeeded');
    expect(run.steps.find((s) => s.id === 'insmod')?.detail).toMatch(/^unloaded (oom, set_mm_limit|set_mm_limit, oom), mylimit; loaded mylimit → /);
    const log = f.backend.services.kernelLog.lines(f.serial).map((l) => l.text);
    expect(log.filter((t) => t === 'module exit!').length).toBeGreaterThanOrEqual(3);
  });

  it('reports a payload built for another kernel before pushing anything', async () => {
    const dir = tempDataDir('payload-bad-');
    const good = tempDataDir('payload-good-');
    await buildSimPayload(good);
    for (const name of readdirSync(good)) copyFileSync(join(good, name), join(dir, name));
    const bytes = (await import('node:fs')).readFileSync(join(dir, 'oom.ko')).toString('latin1').replace(/vermagic=3\.4\.67/, 'vermagic=9.9.99');
    writeFileSync(join(dir, 'oom.ko'), Buffer.from(bytes, 'latin1'));
    const run = await f.provision({ payload: { kind: 'folder', path: dir } });
    expect(run.state).toBe('failed');
    expect(failedStep(run)).toMatchObject({ id: 'payload', error: { code: 'payload-mismatch', step: 'payload', message: expect.stringContaining('oom.ko was built for kernel 9.9.99'), hint: expect.stringContaining('Nothing was pushed') } });
    expect(run.steps.find((s) => s.id === 'push')?.state).toBe('pending');
  });

  it('a push interrupted by killing the simulator ends in a clear error, and the next run succeeds', async () => {
    const dir = tempDataDir('payload-big-');
    const good = tempDataDir('payload-good-');
    await buildSimPayload(good);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(good)) copyFileSync(join(good, name), join(dir, name));
    appendFileSync(join(dir, 'test'), Buffer.alloc(256 * 1024 * 1024)); // a big program: the push takes a while
    const handle = f.backend.services.provisioning.start({ serial: f.serial, payload: { kind: 'folder', path: dir }, interval: 1, reload: false });
    await waitFor('the push to be under way', () => progress.some((p) => p.runId === handle.run.runId && (p.steps[2].bytes?.done ?? 0) > 8 * 1024 * 1024), 30_000, 5);
    f.backend.services.simulators.crash(f.serial);
    const run = await handle.done;
    expect(run.state).toBe('failed');
    expect(failedStep(run)).toMatchObject({ id: 'push', error: { code: 'push-failed', step: 'push', hint: expect.stringContaining('run provisioning again') } });
    expect(failedStep(run)!.error!.message).toMatch(/^Pushing test stopped at [\d.]+ MiB of 256 MiB: /);

    await waitFor('adb to notice the crash', () => f.backend.services.tracker.get(f.serial)?.state !== 'device', 15_000);
    await f.backend.handlers.restartSimulator({ serial: f.serial });
    await waitFor('the device back', () => f.backend.services.tracker.get(f.serial)?.state === 'device', 30_000);
    const again = await f.provision();
    expect(failedStep(again)?.error, JSON.stringify(failedStep(again))).toBeUndefined();
    expect(again.state).toBe('succeeded');
  });

  it('can be cancelled', async () => {
    const handle = f.backend.services.provisioning.start({ serial: f.serial, payload: { kind: 'auto' }, interval: 1, reload: true });
    await f.backend.handlers.cancelProvisioning({ runId: handle.run.runId });
    const run = await handle.done;
    expect(run.state).toBe('cancelled');
    expect(run.steps.some((s) => s.state === 'cancelled')).toBe(true);
  });
});
