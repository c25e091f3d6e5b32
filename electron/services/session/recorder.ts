import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../contract/errors.js';
import type { Device } from '../../../contract/domains/devices.js';
import type { KillEvent, LogLine } from '../../../contract/domains/kernel-log.js';
import type { LimitsState } from '../../../contract/domains/limits.js';
import type { SessionInfo } from '../../../contract/domains/sessions.js';
import { Emitter } from '../common/emitter.js';
import type { RawSampleEvent } from '../sampler/sampler-service.js';
import { sessionFileName } from './library.js';
import { SessionWriter } from './writer.js';

/** What the recorder listens to: the services' own events, nothing device-specific. */
export interface RecorderSources {
  device(serial: string): Device | undefined;
  limits(serial: string): Promise<LimitsState>;
  onRawSample(listener: (event: RawSampleEvent) => void): () => void;
  onLogLines(listener: (batch: { serial: string; lines: LogLine[] }) => void): () => void;
  onKills(listener: (batch: { serial: string; kills: KillEvent[] }) => void): () => void;
  onLimits(listener: (state: LimitsState) => void): () => void;
  /** The daemon's interval T on the device, null when none runs (cheap: no device round trip). */
  daemonInterval(serial: string): number | null;
  /** Makes sure samples flow while recording (starts the sampler if it is idle). */
  ensureSampling(serial: string): void;
}

interface Recording {
  serial: string;
  path: string;
  startedAt: number;
  writer: SessionWriter;
  limits?: LimitsState;
  lastWritten?: string;
}

/**
 * Records a device session to a .gfsession file: every sample's processes, the kernel log, kills and the
 * limits and daemon interval in force. Written in batches once a second, so a crash loses at most one.
 */
export class SessionRecorder extends Emitter<{ changed: SessionInfo }> {
  private readonly recordings = new Map<string, Recording>();
  private readonly offs: Array<() => void>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly sources: RecorderSources,
  ) {
    super();
    this.offs = [
      sources.onRawSample(({ serial, t, sample }) =>
        this.recordings.get(serial)?.writer.add({
          type: 'procs',
          t,
          ...(sample.uptimeMs !== undefined ? { uptimeMs: sample.uptimeMs } : {}),
          ...(sample.lastCheckMs !== undefined ? { lastCheckMs: sample.lastCheckMs } : {}),
          procs: sample.processes.map((p) => [p.pid, p.uid, p.rss, p.comm]),
        }),
      ),
      sources.onLogLines(({ serial, lines }) => this.recordings.get(serial)?.writer.add({ type: 'log', t: Date.now(), lines })),
      sources.onKills(({ serial, kills }) => {
        const recording = this.recordings.get(serial);
        for (const kill of kills) {
          recording?.writer.add({ type: 'kill', t: kill.at, ts: kill.ts, killer: kill.killer, pid: kill.pid, uid: kill.uid, comm: kill.comm, pRss: kill.pRss, uRss: kill.uRss, mmMax: kill.mmMax });
        }
      }),
      sources.onLimits((state) => this.recordLimits(state.serial, state)),
    ];
    this.timer = setInterval(() => void this.flushAll(), 1000);
    this.timer.unref();
  }

  isRecording(path: string): boolean {
    return [...this.recordings.values()].some((recording) => recording.path === path);
  }

  async start(serial: string): Promise<SessionInfo> {
    const existing = this.recordings.get(serial);
    if (existing) return this.info(existing);
    const device = this.sources.device(serial);
    if (!device || device.state !== 'device') {
      throw new ApiError({ code: 'device-unavailable', message: `${serial} is not online`, hint: 'Wait for the device to come online, then record.' });
    }
    await mkdir(this.dir, { recursive: true });
    const startedAt = Date.now();
    const path = join(this.dir, sessionFileName(serial, startedAt));
    const probe = device.probe;
    const writer = await SessionWriter.create(path, {
      serial,
      startedAt,
      device: { model: probe?.model, kernel: probe?.kernel, abi: probe?.abi, ramKb: probe?.ramKb },
    });
    const recording: Recording = { serial, path, startedAt, writer };
    this.recordings.set(serial, recording);
    this.recordLimits(serial, await this.sources.limits(serial));
    this.sources.ensureSampling(serial);
    const info = this.info(recording);
    this.emit('changed', info);
    return info;
  }

  async stop(serial: string): Promise<SessionInfo> {
    const recording = this.recordings.get(serial);
    if (!recording) throw new ApiError({ code: 'not-recording', message: `${serial} is not being recorded` });
    this.recordings.delete(serial);
    await recording.writer.close();
    const info = { ...this.info(recording), recording: false };
    this.emit('changed', info);
    return info;
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    for (const off of this.offs) off();
    await Promise.all([...this.recordings.keys()].map((serial) => this.stop(serial)));
  }

  /** Writes a limits record when the applied limits or the daemon's interval changed. */
  private recordLimits(serial: string, state?: LimitsState): void {
    const recording = this.recordings.get(serial);
    if (!recording) return;
    if (state) recording.limits = state;
    const limits = (recording.limits?.desired ?? []).filter((row) => row.sync === 'applied').map((row) => ({ uid: row.uid, mmMax: row.mmMax, grace: row.grace }));
    const interval = this.sources.daemonInterval(serial);
    const key = JSON.stringify([limits, interval]);
    if (key === recording.lastWritten) return;
    recording.lastWritten = key;
    recording.writer.add({ type: 'limits', t: Date.now(), limits, interval });
  }

  private async flushAll(): Promise<void> {
    for (const serial of this.recordings.keys()) this.recordLimits(serial);
    await Promise.all([...this.recordings.values()].map((recording) => recording.writer.flush()));
  }

  private info(recording: Recording): SessionInfo {
    return { id: recording.path.split(/[\\/]/).pop()!, path: recording.path, serial: recording.serial, startedAt: recording.startedAt, bytes: 0, recording: true };
  }
}
