/**
 * Kernel-log capture throughput: the device writes N numbered lines to /dev/kmsg as fast as its shell can;
 * lines/s captured, lost and duplicated, for /dev/kmsg streaming and for the dmesg-polling baseline, in the
 * same process. Run: npx tsx bench/kernel-log.ts [--lines 20000] [--batch 500]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KernelLogService } from '../electron/services/kernel-log/kernel-log-service.js';
import { benchBackend } from './backend-harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LINES = arg('--lines', 20_000);
const BATCH = arg('--batch', 500);

async function main(): Promise<void> {
  const { backend, serial } = await benchBackend({ speed: 1 });
  try {
    const io = backend.services.tracker.io(serial);
    const results: string[] = [];
    let baseline: number | undefined;
    for (const method of ['dmesg', 'kmsg'] as const) {
      const service = new KernelLogService({ dataDir: mkdtempSync(join(tmpdir(), 'bench-log-')), io: () => io, preferKmsg: method === 'kmsg', pollMs: 250, batchMs: 100 });
      const tag = `bench-${method}-${Date.now()}`;
      service.start(serial);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const started = performance.now();
      for (let i = 0; i < LINES; i += BATCH) {
        const cmds = [];
        for (let j = i; j < Math.min(LINES, i + BATCH); j++) cmds.push(`echo ${tag} ${j} > /dev/kmsg`);
        await io.exec(cmds.join('; '), { timeoutMs: 120_000 });
      }
      const wroteMs = performance.now() - started;
      const count = () => service.lines(serial).filter((l) => l.text.startsWith(tag)).length;
      const deadline = Date.now() + 15_000;
      while (count() < LINES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const tookMs = performance.now() - started;
      const seen = new Map<string, number>();
      for (const l of service.lines(serial)) if (l.text.startsWith(tag)) seen.set(l.text, (seen.get(l.text) ?? 0) + 1);
      const duplicated = [...seen.values()].filter((n) => n > 1).length;
      const lost = LINES - seen.size;
      service.dispose();
      const rate = (seen.size / tookMs) * 1000;
      baseline ??= rate;
      results.push(`  ${method.padEnd(5)} ${seen.size}/${LINES} lines in ${(tookMs / 1000).toFixed(2)} s (device wrote them in ${(wroteMs / 1000).toFixed(2)} s): ${rate.toFixed(0)} lines/s, lost ${lost}, duplicated ${duplicated}; ${(rate / baseline).toFixed(2)}x the dmesg baseline`);
    }
    console.log(`kernel-log capture, ${LINES} lines written in batches of ${BATCH}:`);
    for (const line of results) console.log(line);
  } finally {
    await backend.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
