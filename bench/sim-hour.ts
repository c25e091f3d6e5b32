/**
 * One simulated hour of the goldfish device with the per-uid OOM daemon at T=1 and 500 processes.
 * Run: npx tsx bench/sim-hour.ts [--seconds N] [--processes N]
 */
import { performance } from 'node:perf_hooks';
import { createSimulatedDevice } from '../native-emulator/core/device.js';
import { advanceUntil, pushSimPayload, runShell } from '../native-emulator/core/testing/shell-runner.js';
import { createVirtualScheduler } from '../native-emulator/core/time/virtual-scheduler.js';
import { NS_PER_S } from '../native-emulator/core/time/units.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const simSeconds = arg('seconds', 3600);
const processes = arg('processes', 500);

const scheduler = createVirtualScheduler();
const device = createSimulatedDevice({ scheduler, seed: 2020, ramMiB: 4096 });
pushSimPayload(device, '/data/misc');
const setup = runShell(device, scheduler, [
  'cd /data/misc', 'insmod mylimit.ko', 'insmod set_mm_limit.ko', 'insmod oom.ko',
  ...Array.from({ length: 20 }, (_, i) => `./mmlimit set u0_a${100 + i} 60M ${i % 3 === 0 ? 10 : 0}`),
  './oom 1',
].join('; '));
if (setup.exitCode !== 0) throw new Error(`setup failed: ${setup.stderr}`);
for (let i = 0; device.kernel.tasks.size < processes; i++) {
  device.launchApp({ name: `com.example.app${i}`, uid: 10100 + (i % 40), rssKiB: 3000 + ((i * 7919) % 9000), oomScoreAdj: 500 });
}
runShell(device, scheduler, './data/misc/test -r 5 -h 30 u0_a200 50000000 80000000 &');

const start = performance.now();
const t0 = scheduler.now();
advanceUntil(scheduler, () => false, simSeconds * NS_PER_S);
const wall = (performance.now() - start) / 1000;
const simulated = (scheduler.now() - t0) / NS_PER_S;

const checks = /checks=(\d+) kills=(\d+)/.exec(runShell(device, scheduler, 'cat /proc/mm_oom_check').stdout);
console.log(`processes: ${device.kernel.tasks.size} (${processes} requested), oom checks: ${checks?.[1]}, kills: ${checks?.[2]}`);
console.log(`simulated seconds: ${simulated.toFixed(0)}`);
console.log(`wall seconds: ${wall.toFixed(3)}`);
console.log(`ratio: ${(simulated / wall).toFixed(0)}x real time`);
