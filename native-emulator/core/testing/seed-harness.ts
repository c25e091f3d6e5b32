import type { VirtualScheduler } from '../clock.js';
import { createSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from '../device.js';
import { createVirtualScheduler } from '../time/virtual-scheduler.js';
import { NS_PER_S } from '../time/units.js';
import { advanceUntil, pushSimPayload, runShell, startShell, type LiveShell, type ShellRun } from './shell-runner.js';

/** A booted device with the sim payload pushed to /data/misc, as in the seed's Fig. 13. */
export interface SeedBench {
  device: SimulatedDevice;
  scheduler: VirtualScheduler;
  run(command: string, limitS?: number): ShellRun;
  start(command: string): LiveShell;
  /** Lets limitS seconds of device time pass. */
  wait(seconds: number): void;
  /** dmesg lines without the `<N>[ time] ` prefix. */
  messages(): string[];
  /** [seconds, text] of every dmesg line. */
  timedMessages(): [number, string][];
}

export function seedBench(options: Partial<SimulatedDeviceOptions> = {}): SeedBench {
  const scheduler = options.scheduler ?? createVirtualScheduler();
  const device = createSimulatedDevice({ ...options, scheduler });
  pushSimPayload(device, '/data/misc');
  const timed = (): [number, string][] =>
    device
      .dmesg()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const m = /^<\d>\[\s*(\d+\.\d+)\] (.*)$/.exec(l);
        return m ? [Number(m[1]), m[2]!] : [NaN, l];
      });
  return {
    device,
    scheduler,
    run: (command, limitS) => runShell(device, scheduler, command, limitS),
    start: (command) => startShell(device, command),
    wait: (seconds) => advanceUntil(scheduler, () => false, seconds * NS_PER_S),
    messages: () => timed().map(([, t]) => t),
    timedMessages: timed,
  };
}

export const LOAD_AND_START = 'cd /data/misc; insmod mylimit.ko; insmod set_mm_limit.ko; insmod oom.ko; ./oom 3';
