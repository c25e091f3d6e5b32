import { copyFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackend } from '../api/backend.js';

const USAGE = `Usage: npm run record -- --device SERIAL [--seconds N] [--hz H] [--out FILE] [--data-dir DIR]
  Records a device session (per-process memory, kernel log, kills, limits) to a .gfsession file, through the
  running adb server, until N seconds have passed or Ctrl-C. Replay it with: npm run replay -- FILE`;

function fail(message: string): never {
  console.error(`record: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { device: { type: 'string' }, seconds: { type: 'string' }, hz: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) return void console.log(USAGE);
  if (!values.device) fail('give --device SERIAL (see `adb devices`)');
  const seconds = values.seconds === undefined ? Infinity : Number(values.seconds);
  if (!(seconds > 0)) fail(`--seconds must be a positive number, got "${values.seconds}"`);
  const hz = values.hz === undefined ? 1 : Number(values.hz);
  if (!(hz >= 0.1 && hz <= 4)) fail(`--hz must be between 0.1 and 4, got "${values.hz}"`);

  const backend = await createBackend({ mode: 'serve', dataDir: resolve(values['data-dir'] ?? join(homedir(), '.goldfish-oom-manager')) });
  const serial = values.device;
  const deadline = Date.now() + 15_000;
  while (backend.services.tracker.get(serial)?.state !== 'device') {
    if (Date.now() > deadline) {
      await backend.dispose();
      fail(`${serial} is not online (adb devices: ${(await backend.handlers.listDevices({})).map((d) => `${d.serial} ${d.state}`).join(', ') || 'none'})`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  await backend.handlers.startSampling({ serial, hz });
  const recording = await backend.handlers.startRecording({ serial });
  console.log(`Recording ${serial} to ${recording.path}${Number.isFinite(seconds) ? ` for ${seconds} s` : ''} (Ctrl-C stops)`);

  await new Promise<void>((done) => {
    if (Number.isFinite(seconds)) setTimeout(done, seconds * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  const stopped = await backend.handlers.stopRecording({ serial });
  await backend.dispose();
  const path = values.out ? resolve(values.out) : stopped.path;
  if (values.out) copyFileSync(stopped.path, path);
  console.log(`Saved ${path}`);
}

main().catch((error: unknown) => {
  console.error(`record: ${(error as Error).message}`);
  process.exit(1);
});
