import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A port free right now (asked of the OS in a child, so the config can stay synchronous). */
function freePortSync(): number {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

// Several checkouts may run their e2e on this machine at once. Each run gets its own serve port and its own
// adb server (never the shared 5037: adb lists every emulator on the machine, so one run's simulators would
// show up in, and be driven by, another run's walk). Chosen once in the runner; workers inherit the env.
process.env.GOLDFISH_E2E_PORT ??= String(freePortSync());
process.env.GOLDFISH_E2E_ADB_PORT ??= String(freePortSync());
// Every run starts from an empty data dir: limits are stored per serial, and serials repeat from run to run.
if (!process.env.GOLDFISH_E2E_DATA_DIR) {
  process.env.GOLDFISH_E2E_DATA_DIR = 'reports/e2e-data';
  rmSync(process.env.GOLDFISH_E2E_DATA_DIR, { recursive: true, force: true });
}

/** The serve-mode instance the browser tests run against (started by playwright.config.ts). */
export const SERVE_PORT = Number(process.env.GOLDFISH_E2E_PORT);
/** The private adb server that instance starts (and kills when it exits). */
export const SERVE_ADB_PORT = Number(process.env.GOLDFISH_E2E_ADB_PORT);
/** serve's --data-dir (kept after the run: its logs help when a walk fails). */
export const SERVE_DATA_DIR = process.env.GOLDFISH_E2E_DATA_DIR;
export const SERVE_TOKEN = process.env.GOLDFISH_E2E_TOKEN ?? 'e2e0123456789abcdef0123456789abcdef0123456789ab';
export const APP_URL = `/?token=${SERVE_TOKEN}`;
