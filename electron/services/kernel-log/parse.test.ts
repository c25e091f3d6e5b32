import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBoot } from './capture.js';
import { DmesgDeduper, KmsgSequencer } from './dedup.js';
import { LogEventParser, type LogEvent } from './parse-events.js';
import { KmsgSplitter, parseDmesg, type RawLogLine } from './parse-line.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const numbered = (lines: RawLogLine[]) => lines.map((line, index) => ({ ...line, index }));

describe('dmesg line parsing', () => {
  it('reads levels, timestamps and text from a 3.4 goldfish dmesg -r', () => {
    const lines = parseDmesg(fixture('goldfish-3.4-test1.dmesg'));
    expect(lines).toHaveLength(23);
    expect(lines[4]).toEqual({ ts: 101.532011, level: 4, text: 'module load!' });
    expect(lines[1].level).toBe(5);
  });

  it('reads plain dmesg (no level) and keeps untimestamped continuation lines', () => {
    const lines = parseDmesg(fixture('modern-6.1.dmesg'));
    expect(lines).toHaveLength(9);
    expect(lines[0].level).toBe(6);
    expect(lines[5].text).toMatch(/^lowmemorykiller: Killing/);
  });

  it('splits /dev/kmsg records across chunks, skipping dictionary lines and unescaping', () => {
    const text = fixture('kmsg.txt');
    const splitter = new KmsgSplitter();
    const records = [...splitter.push(text.slice(0, 37)), ...splitter.push(text.slice(37, 150)), ...splitter.push(text.slice(150))];
    expect(records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records[2]).toEqual({ ts: 101.532011, level: 4, text: 'module load!', seq: 2 });
    expect(records[5].text).toBe('tab\tand backslash\\ here');
  });
});

describe('kernel log events', () => {
  it('attributes every kill in a 3.4 goldfish log to its killer', () => {
    const parser = new LogEventParser();
    const events = [...parser.push(numbered(parseDmesg(fixture('goldfish-3.4-test1.dmesg')))), ...parser.flush()];
    const kills = events.filter((e): e is Extract<LogEvent, { kind: 'kill' }> => e.kind === 'kill').map((e) => e.kill);
    expect(kills).toEqual([
      { index: 11, ts: 155.000318, killer: 'mm_limit', uid: 10070, uRss: 108490752, mmMax: 100000000, pid: 561, pRss: 107552768, signal: 'SIGTERM' },
      { index: 12, ts: 158.000402, killer: 'mm_limit', uid: 10070, pid: 561, signal: 'SIGKILL' },
      { index: 15, ts: 170.22105, killer: 'kernel_oom', pid: 1201, comm: 'mmhog', pRss: (390012 + 188) * 1024, uid: undefined, signal: 'SIGKILL' },
      { index: 17, ts: 180.500022, killer: 'lowmemorykiller', pid: 1188, comm: 'com.android.music', pRss: 5120 * 4096, signal: 'SIGKILL' },
    ]);
    expect(events.filter((e) => e.kind === 'module-load').length).toBe(3);
    expect(events.filter((e) => e.kind === 'module-exit').length).toBe(1);
    const listings = events.filter((e) => e.kind === 'limits');
    expect(listings).toEqual([
      { kind: 'limits', index: 8, limits: [{ uid: 10070, mmMax: 100000000, grace: 0 }] },
      { kind: 'limits', index: 18, limits: [{ uid: 10070, mmMax: 1000000000, grace: 20 }, { uid: 10071, mmMax: 52428800, grace: 0 }] },
    ]);
    expect(events.find((e) => e.kind === 'grace-started')).toMatchObject({ uid: 10070, grace: 20 });
  });

  it('reads the modern kernel OOM, memcg OOM, lmkd and kernel lowmemorykiller formats', () => {
    const parser = new LogEventParser();
    const kills = parser
      .push(numbered(parseDmesg(fixture('modern-6.1.dmesg'))))
      .flatMap((e) => (e.kind === 'kill' ? [e.kill] : []));
    expect(kills.map((k) => [k.killer, k.pid, k.comm, k.uid])).toEqual([
      ['kernel_oom', 4242, 'memhog', 10123],
      ['lmkd', 3310, 'com.google.android.apps.photos', 10112],
      ['lowmemorykiller', 2211, 'd.process.media', undefined],
      ['kernel_oom', 5000, 'stress', 0],
    ]);
    expect(kills[0].pRss).toBe((1949696 + 1024) * 1024);
  });

  it('completes a limit listing split across two batches, and an empty listing', () => {
    const parser = new LogEventParser();
    expect(parser.push([{ index: 0, ts: 1, text: 'Existing memory limitations:' }, { index: 1, ts: 1, text: 'uid=10070,mm_max=5,time_allow_exceed=2' }])).toEqual([]);
    expect(parser.push([{ index: 2, ts: 1, text: 'uid=10080,mm_max=6,time_allow_exceed=0' }, { index: 3, ts: 2, text: 'Existing memory limitations:' }])).toEqual([
      { kind: 'limits', index: 0, limits: [{ uid: 10070, mmMax: 5, grace: 2 }, { uid: 10080, mmMax: 6, grace: 0 }] },
    ]);
    expect(parser.flush()).toEqual([{ kind: 'limits', index: 3, limits: [] }]);
  });

  it("reads the seed's own printk (prSS, leading space)", () => {
    const [event] = new LogEventParser().push([{ index: 7, ts: 3, text: ' uid=10070, uRSS=151519232, mm_max=1000000000, pid=1061, prSS=150577152' }]);
    expect(event).toMatchObject({ kind: 'kill', kill: { killer: 'mm_limit', pid: 1061, pRss: 150577152 } });
  });
});

