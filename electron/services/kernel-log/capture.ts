import type { DeviceIo, SpawnedCommand } from '../adb/device-io.js';
import { DmesgDeduper, KmsgSequencer } from './dedup.js';
import { KmsgSplitter, parseDmesg, type RawLogLine } from './parse-line.js';

export interface CaptureEvents {
  lines(lines: RawLogLine[]): void;
  /** Something the user should know: a clear, a wrap that may have lost lines, a reboot, a fallback. */
  notice(kind: 'cleared' | 'wrapped' | 'lost' | 'reboot' | 'method', message: string): void;
}

export type CaptureMethod = 'kmsg' | 'dmesg';

const BOOT_COMMAND = 'cat /proc/sys/kernel/random/boot_id 2>/dev/null; cat /proc/uptime';
const DMESG_MARK = '@@GF:dmesg';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseBoot(text: string): { bootId?: string; uptime?: number } {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const bootId = lines.find((line) => UUID.test(line))?.toLowerCase();
  const uptime = Number(lines.find((line) => /^\d+(\.\d+)?\s/.test(line))?.split(/\s+/)[0]);
  return { ...(bootId ? { bootId } : {}), ...(Number.isFinite(uptime) ? { uptime } : {}) };
}

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
  private deduper = new DmesgDeduper();
  private lastTs = -1;
  private bootId?: string;
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

  /**
   * Which boot of the device is behind the serial now. boot_id says it for sure (a device that took over the
   * serial, a reboot); where the kernel has none, an uptime below our newest line does. Throws when the device
   * cannot say: nothing is read until it can, so no line of a new boot is taken for one already seen.
   */
  private async checkBoot(io: DeviceIo): Promise<void> {
    const result = await io.exec(BOOT_COMMAND, { timeoutMs: 10_000 });
    this.applyBoot(result.stdout, result.stderr);
  }

  private applyBoot(text: string, errorText: string): void {
    const { bootId, uptime } = parseBoot(text);
    if (uptime === undefined) throw new Error(`cannot read the uptime: ${(text + errorText).trim().slice(0, 120)}`);
    const newBoot = this.bootId !== undefined && bootId !== undefined ? bootId !== this.bootId : this.lastTs >= 0 && uptime < this.lastTs;
    this.bootId = bootId;
    if (!newBoot) return;
    this.sequencer.reset();
    this.deduper = new DmesgDeduper();
    this.lastTs = -1;
    this.events.notice('reboot', 'A new boot of the device: its kernel log starts again.');
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
        if ((this.options.preferKmsg ?? true) && kmsgFailures < 3) {
          await this.checkBoot(io);
          if (this.stopped) break;
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
    if (this.stopped) stream.kill();
    await stream.exited;
    this.stream = undefined;
    if (!sawRecord && /No such file|Permission denied|not found|Invalid argument/i.test(errorText)) return 'unavailable';
    return Date.now() - startedAt < 1000 && !sawRecord ? 'quick' : 'ended';
  }

  /** One dmesg snapshot, with which boot it is from in the same round trip (3.4 kernels have no readable kmsg). */
  async pollOnce(io: DeviceIo): Promise<void> {
    const result = await io.exec(`${BOOT_COMMAND}; echo ${DMESG_MARK}; dmesg`, { timeoutMs: 15_000 });
    const mark = new RegExp(`^${DMESG_MARK}\r?\n`, 'm').exec(result.stdout);
    if (!mark) throw new Error(`no dmesg output: ${(result.stdout + result.stderr).trim().slice(0, 120)}`);
    this.applyBoot(result.stdout.slice(0, mark.index), result.stderr);
    const snapshot = parseDmesg(result.stdout.slice(mark.index + mark[0].length));
    const { fresh, cleared, wrapped, gap } = this.deduper.ingest(snapshot);
    if (cleared) this.events.notice('cleared', 'The kernel log was cleared on the device (dmesg -c) or the device rebooted.');
    if (gap) this.events.notice('lost', 'The kernel log wrapped between two reads: some lines may be missing.');
    else if (wrapped) this.events.notice('wrapped', 'The kernel log ring wrapped; nothing was lost.');
    this.deliver(fresh);
  }
}
