import type { VirtualScheduler } from '../clock.js';
import type { DeviceApi, ShellHandle } from '../device-api.js';
import { buildSimPayloadFiles } from '../payload/sim-payload.js';
import { NS_PER_S } from '../time/units.js';
import { utf8Decode } from '../util/bytes.js';

/** Drives a device in virtual time from tests and tools: run a command line, collect its output. */

export interface ShellRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export interface LiveShell extends ShellRun {
  handle: ShellHandle;
}

export function startShell(device: DeviceApi, command: string | null, pty = false): LiveShell {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const live: LiveShell = {
    handle: undefined as unknown as ShellHandle,
    get stdout() {
      return out.map(utf8Decode).join('');
    },
    get stderr() {
      return err.map(utf8Decode).join('');
    },
    exitCode: null,
  };
  live.handle = device.spawnShell({ command, pty }, {
    stdout: (d) => out.push(d),
    stderr: (d) => err.push(d),
    exit: (code) => {
      live.exitCode = code;
    },
  });
  return live;
}

/** Advances virtual time timer by timer until done() or limitNs from now. */
export function advanceUntil(scheduler: VirtualScheduler, done: () => boolean, limitNs: number): void {
  const deadline = scheduler.now() + limitNs;
  while (!done()) {
    const next = scheduler.nextDeadline();
    if (next === undefined || next > deadline) {
      scheduler.advanceTo(deadline);
      return;
    }
    scheduler.advanceTo(next);
  }
}

/** Runs command to completion (or until limitS of device time passed). */
export function runShell(device: DeviceApi, scheduler: VirtualScheduler, command: string, limitS = 600): ShellRun {
  const live = startShell(device, command);
  advanceUntil(scheduler, () => live.exitCode !== null, limitS * NS_PER_S);
  return { stdout: live.stdout, stderr: live.stderr, exitCode: live.exitCode };
}

/** adb push of the sim payload into dir. */
export function pushSimPayload(device: DeviceApi, dir: string, mtime = 1_592_000_000): void {
  for (const f of buildSimPayloadFiles()) {
    const w = device.fs.createWriter(`${dir}/${f.name}`, f.mode);
    w.write(f.bytes);
    w.commit(mtime);
  }
}
