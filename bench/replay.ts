// What-if replay speed: a 1-hour, 500-process session at 1 Hz, one setting (goal <= 1 s) and a 20-setting
// sweep (goal <= 10 s). Baseline in the same process: decoding the session file.
// Run: npx tsx bench/replay.ts
import { performance } from 'node:perf_hooks';
import { decodeSession, encodeBatch, encodeHeader, type SessionRecord } from '../electron/services/session/format.js';
import { replay, sweep, type ReplaySettings } from '../electron/services/replay/replay.js';

const PROCESSES = 500;
const SECONDS = 3600;
const MiB = 1024 * 1024;

/** 500 processes over 50 uids; uid 10070 has a worker that ramps to 150 MiB and drops every 10 minutes. */
function syntheticSession(): Buffer {
  const batches: Buffer[] = [encodeBatch([encodeHeader({ serial: 'bench', device: {}, startedAt: 0 })])];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const base = Array.from({ length: PROCESSES }, (_, i) => ({ pid: 100 + i, uid: 10000 + (i % 50), rss: Math.floor((2 + random() * 30) * MiB) }));
  let records: SessionRecord[] = [{ type: 'limits', t: 0, limits: [{ uid: 10070, mmMax: 120 * MiB, grace: 0 }], interval: 1 }];
  for (let s = 0; s < SECONDS; s++) {
    const worker = Math.min(150, (s % 600) / 2) * MiB;
    const procs: Array<[number, number, number, string]> = base.map((p) => [p.pid, p.uid, p.rss + Math.floor(random() * MiB), 'app']);
    procs.push([5000 + Math.floor(s / 600), 10070, worker, 'worker']);
    records.push({ type: 'procs', t: s * 1000, uptimeMs: s * 1000, procs });
    if (records.length >= 60) {
      batches.push(encodeBatch(records));
      records = [];
    }
  }
  batches.push(encodeBatch(records));
  return Buffer.concat(batches);
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, (performance.now() - start) / 1000];
}

const file = syntheticSession();
const [session, decodeS] = time(() => decodeSession(file));
const one: ReplaySettings = { limits: [{ uid: 10070, mmMax: 120 * MiB, grace: 0 }], interval: 1 };
const [single, replayS] = time(() => replay(session, one));
const candidates = Array.from({ length: 20 }, (_, i) => ({ ...one, limits: [{ uid: 10070, mmMax: (50 + i * 10) * MiB, grace: 5 }] }));
const [rows, sweepS] = time(() => sweep(session, candidates));

console.log(`session: ${PROCESSES + 1} processes, ${SECONDS} samples, ${(file.length / MiB).toFixed(1)} MiB on disk`);
console.log(`decode (baseline)     ${decodeS.toFixed(3)} s`);
console.log(`replay, 1 setting     ${replayS.toFixed(3)} s  (${single.checks} checks, ${single.kills.length} kills)  goal <= 1 s  ratio to decode ${(replayS / decodeS).toFixed(2)}`);
console.log(`sweep, 20 settings    ${sweepS.toFixed(3)} s  (kills: ${rows.map((row) => row.kills).join(',')})  goal <= 10 s  ratio to 20 x single ${(sweepS / (20 * replayS)).toFixed(2)}`);
