import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApiError } from '../../../contract/errors.js';
import type { ReplaySettings, SessionInfo, SessionSummary } from '../../../contract/domains/sessions.js';
import { actualKills, replay, settingsInForce, sweep } from '../replay/replay.js';
import { decodeSession, SessionFormatError, type ProcessSampleRecord, type Session } from './format.js';

export const SESSION_EXTENSION = '.gfsession';
const MAX_POINTS_PER_UID = 2000;

export type SessionRef = { id: string } | { path: string };

export function sessionFileName(serial: string, startedAt: number): string {
  return `${serial.replace(/[^\w.-]/g, '_')}__${startedAt}${SESSION_EXTENSION}`;
}

/** The sessions in a folder, and what can be asked of one: a summary, a replay, a sweep. */
export class SessionLibrary {
  constructor(
    readonly dir: string,
    private readonly isRecording: (path: string) => boolean = () => false,
  ) {}

  async list(): Promise<SessionInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const infos = await Promise.all(names.filter((name) => name.endsWith(SESSION_EXTENSION)).map((name) => this.info(join(this.dir, name))));
    return infos.sort((a, b) => b.startedAt - a.startedAt);
  }

  pathOf(ref: SessionRef): string {
    return 'id' in ref ? join(this.dir, basename(ref.id)) : ref.path;
  }

  async load(ref: SessionRef): Promise<{ path: string; session: Session }> {
    const path = this.pathOf(ref);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new ApiError({ code: 'session-not-found', message: `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, hint: 'Pick a .gfsession file saved by Goldfish OOM Manager.' });
    }
    try {
      return { path, session: decodeSession(bytes) };
    } catch (error) {
      if (error instanceof SessionFormatError) throw new ApiError({ code: 'session-format', message: `${path}: ${error.message}` });
      throw error;
    }
  }

  async summary(ref: SessionRef): Promise<SessionSummary> {
    const { path, session } = await this.load(ref);
    const samples = session.records.filter((record): record is ProcessSampleRecord => record.type === 'procs');
    const start = session.header.startedAt;
    const times = samples.map((sample) => sample.uptimeMs ?? sample.t - start);
    const inForce = settingsInForce(session);
    return {
      info: await this.info(path),
      device: session.header.device,
      truncated: session.truncated,
      samples: samples.length,
      fromMs: times.length ? Math.min(...times) : 0,
      toMs: times.length ? Math.max(...times) : 0,
      settings: inForce && { interval: inForce.interval, limits: [...inForce.limits] },
      series: perUidSeries(samples, times),
      kills: actualKills(session),
    };
  }

  async replay(ref: SessionRef, settings: ReplaySettings) {
    const { session } = await this.load(ref);
    const result = replay(session, settings);
    return { checks: result.checks, predicted: result.kills, actual: actualKills(session) };
  }

  async sweep(ref: SessionRef, request: { uid: number; from: number; to: number; steps: number; grace: number; interval: number }) {
    const { session } = await this.load(ref);
    const base = settingsInForce(session)?.limits.filter((limit) => limit.uid !== request.uid) ?? [];
    const count = request.steps;
    const candidates = Array.from({ length: count + 1 }, (_, i) => {
      const mmMax = Math.round(request.from + ((request.to - request.from) * i) / count);
      return { interval: request.interval, limits: [...base, { uid: request.uid, mmMax, grace: request.grace }] };
    });
    return sweep(session, candidates).map((row, i) => ({ mmMax: candidates[i].limits.at(-1)!.mmMax, kills: row.kills, pids: row.pids }));
  }

  private async info(path: string): Promise<SessionInfo> {
    const match = /^(.*)__(\d+)\.gfsession$/.exec(basename(path));
    let bytes = 0;
    try {
      bytes = (await stat(path)).size;
    } catch {
      bytes = 0;
    }
    return { id: basename(path), path, serial: match?.[1] ?? '', startedAt: Number(match?.[2] ?? 0), bytes, recording: this.isRecording(path) };
  }
}

/** Sums RSS per uid for every sample, keeping at most MAX_POINTS_PER_UID evenly spaced samples. */
function perUidSeries(samples: readonly ProcessSampleRecord[], times: readonly number[]): SessionSummary['series'] {
  const stride = Math.max(1, Math.ceil(samples.length / MAX_POINTS_PER_UID));
  const series = new Map<number, Array<[number, number]>>();
  for (let i = 0; i < samples.length; i += stride) {
    const totals = new Map<number, number>();
    for (const [, uid, rss] of samples[i].procs) totals.set(uid, (totals.get(uid) ?? 0) + rss);
    for (const [uid, total] of totals) {
      let points = series.get(uid);
      if (!points) series.set(uid, (points = []));
      points.push([times[i], total]);
    }
  }
  return [...series].map(([uid, points]) => ({ uid, points })).sort((a, b) => a.uid - b.uid);
}
