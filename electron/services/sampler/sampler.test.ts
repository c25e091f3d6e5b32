import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregateByUid, parseMemsample, parsePs } from './parse.js';
import { SampleRing } from './ring.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('sample parsing', () => {
  it('parses memsample output', () => {
    const sample = parseMemsample(fixture('memsample.txt'));
    expect(sample).toMatchObject({ uptimeMs: 1532210, memTotalKb: 1033452, memFreeKb: 402116 });
    expect(sample.processes).toHaveLength(8);
    expect(sample.processes[4]).toEqual({ pid: 561, uid: 10070, rss: 105032 * 1024, comm: 'test' });
  });

  it('refuses output without the header line', () => {
    expect(() => parseMemsample('/system/bin/sh: memsample: not found\n')).toThrow(/no header/);
  });

  it('parses toybox ps with a UID column', () => {
    const sample = parsePs(fixture('ps-toybox.txt'));
    expect(sample.uptimeMs).toBe(5321440);
    expect(sample.processes.map((p) => [p.pid, p.uid, p.rss / 1024, p.comm])).toEqual([
      [1, 0, 9336, 'init'],
      [412, 1000, 171044, 'system_server'],
      [561, 10070, 105032, 'test'],
      [562, 10070, 20036, 'test'],
      [3310, 10112, 88012, 'com.google.android.apps.photos'],
    ]);
  });

  it("parses 4.4 toolbox ps, resolving USER names to uids and skipping ps's complaint", () => {
    const sample = parsePs(fixture('ps-toolbox-4.4.txt'));
    expect(sample.processes.map((p) => [p.pid, p.uid, p.rss / 1024, p.comm])).toEqual([
      [1, 0, 412, '/init'],
      [412, 1000, 61344, 'system_server'],
      [561, 10070, 105032, '/data/local/tmp/test'],
      [562, 10070, 20036, '/data/local/tmp/test'],
      [601, 10071, 30720, 'com.example.app'],
    ]);
  });

  it('parses toybox ps -A, resolving Android user names (fixed ids, apps, isolated)', () => {
    expect(parsePs(fixture('ps-toybox-A.txt')).processes.map((p) => [p.pid, p.uid, p.comm])).toEqual([
      [1, 0, 'init'],
      [612, 1041, 'audioserver'],
      [3310, 10112, 'com.google.android.apps.photos'],
      [4000, 99003, 'com.android.chrome:sandboxed_process0'],
    ]);
  });

  it('sums RSS per uid, counts processes and keeps the largest first', () => {
    const { totals, top } = aggregateByUid(parseMemsample(fixture('memsample.txt')).processes, 2);
    expect(totals.find((t) => t.uid === 10070)).toEqual({ uid: 10070, rss: (700 + 105032 + 20036) * 1024, count: 3 });
    expect(totals.map((t) => t.uid)).toEqual([0, 1000, 2000, 10070, 10071]);
    expect(top.get(10070)!.map((p) => p.pid)).toEqual([561, 562]);
  });
});

describe('sample ring', () => {
  it('keeps the newest samples when it wraps, with per-uid values', () => {
    const ring = new SampleRing(3);
    for (let i = 1; i <= 5; i++) ring.push({ t: i * 1000, uptimeMs: i, uids: i % 2 ? [[10070, i * 1024, i]] : [[0, 4096, 1], [10070, i * 1024, 1]] });
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(5);
    expect(ring.since()).toEqual([
      { t: 3000, uptimeMs: 3, uids: [[10070, 3072, 3]] },
      { t: 4000, uptimeMs: 4, uids: [[0, 4096, 1], [10070, 4096, 1]] },
      { t: 5000, uptimeMs: 5, uids: [[10070, 5120, 5]] },
    ]);
    expect(ring.since(4000).map((p) => p.t)).toEqual([5000]);
  });

  it('holds 4 hours at 1 Hz for 50 uids in under 5 MB', () => {
    const ring = new SampleRing(14_400);
    const uids: Array<[number, number, number]> = Array.from({ length: 50 }, (_, i) => [10000 + i, 1e8, 3]);
    for (let i = 0; i < 20_000; i++) ring.push({ t: i, uids });
    expect(ring.size).toBe(14_400);
    expect(ring.bytes).toBeLessThan(5 * 1024 * 1024);
    expect(ring.since(19_998)).toHaveLength(1);
  });
});
