import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSession, encodeBatch, encodeHeader, SessionFormatError, type SessionRecord } from './format.js';
import { SessionWriter } from './writer.js';

const header = { serial: 'emulator-5554', device: { model: 'sdk', kernel: '3.4.67' }, startedAt: 1_700_000_000_000 };
const sample = (t: number): SessionRecord => ({ type: 'procs', t, uptimeMs: t - 1_700_000_000_000, procs: [[561, 10070, 107552768, 'test'], [1, 0, 819200, 'init']] });

async function writeSession(records: SessionRecord[], batchSize: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'gf-session-')), 's.gfsession');
  const writer = await SessionWriter.create(path, header);
  records.forEach((record, i) => {
    writer.add(record);
    if ((i + 1) % batchSize === 0) void writer.flush();
  });
  await writer.close();
  return path;
}

describe('session file format', () => {
  it('round-trips every record in order', async () => {
    const records: SessionRecord[] = [
      { type: 'limits', t: 1, limits: [{ uid: 10070, mmMax: 100_000_000, grace: 0 }], interval: 3 },
      sample(2),
      { type: 'log', t: 3, lines: [{ index: 0, ts: 12.5, level: 4, text: 'A process has been killed:' }] },
      { type: 'kill', t: 3, ts: 12.5, killer: 'mm_limit', pid: 561, uid: 10070, pRss: 107552768, uRss: 108490752, mmMax: 100_000_000 },
    ];
    const session = decodeSession(readFileSync(await writeSession(records, 2)));
    expect(session.header).toMatchObject({ format: 'goldfish-session', version: 1, ...header });
    expect(session.records).toEqual(records);
    expect(session.truncated).toBe(false);
  });

  it('opens a file cut short up to its last complete record', async () => {
    const records = Array.from({ length: 50 }, (_, i) => sample(i));
    const full = readFileSync(await writeSession(records, 10));
    const headerAndTwoBatches = Buffer.concat([encodeBatch([encodeHeader(header)]), encodeBatch(records.slice(0, 10)), encodeBatch(records.slice(10, 20))]);
    expect(full.subarray(0, headerAndTwoBatches.length)).toEqual(headerAndTwoBatches);
    for (const cut of [headerAndTwoBatches.length + 7, Math.floor(full.length * 0.9), full.length - 9]) {
      const session = decodeSession(full.subarray(0, cut));
      expect(session.records.length).toBeGreaterThanOrEqual(20);
      expect(session.records.length).toBeLessThan(50);
      expect(session.records).toEqual(records.slice(0, session.records.length));
      expect(session.truncated).toBe(true);
    }
  });

  it('names the version it found and the one it reads', () => {
    const future = encodeBatch([{ type: 'header', format: 'goldfish-session', version: 2, serial: 'x', device: {}, startedAt: 0 } as never]);
    expect(() => decodeSession(future)).toThrow(/format version 2; this app reads version 1/);
  });

  it('refuses files that are not sessions with a clear error', () => {
    expect(() => decodeSession(Buffer.from('hello'))).toThrow(SessionFormatError);
    expect(() => decodeSession(gzipSync('{"type":"procs"}\n'))).toThrow(/no session header/);
    const dir = mkdtempSync(join(tmpdir(), 'gf-session-'));
    writeFileSync(join(dir, 'empty'), '');
    expect(() => decodeSession(readFileSync(join(dir, 'empty')))).toThrow(/not gzip/);
  });
});
