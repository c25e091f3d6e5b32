import type { ProcessRow, SamplePoint, SamplerStatus } from '../../../contract/domains/monitor.js';
import { apiError, errorMessage } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import type { DeviceIo } from '../adb/device-io.js';
import { REMOTE_DIR } from '../devices/device-access.js';
import { aggregateByUid, parseMemsample, parsePs, PS_COMMAND, type RawSample } from './parse.js';
import { SampleRing } from './ring.js';

interface Sampler {
  serial: string;
  hz: number;
  running: boolean;
  timer?: NodeJS.Timeout;
  ring: SampleRing;
  latest: ProcessRow[];
  /** pid → name from the last two samples: a process killed just after a sample is still named. */
  names: Map<number, string>;
  previousNames: Map<number, string>;
  method?: 'memsample' | 'ps';
  /** Samples left before memsample is tried again while falling back to ps. */
  retryMemsampleIn: number;
  lastError?: string;
  /** Why samples come from ps (memsample failed); shown as the status's error while that lasts. */
  fallbackNote?: string;
  pending: SamplePoint[];
  lastEmit: number;
  inFlight: boolean;
  /** What the last status event said (running, method, error), to send only changes. */
  reported?: string;
}

export interface SampleCost {
  bytes: number;
  parseMs: number;
}

/** Takes one sample in ONE adb round trip: the payload's memsample, or `ps` when memsample is missing. */
export async function takeSample(io: DeviceIo, method: 'memsample' | 'ps', remoteDir = REMOTE_DIR, cost?: SampleCost): Promise<RawSample> {
  // The oom module's check counter rides along (one round trip), so a recorded session knows when checks ran.
  const command = method === 'memsample' ? `${remoteDir}/memsample && (cat /proc/mm_oom_check 2>/dev/null || true)` : PS_COMMAND;
  const result = await io.exec(command, { timeoutMs: 10_000 });
  const started = performance.now();
  if (method === 'memsample' && result.exitCode !== 0 && result.exitCode !== undefined) throw new Error(`memsample failed (exit ${result.exitCode}): ${(result.stdout + result.stderr).trim().slice(0, 200)}`);
  const sample = method === 'memsample' ? parseMemsample(result.stdout) : parsePs(result.stdout);
  if (cost) {
    cost.bytes = Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr);
    cost.parseMs = performance.now() - started;
  }
  return sample;
}

/**
 * Per device: per-uid memory over time (sum of RSS, process count, top processes), 1 Hz by default and up
 * to 4 Hz, in a bounded ring; points reach the UI in batches about once a second.
 */
/** Every process of one sample, for recorders (the UI gets per-uid points only). */
export interface RawSampleEvent {
  serial: string;
  t: number;
  sample: RawSample;
}

export class SamplerService extends Emitter<{ samples: { serial: string; points: SamplePoint[] }; raw: RawSampleEvent; status: SamplerStatus }> {
  private readonly samplers = new Map<string, Sampler>();

  constructor(private readonly options: { io: (serial: string) => DeviceIo; remoteDir?: string; batchMs?: number; capacity?: number }) {
    super();
  }

  private sampler(serial: string): Sampler {
    let s = this.samplers.get(serial);
    if (!s) {
      s = { serial, hz: 1, running: false, ring: new SampleRing(this.options.capacity), latest: [], names: new Map(), previousNames: new Map(), retryMemsampleIn: 0, pending: [], lastEmit: 0, inFlight: false };
      this.samplers.set(serial, s);
    }
    return s;
  }

  status(serial: string): SamplerStatus {
    const s = this.sampler(serial);
    return { serial, running: s.running, hz: s.hz, samples: s.ring.total, ...(s.lastError ? { lastError: s.lastError } : {}), ...(s.method ? { method: s.method } : {}) };
  }

  /** Tells listeners when what a status says (beyond the sample count) has changed. */
  private report(s: Sampler): void {
    const status = this.status(s.serial);
    const key = JSON.stringify([status.running, status.hz, status.method, status.lastError]);
    if (key === s.reported) return;
    s.reported = key;
    this.emit('status', status);
  }

