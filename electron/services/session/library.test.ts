import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBatch, encodeHeader, type SessionRecord } from './format.js';
import { SessionLibrary, sessionFileName } from './library.js';

const MiB = 1024 * 1024;

function writeRamp(dir: string): string {
  const records: SessionRecord[] = [{ type: 'limits', t: 0, limits: [{ uid: 10070, mmMax: 100 * MiB, grace: 0 }], interval: 1 }];
  for (let s = 0; s <= 20; s++) {
    records.push({ type: 'procs', t: s * 1000, uptimeMs: s * 1000, procs: [[1, 0, 2 * MiB, 'init'], [500, 10070, s * 10 * MiB, 'hog'], [501, 10070, 5 * MiB, 'small']] });
  }
  const name = sessionFileName('emulator-5554', 1000);
  writeFileSync(join(dir, name), Buffer.concat([encodeBatch([encodeHeader({ serial: 'emulator-5554', device: { model: 'sdk' }, startedAt: 0 })]), encodeBatch(records)]));
  return name;
}

describe('session library', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gf-library-'));
  const id = writeRamp(dir);
  const library = new SessionLibrary(dir);

  it('lists sessions with serial and start time from the file name', async () => {
    expect(await library.list()).toEqual([{ id, path: join(dir, id), serial: 'emulator-5554', startedAt: 1000, bytes: expect.any(Number), recording: false }]);
  });

  it('summarises per-uid series, settings in force and recorded kills', async () => {
    const summary = await library.summary({ id });
    expect(summary.samples).toBe(21);
    expect(summary.settings).toEqual({ interval: 1, limits: [{ uid: 10070, mmMax: 100 * MiB, grace: 0 }] });
    expect(summary.series.map((s) => s.uid)).toEqual([0, 10070]);
    expect(summary.series[1].points[3]).toEqual([3000, 35 * MiB]);
  });

  it('replays and sweeps', async () => {
    const replayed = await library.replay({ id }, { interval: 1, limits: [{ uid: 10070, mmMax: 100 * MiB, grace: 0 }] });
    expect(replayed.predicted.map((kill) => kill.pid)).toEqual([500]);
    const rows = await library.sweep({ id }, { uid: 10070, from: 50 * MiB, to: 250 * MiB, steps: 4, grace: 0, interval: 1 });
    expect(rows.map((row) => [row.mmMax / MiB, row.kills])).toEqual([[50, 1], [100, 1], [150, 1], [200, 0], [250, 0]]);
  });

  it('refuses ids that try to leave the folder, and files that are not sessions', async () => {
    await expect(library.summary({ id: '../../etc/passwd' })).rejects.toThrow(/Cannot read/);
    writeFileSync(join(dir, 'junk.gfsession'), 'junk');
    await expect(library.summary({ id: 'junk.gfsession' })).rejects.toThrow(/not gzip/);
  });
});