function ring(lines: Array<[number, string]>): RawLogLine[] {
  return lines.map(([ts, text]) => ({ ts, level: 6, text }));
}

describe('dmesg snapshot de-duplication', () => {
  it('takes only new lines from successive snapshots', () => {
    const d = new DmesgDeduper();
    expect(d.ingest(ring([[1, 'a'], [2, 'b']])).fresh.map((l) => l.text)).toEqual(['a', 'b']);
    expect(d.ingest(ring([[1, 'a'], [2, 'b'], [3, 'c']]))).toMatchObject({ fresh: [{ text: 'c' }], cleared: false, wrapped: false });
    expect(d.ingest(ring([[1, 'a'], [2, 'b'], [3, 'c']])).fresh).toEqual([]);
  });

  it('keeps repeated identical lines at one timestamp (counts them)', () => {
    const d = new DmesgDeduper();
    d.ingest(ring([[1, 'x'], [5, 'module load!']]));
    const r = d.ingest(ring([[1, 'x'], [5, 'module load!'], [5, 'module load!'], [5, 'other'], [5, 'module load!']]));
    expect(r.fresh.map((l) => l.text)).toEqual(['module load!', 'other', 'module load!']);
    expect(d.ingest(ring([[5, 'module load!'], [5, 'module load!'], [5, 'other'], [5, 'module load!']])).fresh).toEqual([]);
  });

  it('detects dmesg -c (cleared) and takes the lines written after it', () => {
    const d = new DmesgDeduper();
    d.ingest(ring([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]));
    expect(d.ingest([])).toMatchObject({ cleared: true, fresh: [] });
    expect(d.ingest(ring([[5, 'e']]))).toMatchObject({ fresh: [{ text: 'e' }] });
    // cleared and refilled between two polls
    const r = d.ingest(ring([[6, 'f'], [7, 'g']]));
    expect(r).toMatchObject({ cleared: true, wrapped: false, gap: false });
    expect(r.fresh.map((l) => l.text)).toEqual(['f', 'g']);
  });

  it('detects a wrapped ring, and a wrap past our position as a possible gap', () => {
    const d = new DmesgDeduper();
    d.ingest(ring([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]));
    const wrapped = d.ingest(ring([[3, 'c'], [4, 'd'], [5, 'e'], [6, 'f']]));
    expect(wrapped).toMatchObject({ wrapped: true, cleared: false, gap: false });
    expect(wrapped.fresh.map((l) => l.text)).toEqual(['e', 'f']);
    const past = d.ingest(ring([[9, 'i'], [10, 'j'], [11, 'k'], [12, 'l']]));
    expect(past).toMatchObject({ wrapped: true, gap: true });
    expect(past.fresh).toHaveLength(4);
  });

  it('starts over when timestamps go back (reboot)', () => {
    const d = new DmesgDeduper();
    d.ingest(ring([[100, 'old']]));
    expect(d.ingest(ring([[0, 'Linux version'], [1, 'boot']]))).toMatchObject({ cleared: true, fresh: [{ text: 'Linux version' }, { text: 'boot' }] });
  });
});

describe('kmsg sequencing', () => {
  it('skips records re-read after a reconnect and counts records lost to a wrap', () => {
    const s = new KmsgSequencer();
    const rec = (seq: number) => ({ ts: seq, level: 6, text: `l${seq}`, seq });
    expect(s.ingest([rec(0), rec(1), rec(2)]).fresh).toHaveLength(3);
    expect(s.ingest([rec(1), rec(2), rec(3)])).toEqual({ fresh: [rec(3)], lost: 0 });
    expect(s.ingest([rec(7), rec(8)])).toEqual({ fresh: [rec(7), rec(8)], lost: 3 });
  });
});

describe('which boot the device is in', () => {
  it('reads boot_id and uptime, and uptime alone from a kernel without boot_id', () => {
    expect(parseBoot('0F3c9a5e-1b2d-4e6f-8a9b-0c1d2e3f4a5b\n123.45 110.02\n')).toEqual({ bootId: '0f3c9a5e-1b2d-4e6f-8a9b-0c1d2e3f4a5b', uptime: 123.45 });
    expect(parseBoot('9.00 8.37\n')).toEqual({ uptime: 9 });
    expect(parseBoot('/system/bin/sh: cat: /proc/uptime: No such file or directory\n')).toEqual({});
  });
});
