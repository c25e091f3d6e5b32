import type { DeviceIo, SpawnedCommand } from '../adb/device-io.js';
import { DmesgDeduper, KmsgSequencer } from './dedup.js';
import { KmsgSplitter, parseDmesg, type RawLogLine } from './parse-line.js';

export interface CaptureEvents {
  lines(lines: RawLogLine[]): void;
  /** Something the user should know: a clear, a wrap that may have lost lines, a reboot, a fallback. */
  notice(kind: 'cleared' | 'wrapped' | 'lost' | 'reboot' | 'method', message: string): void;
}

export type CaptureMethod = 'kmsg' | 'dmesg';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a device's kernel log without losing or duplicating lines: streams /dev/kmsg (sequence numbers
 * say what was taken and what the kernel dropped) and falls back to polling `dmesg` with de-duplication.
 * Restarts the stream when it ends while the device is still there.
 */
export class KernelLogCapture {
  private stopped = false;
  private stream?: SpawnedCommand;
  private readonly sequencer = new KmsgSequencer();
  private readonly deduper = new DmesgDeduper();
  private lastTs = -1;
  method?: CaptureMethod;

  constructor(
    private readonly io: () => DeviceIo | undefined,
    private readonly events: CaptureEvents,
    private readonly options: { pollMs?: number; preferKmsg?: boolean } = {},
  ) {}

  start(): Promise<void> {
    return this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.stream?.kill();
  }

  /** The device went away and came back: a reboot is detected from its uptime. */
  private async checkReboot(io: DeviceIo): Promise<void> {
    if (this.lastTs < 0) return;
    const uptime = await io.exec('cat /proc/uptime', { timeoutMs: 10_000 }).catch(() => undefined);
    const seconds = Number(uptime?.stdout.trim().split(/\s+/)[0]);
    if (Number.isFinite(seconds) && seconds < this.lastTs) {
      this.sequencer.reset();
      this.lastTs = -1;
      this.events.notice('reboot', 'The device rebooted: its kernel log starts again.');
    }
  }

  private deliver(lines: RawLogLine[]): void {
    if (!lines.length) return;
    this.lastTs = lines[lines.length - 1].ts;
    this.events.lines(lines);
  }

  private async loop(): Promise<void> {
    let kmsgFailures = 0;
    while (!this.stopped) {
      const io = this.io();
      if (!io) {
        await sleep(500);
        continue;
      }
      try {
        await this.checkReboot(io);
        if ((this.options.preferKmsg ?? true) && kmsgFailures < 3) {
          const ended = await this.streamKmsg(io);
          if (ended === 'unavailable') {
            kmsgFailures = 3;
            this.events.notice('method', 'The device has no readable /dev/kmsg: polling dmesg instead.');
          } else if (ended === 'quick') kmsgFailures++;
          else kmsgFailures = 0;
          continue;
        }
        this.method = 'dmesg';
        await this.pollOnce(io);
        await sleep(this.options.pollMs ?? 500);
      } catch {
        await sleep(500);
      }
    }
  }

  private async streamKmsg(io: DeviceIo): Promise<'unavailable' | 'quick' | 'ended'> {
    const splitter = new KmsgSplitter();
    let sawRecord = false;
    let errorText = '';
    const startedAt = Date.now();
    const stream = await io.spawn('cat /dev/kmsg', {
      onStdout: (text) => {
        const records = splitter.push(text);
        if (records.length) sawRecord = true;
        const { fresh, lost } = this.sequencer.ingest(records);
        if (lost) this.events.notice('lost', `${lost} kernel log line${lost === 1 ? ' was' : 's were'} overwritten before they could be read.`);
        this.deliver(fresh);
      },
      onStderr: (text) => (errorText += text),
    });
    this.stream = stream;
    this.method = 'kmsg';
    await stream.exited;
    this.stream = undefined;
    if (!sawRecord && /No such file|Permission denied|not found|Invalid argument/i.test(errorText)) return 'unavailable';
    return Date.now() - startedAt < 1000 && !sawRecord ? 'quick' : 'ended';
  }

  /** One dmesg snapshot; exposed for the bench and for tests that step it by hand. */
  async pollOnce(io: DeviceIo): Promise<void> {
    const result = await io.exec('dmesg', { timeoutMs: 15_000 });
    const snapshot = parseDmesg(result.stdout);
    const { fresh, cleared, wrapped, gap } = this.deduper.ingest(snapshot);
    if (cleared) this.events.notice('cleared', 'The kernel log was cleared on the device (dmesg -c) or the device rebooted.');
    if (gap) this.events.notice('lost', 'The kernel log wrapped between two reads: some lines may be missing.');
    else if (wrapped) this.events.notice('wrapped', 'The kernel log ring wrapped; nothing was lost.');
    this.deliver(fresh);
  }
}
