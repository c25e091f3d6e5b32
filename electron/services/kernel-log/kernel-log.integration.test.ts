import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillEvent } from '../../../contract/domains/kernel-log.js';
import { deviceFixture, type DeviceFixture } from '../testing/device-fixture.js';
import { HAS_ADB, tempDataDir, waitFor } from '../testing/harness.js';
import { KernelLogService } from './kernel-log-service.js';

/** Writes `count` numbered marker lines to the kernel log, `batch` per adb round trip. */
async function mark(f: DeviceFixture, tag: string, from: number, count: number, batch = 200): Promise<void> {
  for (let i = from; i < from + count; i += batch) {
    const cmds: string[] = [];
    for (let j = i; j < Math.min(from + count, i + batch); j++) cmds.push(`echo ${tag} ${j} > /dev/kmsg`);
    await f.exec(cmds.join('; '));
  }
}

function assertExactlyOnce(texts: string[], tag: string, total: number): void {
  const counts = new Map<number, number>();
  for (const t of texts) {
    const m = new RegExp(`^${tag} (\\d+)$`).exec(t);
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  }
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !counts.has(i));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([i]) => i);
  expect({ missing: missing.slice(0, 10), missingCount: missing.length, duplicated: duplicated.slice(0, 10) }).toEqual({ missing: [], missingCount: 0, duplicated: [] });
}

describe.skipIf(!HAS_ADB)('kernel-log capture (real adb + simulator)', () => {
  let f: DeviceFixture;

  beforeAll(async () => {
    f = await deviceFixture({ speed: 10 });
  });
  afterAll(async () => f?.dispose());

  it('captures from connect through dmesg -c and a wrapped ring: nothing lost, nothing duplicated (kmsg)', async () => {
    const log = f.backend.services.kernelLog;
    await waitFor('capture to start', () => log.method(f.serial) === 'kmsg', 10_000);
    await mark(f, 'mk', 0, 300);
    await f.exec('dmesg -c > /dev/null');
    await mark(f, 'mk', 300, 300);
    // ~2,400 lines of ~70 bytes: well past the 128 KiB ring.
    await mark(f, 'mk', 600, 2400, 400);
    await waitFor('every marker', () => log.lines(f.serial).filter((l) => l.text.startsWith('mk ')).length >= 3000, 20_000);
    const lines = log.lines(f.serial);
    assertExactlyOnce(lines.map((l) => l.text), 'mk', 3000);
    expect(lines.every((l, i) => l.index === lines[0].index + i)).toBe(true);
    expect(lines[0].index).toBe(0);
  });

  it('the dmesg-polling fallback also loses and duplicates nothing across dmesg -c and a wrap (polled in between)', async () => {
    const service = new KernelLogService({ dataDir: tempDataDir(), io: () => f.backend.services.tracker.io(f.serial), preferKmsg: false, pollMs: 100 });
    service.start(f.serial);
    try {
      const count = () => service.lines(f.serial).filter((l) => l.text.startsWith('dm ')).length;
      await waitFor('first poll', () => service.lines(f.serial).length > 0, 10_000);
      await mark(f, 'dm', 0, 200);
      await waitFor('200 captured', () => count() >= 200, 10_000);
      await f.exec('dmesg -c > /dev/null');
      await mark(f, 'dm', 200, 200);
      await waitFor('400 captured', () => count() >= 400, 10_000);
      for (let i = 400; i < 2800; i += 400) {
        await mark(f, 'dm', i, 400, 400);
        await waitFor(`${i + 400} captured`, () => count() >= i + 400, 10_000);
      }
      assertExactlyOnce(service.lines(f.serial).map((l) => l.text), 'dm', 2800);
    } finally {
      service.dispose();
    }
  });

  it('searches and exports', async () => {
    const found = await f.backend.handlers.queryLog({ serial: f.serial, text: '^mk 12\\d$', regex: true, from: 0, limit: 5, killsOnly: false });
    expect(found.total).toBe(10);
    expect(found.lines).toHaveLength(5);
    const exported = await f.backend.handlers.exportLog({ serial: f.serial, format: 'json' });
    expect(exported.lines).toBeGreaterThan(3000);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(exported.path, 'utf8')).lines.length).toBe(exported.lines);
    const session = f.backend.services.kernelLog.sessionFile(f.serial)!;
    await waitFor('the session file to hold the markers', () => readFileSync(session, 'utf8').includes('mk 2999'), 5000);
  });

  it("sees the seed's test 1 end to end as a kill attributed to our module", async () => {
    const run = await f.provision({ interval: 1 });
    expect(run.state).toBe('succeeded');
    const kills: KillEvent[] = [];
    f.backend.events.subscribe((name, payload) => name === 'kills' && kills.push(...(payload as { kills: KillEvent[] }).kills));
    const workload = await f.backend.handlers.runWorkload({ serial: f.serial, spec: { kind: 'test', user: 'u0_a70', limit: 100000000, mems: [160000000], grace: 0, ignoreTerm: false } });
    const done = await f.backend.services.workloads.wait(workload.id);
    expect(done.output).toMatch(/pw->uid=10070, pw->name=u0_a70/);
    const child = Number(/child process start malloc: pid=(\d+), uid=10070, mem=160000000/.exec(done.output)?.[1]);
    expect(child).toBeGreaterThan(0);
    await waitFor('the kill event', () => kills.find((k) => k.pid === child), 10_000);
    const kill = kills.find((k) => k.pid === child)!;
    expect(kill).toMatchObject({ killer: 'mm_limit', uid: 10070, mmMax: 100000000, signal: 'SIGTERM' });
    expect(kill.uRss).toBeGreaterThan(100000000);
    expect((await f.backend.handlers.getKills({ serial: f.serial })).some((k) => k.pid === child && k.killer === 'mm_limit')).toBe(true);
    expect(done.output).not.toMatch(/child process finish malloc: pid=${child}/);
  });
});
