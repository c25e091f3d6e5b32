/**
 * 50 MiB push throughput to the simulator (a child `npm run sim` process), median of 3, MiB/s:
 *   - `adb push` through a private real adb server
 *   - adbkit push through the same server
 *   - adbkit push through the simulator's own host server
 * Goal: adb push >= 100 MiB/s. Run: npx tsx bench/adb-push.ts [--mib N] [--runs N]
 */
import { Adb } from '../native-emulator/node/testing/adbkit.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAdbServer } from '../native-emulator/node/testing/adb-server.js';
import { spawnSimulator } from '../native-emulator/node/testing/simulator.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MIB = arg('--mib', 50);
const RUNS = arg('--runs', 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function adbkitPush(port: number, serial: string, file: string, remote: string): Promise<void> {
  const client = Adb.createClient({ port, bin: '/bin/false' });
  const transfer = await client.getDevice(serial).push(file, remote);
  await new Promise<void>((resolve, reject) => {
    transfer.on('end', resolve);
    transfer.on('error', reject);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'adb-bench-'));
  const file = path.join(dir, 'payload.bin');
  const data = randomBytes(MIB * 1024 * 1024);
  writeFileSync(file, data);
  const digest = createHash('sha256').update(data).digest('hex');
  const server = await startAdbServer();
  const sim = await spawnSimulator(['--quiet', '--host-port', '0'], { ANDROID_ADB_SERVER_PORT: String(server.port) });
  try {
    await server.waitForState(sim.serial, 'device');
    const results: Record<string, number[]> = { 'adb push': [], 'adbkit (adb server)': [], 'adbkit (sim host server)': [] };
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const r = await server.adb(['-s', sim.serial, 'push', file, `/data/local/tmp/bench-adb-${run}.bin`]);
      if (r.code !== 0) throw new Error(`adb push failed: ${r.stderr}`);
      results['adb push']!.push(MIB / ((performance.now() - t) / 1000));

      t = performance.now();
      await adbkitPush(server.port, sim.serial, file, `/data/local/tmp/bench-kit-${run}.bin`);
      results['adbkit (adb server)']!.push(MIB / ((performance.now() - t) / 1000));

      t = performance.now();
      await adbkitPush(sim.hostPort!, sim.serial, file, `/data/local/tmp/bench-host-${run}.bin`);
      results['adbkit (sim host server)']!.push(MIB / ((performance.now() - t) / 1000));
    }
    // Verify one of each end to end.
    for (const name of ['bench-adb-0', 'bench-kit-0', 'bench-host-0']) {
      const back = path.join(dir, `${name}.back`);
      const r = await server.adb(['-s', sim.serial, 'pull', `/data/local/tmp/${name}.bin`, back]);
      if (r.code !== 0) throw new Error(`pull failed: ${r.stderr}`);
      const got = createHash('sha256').update(await import('node:fs').then((fs) => fs.readFileSync(back))).digest('hex');
      if (got !== digest) throw new Error(`${name}: sha256 mismatch`);
    }
    console.log(`${MIB} MiB push to ${sim.serial}, ${RUNS} runs, sha256 verified`);
    for (const [name, xs] of Object.entries(results)) {
      console.log(`${name.padEnd(26)} median ${median(xs).toFixed(1).padStart(7)} MiB/s   runs: ${xs.map((x) => x.toFixed(1)).join(', ')}`);
    }
    const ratio = median(results['adbkit (adb server)']!) / median(results['adb push']!);
    console.log(`adbkit / adb push ratio: ${ratio.toFixed(2)}`);
    const goal = median(results['adb push']!) >= 100;
    console.log(`goal adb push >= 100 MiB/s: ${goal ? 'met' : 'NOT met'}`);
  } finally {
    await sim.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
