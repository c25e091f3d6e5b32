import type { PredictedKill, ReplaySettings, SessionInfo, SessionSummary } from '../../../contract/domains/sessions.js';
import { ApiError } from '../../../contract/index.js';
import type { FakeApi } from './fakeApi.js';

/**
 * A small recorded run for the tests: u0_a70 (10070) climbs from 50 MB to 160 MB over 30 s and the daemon kills
 * pid 4242 at 20 s under a 100,000,000 B limit with T = 3; system (1000) stays flat at 40 MB.
 */
export function demoSummary(info: SessionInfo, overrides: Partial<SessionSummary> = {}): SessionSummary {
  const points = (fn: (s: number) => number): Array<[number, number]> => Array.from({ length: 31 }, (_, s) => [100_000 + s * 1000, fn(s)]);
  return {
    info,
    device: { model: 'goldfish (simulated)', kernel: '3.4.67-goldfish', abi: 'armeabi-v7a', ramKb: 524_288 },
    truncated: false,
    samples: 31,
    fromMs: 100_000,
    toMs: 130_000,
    settings: { limits: [{ uid: 10070, mmMax: 100_000_000, grace: 0 }], interval: 3 },
    series: [
      { uid: 1000, points: points(() => 40_000_000) },
      { uid: 10070, points: points((s) => (s <= 20 ? 50_000_000 + s * 5_500_000 : 50_000_000)) },
    ],
    kills: [{ atMs: 120_100, pid: 4242, uid: 10070, comm: 'test', pRss: 110_000_000 }],
    ...overrides,
  };
}

/**
 * The fake's stand-in for the backend's session library and recorder: recording per device (with
 * sessionsChanged), open by id or path, and a replay that kills the largest process of a uid the first time its
 * series goes over the limit at a check — enough to tell the UI's paths apart, not the daemon's rules.
 */
export function installFakeSessions(api: FakeApi, initial: SessionInfo[] = [], summaryOf: (info: SessionInfo) => SessionSummary = (info) => demoSummary(info)): { sessions: SessionInfo[] } {
  const state = { sessions: [...initial] };
  let clock = 1_700_000_000_000;
  const list = () => [...state.sessions].sort((a, b) => b.startedAt - a.startedAt);
  const find = (ref: { id: string } | { path: string }) => state.sessions.find((session) => ('id' in ref ? session.id === ref.id : session.path === ref.path));
  const load = (ref: { id: string } | { path: string }) => {
    const info = find(ref);
    if (!info) throw new ApiError({ code: 'session-not-found', message: `Cannot read ${'id' in ref ? ref.id : ref.path}: ENOENT`, hint: 'Pick a .gfsession file saved by Goldfish OOM Manager.' });
    return summaryOf(info);
  };
  const replay = (summary: SessionSummary, settings: ReplaySettings): PredictedKill[] => {
    const kills: PredictedKill[] = [];
    for (const limit of settings.limits) {
      const series = summary.series.find((entry) => entry.uid === limit.uid);
      const over = series?.points.find(([at, bytes]) => bytes > limit.mmMax && (at - summary.fromMs) % (settings.interval * 1000) === 0);
      if (!over) continue;
      const recorded = summary.kills.find((kill) => kill.uid === limit.uid);
      kills.push({ checkMs: over[0], pid: recorded?.pid ?? 9999, uid: limit.uid, comm: recorded?.comm ?? 'test', pRss: recorded?.pRss ?? over[1], uRss: over[1], mmMax: limit.mmMax });
    }
    return kills;
  };

  api.handle('listSessions', () => list());
  api.handle('startRecording', ({ serial }) => {
    if (state.sessions.some((session) => session.serial === serial && session.recording)) throw new ApiError({ code: 'recording', message: `${serial} is already recording` });
    const startedAt = (clock += 60_000);
    const info: SessionInfo = { id: `${serial}__${startedAt}.gfsession`, path: `/data/sessions/${serial}__${startedAt}.gfsession`, serial, startedAt, bytes: 0, recording: true };
    state.sessions.push(info);
    api.emit('sessionsChanged', list());
    return info;
  });
  api.handle('stopRecording', ({ serial }) => {
    const info = state.sessions.find((session) => session.serial === serial && session.recording);
    if (!info) throw new ApiError({ code: 'not-recording', message: `${serial} is not recording` });
    info.recording = false;
    info.bytes = 48_213;
    api.emit('sessionsChanged', list());
    return info;
  });
  api.handle('openSession', ({ session }) => load(session));
  api.handle('replaySession', ({ session, settings }) => {
    const summary = load(session);
    return { checks: Math.floor((summary.toMs - summary.fromMs) / (settings.interval * 1000)) + 1, predicted: replay(summary, settings), actual: summary.kills };
  });
  api.handle('sweepSession', ({ session, uid, from, to, steps, grace, interval }) => {
    const summary = load(session);
    return Array.from({ length: steps + 1 }, (_, i) => {
      const mmMax = Math.round(from + ((to - from) * i) / steps);
      const pids = replay(summary, { limits: [{ uid, mmMax, grace }], interval }).map((kill) => kill.pid);
      return { mmMax, kills: pids.length, pids };
    });
  });
  return state;
}
