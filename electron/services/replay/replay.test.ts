import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOAD_AND_START, seedBench } from '../../../native-emulator/core/testing/seed-harness.js';
import { decodeSession, encodeBatch, encodeHeader, type SessionRecord } from '../session/format.js';
import { actualKills, replay, settingsInForce, sweep } from './replay.js';

const LIMIT = 100_000_000;
const T = 3;

/**
 * Records a session from the simulated device running the seed's test 2: memsample every 250 ms of device
 * time (as the app's sampler does over adb) and the module's kill lines from dmesg.
 */
function recordSeedTest2(): Buffer {
  const bench = seedBench({ seed: 7 });
  expect(bench.run(LOAD_AND_START).exitCode).toBe(0);
  const records: SessionRecord[] = [{ type: 'limits', t: 0, limits: [{ uid: 10070, mmMax: LIMIT, grace: 0 }], interval: T }];
  const workload = bench.start('cd /data/misc; ./test u0_a70 100000000 20000000 30000000 160000000');
  for (let i = 0; i < 80 && workload.exitCode === null; i++) {
    const sample = bench.run('/data/misc/memsample; cat /proc/mm_oom_check').stdout.trim().split('\n');
    const uptimeMs = Number(sample[0].split(' ')[1]);
    const lastCheckMs = Number(/last_check_ms=(\d+)/.exec(sample.pop() ?? '')?.[1]);
    const procs = sample.slice(1).map((line) => {
      const [pid, uid, rssKb, comm] = line.split(' ');
      return [Number(pid), Number(uid), Number(rssKb) * 1024, comm] as [number, number, number, string];
    });
    records.push({ type: 'procs', t: uptimeMs, uptimeMs, lastCheckMs, procs });
    bench.wait(0.25);
  }
  const lines = bench.timedMessages();
  lines.forEach(([ts, text], i) => {
    const kill = /^uid=(\d+), uRSS=(\d+), mm_max=(\d+), pid=(\d+), pRSS=(\d+)$/.exec(text);
    if (kill && lines[i - 1]?.[1] === 'A process has been killed:') {
      records.push({ type: 'kill', t: ts * 1000, ts, killer: 'mm_limit', uid: Number(kill[1]), uRss: Number(kill[2]), mmMax: Number(kill[3]), pid: Number(kill[4]), pRss: Number(kill[5]) });
    }
  });
  return Buffer.concat([encodeBatch([encodeHeader({ serial: 'emulator-5554', device: { model: 'sdk' }, startedAt: 0 })]), encodeBatch(records)]);
}

describe('what-if replay', () => {
  const file = recordSeedTest2();
  const session = decodeSession(file);
  const actual = actualKills(session);

  it('records the seed test 2 kill to compare against', () => {
    expect(actual).toHaveLength(1);
    expect(actual[0].uid).toBe(10070);
  });

  it('predicts exactly the kills that happened, with the settings that were in force', () => {
    const inForce = settingsInForce(session)!;
    expect(inForce).toEqual({ limits: [{ uid: 10070, mmMax: LIMIT, grace: 0 }], interval: T });
    const predicted = replay(session, inForce).kills;
    expect(predicted.map((kill) => kill.pid)).toEqual(actual.map((kill) => kill.pid));
    expect(Math.abs(predicted[0].checkMs - actual[0].atMs)).toBeLessThanOrEqual(T * 1000);
    expect(predicted[0].comm).toBe('test');
  });

  it('predicts no kill with a limit above what the user ever used', () => {
    expect(replay(session, { limits: [{ uid: 10070, mmMax: 400_000_000, grace: 0 }], interval: T }).kills).toEqual([]);
  });

  it('lets a long enough grace period save the process', () => {
    expect(replay(session, { limits: [{ uid: 10070, mmMax: LIMIT, grace: 60 }], interval: T }).kills).toEqual([]);
  });

  it('sweeps limits and kills fewer processes as the limit grows', () => {
    const rows = sweep(
      session,
      [40, 60, 100, 150, 250].map((mb) => ({ limits: [{ uid: 10070, mmMax: mb * 1_000_000, grace: 0 }], interval: T })),
    );
    const kills = rows.map((row) => row.kills);
    expect(kills[0]).toBeGreaterThanOrEqual(1);
    expect(kills.at(-1)).toBe(0);
    for (let i = 1; i < kills.length; i++) expect(kills[i]).toBeLessThanOrEqual(kills[i - 1]);
  });

  it('answers from the command line: npm run replay -- SESSION --uid --limit --grace --interval', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gf-replay-')), 'test2.gfsession');
    writeFileSync(path, file);
    const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/replay.ts', path, ...args], { encoding: 'utf8' });
    const inForce = run();
    expect(inForce).toContain('Predicted kills: 1');
    expect(inForce).toContain(`pid=${actual[0].pid} (test) uid=10070`);
    expect(run('--uid', 'u0_a70', '--limit', '400M', '--grace', '5', '--interval', '2')).toContain('Predicted kills: 0');
    expect(run('--uid', '10070', '--sweep', '50M:200M:50M')).toMatch(/mm_max\s+kills/);
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/replay.ts', path, '--uid', 'root', '--limit', '1M'], { stdio: 'pipe' })).toThrow(/uid 0/);
  });
});
