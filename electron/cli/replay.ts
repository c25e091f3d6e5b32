import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatBytes, parseBytes, uidFromName } from '../../contract/domains/units.js';
import { decodeSession } from '../services/session/format.js';
import { actualKills, replay, settingsInForce, sweep, type ReplaySettings } from '../services/replay/replay.js';

const USAGE = `Usage: npm run replay -- SESSION [--uid UID|USER --limit SIZE] [--grace S] [--interval T] [--sweep FROM:TO:STEP]
  Replays a recorded session (.gfsession) through the OOM decision and prints the kills it predicts.
  Without --uid/--limit, the limits in force at the end of the recording are used.
  --sweep 50M:200M:10M replays once per limit of --uid from FROM to TO and prints kills per setting.`;

function fail(message: string): never {
  console.error(`replay: ${message}\n${USAGE}`);
  process.exit(2);
}

function bytes(text: string, what: string): number {
  const parsed = parseBytes(text);
  if ('error' in parsed) fail(`${what}: ${parsed.error}`);
  return parsed.bytes;
}

function wholeSeconds(text: string | undefined, what: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`${what} must be a whole number >= ${min}, got "${text}"`);
  return value;
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { uid: { type: 'string' }, limit: { type: 'string' }, grace: { type: 'string' }, interval: { type: 'string' }, sweep: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return void console.log(USAGE);
  if (positionals.length !== 1) fail('give exactly one session file');

  let session;
  try {
    session = decodeSession(readFileSync(positionals[0]));
  } catch (error) {
    fail(`${positionals[0]}: ${(error as Error).message}`);
  }
  if (session.truncated) console.warn('replay: the session file was cut short; replaying what it holds.');

  const recorded = settingsInForce(session);
  const interval = wholeSeconds(values.interval, '--interval', 1) ?? recorded?.interval;
  if (interval === undefined) fail('the session records no daemon interval: give --interval');
  let limits = [...(recorded?.limits ?? [])];
  let uid: number | undefined;
  if (values.uid !== undefined) {
    uid = uidFromName(values.uid);
    if (uid === undefined) fail(`unknown user "${values.uid}": give a uid or an Android user name such as u0_a70`);
    if (uid === 0) fail('uid 0 (root) cannot be limited');
    const previous = limits.find((limit) => limit.uid === uid);
    const mmMax = values.limit !== undefined ? bytes(values.limit, '--limit') : previous?.mmMax;
    if (mmMax === undefined && !values.sweep) fail(`no limit recorded for uid ${uid}: give --limit`);
    const grace = wholeSeconds(values.grace, '--grace', 0) ?? previous?.grace ?? 0;
    limits = [...limits.filter((limit) => limit.uid !== uid), { uid, mmMax: mmMax ?? 0, grace }];
  }
  if (limits.length === 0) fail('the session records no limits: give --uid and --limit');

  if (values.sweep) {
    if (uid === undefined) fail('--sweep needs --uid');
    const [from, to, step] = values.sweep.split(':').map((part, i) => bytes(part, ['sweep FROM', 'sweep TO', 'sweep STEP'][i]));
    if (step === undefined || to < from) fail('--sweep wants FROM:TO:STEP with FROM <= TO');
    const candidates: ReplaySettings[] = [];
    for (let mmMax = from; mmMax <= to; mmMax += step) {
      candidates.push({ interval, limits: limits.map((limit) => (limit.uid === uid ? { ...limit, mmMax } : limit)) });
    }
    console.log(`uid ${uid}, grace ${limits.find((l) => l.uid === uid)!.grace}s, T=${interval}s`);
    console.log('mm_max        kills  pids');
    for (const row of sweep(session, candidates)) {
      const mmMax = row.settings.limits.find((limit) => limit.uid === uid)!.mmMax;
      console.log(`${formatBytes(mmMax).padEnd(12)}  ${String(row.kills).padStart(5)}  ${row.pids.join(' ')}`);
    }
    return;
  }

  const result = replay(session, { interval, limits });
  console.log(`Replayed ${result.checks} checks at T=${interval}s with ${limits.map((l) => `uid ${l.uid}: ${formatBytes(l.mmMax)}, grace ${l.grace}s`).join('; ')}`);
  console.log(`Predicted kills: ${result.kills.length}`);
  for (const kill of result.kills) {
    console.log(`  at ${(kill.checkMs / 1000).toFixed(1)}s  pid=${kill.pid} (${kill.comm}) uid=${kill.uid} pRSS=${kill.pRss} uRSS=${kill.uRss} mm_max=${kill.mmMax}`);
  }
  const actual = actualKills(session);
  console.log(`Recorded kills: ${actual.length}`);
  for (const kill of actual) console.log(`  at ${(kill.atMs / 1000).toFixed(1)}s  pid=${kill.pid}${kill.comm ? ` (${kill.comm})` : ''} uid=${kill.uid ?? '?'}`);
}

main();
