import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, NO_ADB_REASON, waitFor } from '../testing/harness.js';
import { decodeSession } from './format.js';

const LIMIT = 100_000_000;

describe.skipIf(!HAS_ADB)(`session recording and replay (real adb + simulator)${HAS_ADB ? '' : ` — ${NO_ADB_REASON}`}`, () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 2, seed: 3 });
    expect((await f.provision({ interval: 3 })).state).toBe('succeeded');
  }, 120_000);
  afterAll(async () => f?.dispose());

  it("records the seed's test 2 and replays it to exactly the kills that happened", async () => {
    const { handlers } = f.backend;
    await handlers.setLimit({ serial: f.serial, user: 'u0_a70', mmMax: LIMIT, grace: 0, apply: true });
    await handlers.startSampling({ serial: f.serial, hz: 4 });
    const recording = await handlers.startRecording({ serial: f.serial });
    expect((await handlers.listSessions({})).find((s) => s.id === recording.id)?.recording).toBe(true);

    const workload = await handlers.runWorkload({ serial: f.serial, spec: { kind: 'test', user: 'u0_a70', limit: LIMIT, mems: [20_000_000, 30_000_000, 160_000_000], grace: 0, ignoreTerm: false } });
    await waitFor('test 2 to end', async () => (await handlers.listWorkloads({ serial: f.serial })).find((w) => w.id === workload.id)?.state !== 'running', 60_000, 200);
    await waitFor('the kill to be captured', async () => (await handlers.getKills({ serial: f.serial })).some((k) => k.killer === 'mm_limit'), 10_000);
    // The module's kill line names only a pid; the sampler's last samples name the process.
    expect((await handlers.getKills({ serial: f.serial })).find((k) => k.killer === 'mm_limit')?.comm).toBe('test');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const stopped = await handlers.stopRecording({ serial: f.serial });
    expect(stopped.recording).toBe(false);

    const session = decodeSession(readFileSync(stopped.path));
    expect(session.truncated).toBe(false);
    expect(session.records.filter((r) => r.type === 'procs').length).toBeGreaterThan(10);
    expect(session.records.some((r) => r.type === 'procs' && (r.lastCheckMs ?? 0) > 0)).toBe(true);

    const summary = await handlers.openSession({ session: { id: stopped.id } });
    expect(summary.settings).toEqual({ interval: 3, limits: [{ uid: 10070, mmMax: LIMIT, grace: 0 }] });
    expect(summary.kills).toHaveLength(1);
    expect(summary.series.find((s) => s.uid === 10070)!.points.some(([, rss]) => rss > LIMIT * 0.9)).toBe(true);

    const replayed = await handlers.replaySession({ session: { id: stopped.id }, settings: summary.settings! });
    expect(replayed.predicted.map((k) => k.pid)).toEqual(replayed.actual.map((k) => k.pid));
    expect(Math.abs(replayed.predicted[0].checkMs - replayed.actual[0].atMs)).toBeLessThanOrEqual(3000);

    const higher = await handlers.replaySession({ session: { id: stopped.id }, settings: { interval: 3, limits: [{ uid: 10070, mmMax: 300_000_000, grace: 0 }] } });
    expect(higher.predicted).toEqual([]);
    const rows = await handlers.sweepSession({ session: { id: stopped.id }, uid: 10070, from: 50_000_000, to: 250_000_000, steps: 4, grace: 0, interval: 3 });
    expect(rows.at(-1)!.kills).toBe(0);
  }, 120_000);

  it('refuses to record a device it does not know and to stop a recording that is not running', async () => {
    await expect(f.backend.handlers.startRecording({ serial: 'emulator-9998' })).rejects.toThrow(/not online/);
    await expect(f.backend.handlers.stopRecording({ serial: f.serial })).rejects.toThrow(/not being recorded/);
  });
});
