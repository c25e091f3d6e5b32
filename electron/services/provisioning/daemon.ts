import type { DaemonStatus } from '../../../contract/domains/devices.js';
import { apiError } from '../common/errors.js';
import { REMOTE_DIR, type DeviceAccess } from '../devices/device-access.js';
import { findDaemonPids, parseOomCheck, splitSections } from '../devices/probe.js';

const STATUS_COMMAND = 'echo @@GF:ps; ps -A; echo @@GF:oomcheck; cat /proc/mm_oom_check 2>&1; echo @@GF:end';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `oom T` daemon: start (replacing an old one), stop, and health (alive, checks run, last check). */
export class DaemonService {
  /** The interval each device's daemon was started with by this app. */
  private readonly intervals = new Map<string, number>();

  constructor(private readonly devices: DeviceAccess, private readonly remoteDir = REMOTE_DIR) {}

  /** The interval this app last started the device's daemon with (no device round trip). */
  knownInterval(serial: string): number | undefined {
    return this.intervals.get(serial);
  }

  /** The device behind this serial is gone for good: what this app started there says nothing of the next one. */
  forget(serial: string): void {
    this.intervals.delete(serial);
  }

  private async pidsAndCheck(serial: string): Promise<{ pids: number[]; check: ReturnType<typeof parseOomCheck> }> {
    const result = await this.devices.io(serial).exec(STATUS_COMMAND, { timeoutMs: 15_000 });
    const sections = splitSections(result.stdout);
    return { pids: findDaemonPids(sections.ps), check: parseOomCheck(sections.oomcheck) };
  }

  async status(serial: string): Promise<DaemonStatus> {
    const { pids, check } = await this.pidsAndCheck(serial);
    if (!pids.length) return { running: false, ...(check.checks !== undefined ? { checks: check.checks, lastCheckMs: check.lastCheckMs } : {}) };
    let interval = this.intervals.get(serial);
    if (interval === undefined) {
      const cmdline = await this.devices.io(serial).exec(`cat /proc/${pids[0]}/cmdline`, { timeoutMs: 10_000 }).catch(() => undefined);
      const args = cmdline?.stdout.split('\0').filter(Boolean) ?? [];
      const t = Number(args[1]);
      if (Number.isInteger(t) && t > 0) interval = t;
    }
    return { running: true, pid: pids[0], ...(interval !== undefined ? { interval } : {}), ...(check.checks !== undefined ? { checks: check.checks, lastCheckMs: check.lastCheckMs } : {}) };
  }

  /** Stops every running `oom` daemon; verifies they are gone (SIGKILL after 2 s). */
  async stop(serial: string): Promise<DaemonStatus> {
    const io = this.devices.io(serial);
    let { pids } = await this.pidsAndCheck(serial);
    for (let attempt = 0; pids.length && attempt < 20; attempt++) {
      await io.exec(`kill ${attempt >= 8 ? '-9 ' : ''}${pids.join(' ')} 2>&1`, { timeoutMs: 10_000 });
      await sleep(attempt < 8 ? 100 : 250);
      ({ pids } = await this.pidsAndCheck(serial));
    }
    if (pids.length) throw apiError('daemon-stop-failed', `The oom daemon (pid ${pids.join(', ')}) did not exit`, 'Stop it by hand (adb shell kill -9 PID) or reboot the device.', 'stop-daemon');
    this.intervals.delete(serial);
    return this.status(serial);
  }

  /** Starts `oom T`, replacing a running daemon, and verifies that it runs. */
  async start(serial: string, interval: number): Promise<DaemonStatus> {
    const io = this.devices.io(serial);
    await this.stop(serial);
    const result = await io.exec(`cd ${this.remoteDir} && ./oom ${interval}`, { timeoutMs: 15_000 });
    const output = (result.stdout + result.stderr).trim();
    if (result.exitCode !== 0 && result.exitCode !== undefined) {
      throw apiError(
        'daemon-start-failed',
        `oom ${interval} failed (exit ${result.exitCode}): ${output || 'no output'}`,
        /not found|No such file/i.test(output) ? 'The oom program is missing: run provisioning to push the payload.' : 'Check that the modules are loaded (provisioning does it) and try again.',
        'start-daemon',
      );
    }
    this.intervals.set(serial, interval);
    for (let attempt = 0; attempt < 20; attempt++) {
      const status = await this.status(serial);
      if (status.running) return status;
      await sleep(150);
    }
    throw apiError('daemon-not-running', `oom ${interval} said "${output}" but no oom process runs`, 'Look at the kernel log for errors, then start the daemon again.', 'verify-daemon');
  }
}
