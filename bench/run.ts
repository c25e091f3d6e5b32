// `npm run bench [-- NAME...]`: every benchmark (or the named ones), one after another, each in its own process.
// Each prints its figures and its ratio against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';

const BENCHES: Record<string, string> = {
  'sim-hour': 'one simulated hour, daemon at T=1, 500 processes (simulated/wall time)',
  'adb-push': '50 MiB push: adb push and adbkit to the simulator (MiB/s)',
  sampler: 'sampler cost per sample at 500 processes, 4 Hz: memsample vs ps',
  'kernel-log': 'kernel-log capture throughput: /dev/kmsg vs dmesg polling',
  replay: 'what-if replay of a 1-hour, 500-process session; 20-setting sweep',
  ui: 'Chromium: chart redraw, log filter over 200k lines, serve-mode cold load',
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`\n== ${name}: ${BENCHES[name]}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
