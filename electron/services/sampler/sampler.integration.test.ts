import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplePoint } from '../../../contract/domains/monitor.js';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, waitFor } from '../testing/harness.js';
import { aggregateByUid, parseMemsample, parsePs } from './parse.js';
import { takeSample } from './sampler-service.js';

const PAGE = 4096;

describe.skipIf(!HAS_ADB)('sampler (real adb + simulator)', () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10 });
    expect((await f.provision()).state).toBe('succeeded');
  });
  afterAll(async () => f?.dispose());

  it('per-uid totals match /proc within one page per process (memsample and ps alike)', async () => {
    const io = f.backend.services.tracker.io(f.serial);
    const pids = (await takeSample(io, 'memsample')).processes.map((p) => p.pid);
    // One shell: memsample, then every process's statm, at the same moment of the device.
    const both = await f.exec(`/data/local/tmp/memsample; echo @@SPLIT; ${pids.map((pid) => `echo @${pid}; cat /proc/${pid}/statm`).join('; ')}`);
    const [memsampleText, statm] = both.split('@@SPLIT');
    const sample = parseMemsample(memsampleText);
    const resident = new Map<number, number>();
    for (const m of statm.matchAll(/@(\d+)\n\d+ (\d+)/g)) resident.set(Number(m[1]), Number(m[2]) * PAGE);
    const byUidProc = new Map<number, { rss: number; count: number }>();
    for (const p of sample.processes) {
      if (!resident.has(p.pid)) continue; // exited in between
      const entry = byUidProc.get(p.uid) ?? { rss: 0, count: 0 };
      entry.rss += resident.get(p.pid)!;
      entry.count++;
      byUidProc.set(p.uid, entry);
    }
    const diffs = sample.processes.filter((p) => resident.has(p.pid) && Math.abs(resident.get(p.pid)! - p.rss) > PAGE).map((p) => `${p.pid} ${p.comm} ${p.rss} vs ${resident.get(p.pid)}`);
    expect(diffs).toEqual([]);
    const totals = aggregateByUid(sample.processes.filter((p) => resident.has(p.pid))).totals;
    expect(totals.length).toBeGreaterThan(2);
    for (const total of totals) {
      const proc = byUidProc.get(total.uid)!;
      expect(Math.abs(total.rss - proc.rss), `uid ${total.uid}`).toBeLessThanOrEqual(PAGE * proc.count);
    }
    // ps (the fallback) agrees with memsample for every process both saw, read in one shell.
    const pair = await f.exec(`/data/local/tmp/memsample; echo @@SPLIT; cat /proc/uptime; ps -A`);
    const [m, p] = pair.split('@@SPLIT');
    const fromPs = new Map(parsePs(p).processes.map((row) => [row.pid, row]));
    const compared = parseMemsample(m).processes.filter((row) => fromPs.has(row.pid));
    expect(compared.length).toBeGreaterThan(5);
    for (const row of compared) {
      expect(fromPs.get(row.pid)!.uid, `pid ${row.pid}`).toBe(row.uid);
      expect(Math.abs(fromPs.get(row.pid)!.rss - row.rss), `pid ${row.pid} ${row.comm}`).toBeLessThanOrEqual(PAGE);
    }
  });

  it('samples at 4 Hz with one round trip each, into the ring, and emits batches', async () => {
    const batches: SamplePoint[][] = [];
    const off = f.backend.events.subscribe((name, payload) => name === 'samples' && batches.push((payload as { points: SamplePoint[] }).points));
    const status = await f.backend.handlers.startSampling({ serial: f.serial, hz: 4 });
    expect(status).toMatchObject({ running: true, hz: 4 });
    await waitFor('two batches', () => batches.length >= 2, 10_000);
    const stopped = await f.backend.handlers.stopSampling({ serial: f.serial });
    off();
    expect(stopped.method).toBe('memsample');
    expect(stopped.samples).toBeGreaterThanOrEqual(4);
    expect(batches.flat().length).toBeGreaterThan(batches.length); // batched, not one event per point
    const points = await f.backend.handlers.getSamples({ serial: f.serial });
    expect(points.length).toBe(stopped.samples);
    expect(points[0].uids.some(([uid]) => uid === 0)).toBe(true);
    const root = await f.backend.handlers.getUidProcesses({ serial: f.serial, uid: 0 });
    expect(root.length).toBeGreaterThan(0);
    expect(root[0].rss).toBeGreaterThanOrEqual(root.at(-1)!.rss);
  });
});
