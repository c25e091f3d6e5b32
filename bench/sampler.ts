/**
 * Sampler cost at 500 processes and 4 Hz: host CPU ms per sample and bytes per sample (one adb round trip
 * each), memsample vs ps parsing (the baseline) in the same process; plus the parse cost alone.
 * Run: npx tsx bench/sampler.ts [--procs 500] [--seconds 5]
 */
import { performance } from 'node:perf_hooks';
import { parseMemsample, parsePs } from '../electron/services/sampler/parse.js';
import { takeSample, type SampleCost } from '../electron/services/sampler/sampler-service.js';
import { benchBackend, median } from './backend-harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROCS = arg('--procs', 500);
const SECONDS = arg('--seconds', 5);
const HZ = 4;

function syntheticTexts(n: number): { memsample: string; ps: string } {
  const rows = Array.from({ length: n }, (_, i) => ({ pid: 100 + i, uid: 10000 + (i % 50), rss: 1000 + i * 7, comm: `proc${i}` }));
  return {
    memsample: `T 123456 2097152 1048576\n${rows.map((r) => `${r.pid} ${r.uid} ${r.rss} ${r.comm}`).join('\n')}\n`,
    ps: `123.45 200.00\nUSER     PID   PPID  VSIZE  RSS     WCHAN    PC         NAME\n${rows.map((r) => `u0_a${r.uid - 10000}    ${r.pid}   1     160968 ${r.rss} c0023e34 b6f2c684 S ${r.comm}`).join('\n')}\n`,
  };
}

function parseOnly(): void {
  const texts = syntheticTexts(PROCS);
  const time = (fn: () => void) => {
    for (let i = 0; i < 200; i++) fn();
    const start = performance.now();
    for (let i = 0; i < 2000; i++) fn();
    return (performance.now() - start) / 2000;
  };
  const m = time(() => parseMemsample(texts.memsample));
  const p = time(() => parsePs(texts.ps));
  console.log(`parse only, ${PROCS} processes: memsample ${m.toFixed(3)} ms (${texts.memsample.length} B), ps ${p.toFixed(3)} ms (${texts.ps.length} B); ps/memsample = ${(p / m).toFixed(2)}x time, ${(texts.ps.length / texts.memsample.length).toFixed(2)}x bytes`);
}

async function main(): Promise<void> {
  parseOnly();
  const { backend, serial } = await benchBackend({ ramMiB: 4096 });
  try {
    const io = backend.services.tracker.io(serial);
    // Fill the device with processes: sleepers in the background of one shell.
    const have = (await takeSample(io, 'ps')).processes.length;
    const extra = Math.max(0, PROCS - have);
    // The sleepers live as long as this stream is open (closing it hangs them up).
    const holder = extra ? await io.spawn(Array.from({ length: extra }, () => 'sleep 100000 &').join(' ') + ' sleep 100000', {}) : undefined;
    let present = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && present < PROCS; ) present = (await takeSample(io, 'ps')).processes.length;
    const results: Record<string, { cpuMs: number; bytes: number; wallMs: number; samples: number }> = {};
    for (const method of ['ps', 'memsample'] as const) {
      const n = SECONDS * HZ;
      const cpu: number[] = [];
      const bytes: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const before = process.cpuUsage();
        const cost: SampleCost = { bytes: 0, parseMs: 0 };
        await takeSample(io, method, undefined, cost);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
        bytes.push(cost.bytes);
        const took = performance.now() - started;
        wall.push(took);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / HZ - took)));
      }
      results[method] = { cpuMs: median(cpu), bytes: median(bytes), wallMs: median(wall), samples: n };
    }
    console.log(`device: ${present} processes, ${HZ} Hz, ${SECONDS} s per method (median per sample)`);
    for (const [method, r] of Object.entries(results)) {
      console.log(`  ${method.padEnd(9)} host CPU ${r.cpuMs.toFixed(2)} ms/sample, ${r.bytes} bytes/sample, round trip ${r.wallMs.toFixed(1)} ms`);
    }
    const m = results.memsample;
    const p = results.ps;
    console.log(`  ratio ps/memsample: CPU ${(p.cpuMs / m.cpuMs).toFixed(2)}x, bytes ${(p.bytes / m.bytes).toFixed(2)}x, round trip ${(p.wallMs / m.wallMs).toFixed(2)}x`);
    holder?.kill();
  } finally {
    await backend.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