  start(serial: string, hz: number): SamplerStatus {
    if (!(hz > 0 && hz <= 4)) throw apiError('bad-rate', `${hz} Hz is outside 0.1..4 Hz`, 'Pick a rate between 0.1 and 4 samples per second.');
    this.options.io(serial); // throws when the device is not available
    const s = this.sampler(serial);
    s.hz = hz;
    if (!s.running) {
      s.running = true;
      this.schedule(s, 0);
    }
    this.report(s);
    return this.status(serial);
  }

  stop(serial: string): SamplerStatus {
    const s = this.sampler(serial);
    s.running = false;
    clearTimeout(s.timer);
    this.flush(s);
    this.report(s);
    return this.status(serial);
  }

  /** The name of pid in the latest two samples of the device. */
  commOf(serial: string, pid: number): string | undefined {
    const s = this.samplers.get(serial);
    return s?.names.get(pid) ?? s?.previousNames.get(pid);
  }

  /** The payload was just installed: try memsample at the next sample instead of waiting out the ps fallback. */
  preferMemsample(serial: string): void {
    this.sampler(serial).retryMemsampleIn = 0;
  }

  samples(serial: string, since?: number): SamplePoint[] {
    return this.sampler(serial).ring.since(since);
  }

  processes(serial: string, uid: number): ProcessRow[] {
    return this.sampler(serial).latest.filter((p) => p.uid === uid).sort((a, b) => b.rss - a.rss || a.pid - b.pid);
  }

  private schedule(s: Sampler, delay: number): void {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.tick(s), delay);
  }

  /** Takes one sample now (also what the timer runs). */
  async sampleNow(serial: string): Promise<SamplePoint | undefined> {
    return this.collect(this.sampler(serial));
  }

  private async collect(s: Sampler): Promise<SamplePoint | undefined> {
    const io = this.options.io(s.serial);
    let method: 'memsample' | 'ps' = s.method === 'ps' && s.retryMemsampleIn > 0 ? 'ps' : 'memsample';
    let raw: RawSample;
    try {
      raw = await takeSample(io, method, this.options.remoteDir);
    } catch (error) {
      if (method !== 'memsample') throw error;
      method = 'ps';
      s.retryMemsampleIn = 60;
      s.fallbackNote = `memsample unavailable (${errorMessage(error).slice(0, 120)}); parsing ps instead`;
      raw = await takeSample(io, 'ps', this.options.remoteDir);
    }
    if (method === 'ps') s.retryMemsampleIn--;
    else s.fallbackNote = undefined;
    s.method = method;
    s.lastError = s.fallbackNote;
    const { totals } = aggregateByUid(raw.processes);
    const point: SamplePoint = { t: Date.now(), ...(raw.uptimeMs !== undefined ? { uptimeMs: raw.uptimeMs } : {}), uids: totals.map((t) => [t.uid, t.rss, t.count]) };
    s.latest = raw.processes;
    s.previousNames = s.names;
    s.names = new Map(raw.processes.map((p) => [p.pid, p.comm]));
    this.emit('raw', { serial: s.serial, t: point.t, sample: raw });
    s.ring.push(point);
    s.pending.push(point);
    return point;
  }

  private async tick(s: Sampler): Promise<void> {
    if (!s.running || s.inFlight) return;
    s.inFlight = true;
    const started = Date.now();
    try {
      await this.collect(s);
    } catch (error) {
      s.lastError = errorMessage(error);
    } finally {
      s.inFlight = false;
    }
    if (Date.now() - s.lastEmit >= (this.options.batchMs ?? 1000)) this.flush(s);
    this.report(s);
    if (s.running) this.schedule(s, Math.max(0, 1000 / s.hz - (Date.now() - started)));
  }

  private flush(s: Sampler): void {
    s.lastEmit = Date.now();
    if (s.pending.length) this.emit('samples', { serial: s.serial, points: s.pending.splice(0) });
  }

  dispose(): void {
    for (const s of this.samplers.values()) {
      s.running = false;
      clearTimeout(s.timer);
    }
  }
}
