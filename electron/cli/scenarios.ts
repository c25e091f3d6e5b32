/**
 * npm run scenarios -- --device SERIAL|sim [--suite NAME|DIR] [--report out.html] [--json out.json]
 *                      [--mode corrected|seed-faithful] [--payload DIR|sim|goldfish-arm|host] [--adb-port P] [--seed N] [--quiet]
 *
 * Runs a scenario suite against a device and writes a grading report (HTML, and its JSON twin). `--device sim`
 * boots the simulated device in this process and runs it in virtual time (a minute of device time in well
 * under a second); `--mode seed-faithful` makes it reproduce the seed's defects. Any other serial is driven over
 * the adb server in real time, with the payload pushed to /data/local/tmp first. Exit status: 0 when every
 * expectation passed, 1 when any failed, 2 on a usage or setup error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSimulatedDevice } from '../../native-emulator/core/device.js';
import { installScenarioPayload, runSuite, SCENARIO_PAYLOAD_DIR, SimExecutor, type ScenarioExecutor, type ScenarioProgress } from '../../native-emulator/core/scenarios/runner.js';
import { createVirtualScheduler } from '../../native-emulator/core/time/virtual-scheduler.js';
import { Adb } from '../services/adb/adbkit.js';
import { AdbDeviceIo } from '../services/adb/device-io.js';
import { buildSimPayloadDir } from '../services/provisioning/sim-payload.js';
import { DeviceIoExecutor } from '../services/scenarios/device-executor.js';
import { buildReport, renderReportHtml } from '../services/scenarios/report.js';
import { loadSuiteDir, loadSuites, type Suite } from '../services/scenarios/suites.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = `Usage: npm run scenarios -- --device SERIAL|sim [--suite NAME|DIR] [--report out.html] [--json out.json]
                     [--mode corrected|seed-faithful] [--payload DIR|sim|goldfish-arm|host] [--adb-port P] [--seed N] [--quiet]
  --suite    a built-in suite (scenarios/suites.json: seed, seed-defects) or a folder of scenario files (default seed)
  --report   the self-contained HTML report (its JSON twin goes beside it, or to --json)
  --mode     sim only: corrected (default) or seed-faithful (the seed's defects)
  --payload  adb devices only: the folder with the modules and programs, or a bundled target (default: by the device's ABI)`;

class UsageError extends Error {}

export interface CliOptions {
  device: string;
  suite: string;
  report?: string;
  json?: string;
  mode: 'corrected' | 'seed-faithful';
  payload?: string;
  adbPort?: number;
  seed: number;
  quiet: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        device: { type: 'string' },
        suite: { type: 'string' },
        report: { type: 'string' },
        json: { type: 'string' },
        mode: { type: 'string' },
        payload: { type: 'string' },
        'adb-port': { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError('');
  if (!v.device) throw new UsageError('--device SERIAL|sim is required');
  const mode = v.mode ?? 'corrected';
  if (mode !== 'corrected' && mode !== 'seed-faithful') throw new UsageError(`--mode must be corrected or seed-faithful, got ${mode}`);
  if (mode !== 'corrected' && v.device !== 'sim') throw new UsageError('--mode applies to --device sim only (a real device runs the modules it has)');
  const int = (text: string | undefined, what: string) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number, got ${text}`);
    return n;
  };
  return {
    device: v.device,
    suite: v.suite ?? 'seed',
    report: v.report,
    json: v.json,
    mode,
    payload: v.payload,
    adbPort: int(v['adb-port'], '--adb-port'),
    seed: int(v.seed, '--seed') ?? 1,
    quiet: v.quiet ?? false,
  };
}

function findSuite(name: string): Suite {
  const builtIn = loadSuites(join(ROOT, 'scenarios'));
  const found = builtIn.find((s) => s.name === name);
  if (found) return found;
  if (existsSync(name) && statSync(name).isDirectory()) return loadSuiteDir(resolve(name), name.replace(/\/+$/, '').split('/').pop() ?? name);
  throw new UsageError(`--suite ${name}: no such built-in suite (${builtIn.map((s) => s.name).join(', ')}) or folder`);
}

async function adbExecutor(options: CliOptions, log: (line: string) => void): Promise<ScenarioExecutor> {
  const port = options.adbPort ?? (Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
  const client = Adb.createClient({ port });
  const io = new AdbDeviceIo(client, options.device);
  const probe = await io.exec('getprop ro.product.cpu.abi; uname -m', { timeoutMs: 20_000 });
  const [abi = '', machine = ''] = probe.stdout.trim().split('\n').map((s) => s.trim());
  let dir: string;
  const choice = options.payload ?? (/x86_64/.test(machine + abi) ? 'host' : 'goldfish-arm');
  if (choice === 'sim') {
    dir = join(ROOT, 'build', 'scenarios-payload-sim');
    await buildSimPayloadDir(dir);
  } else if (choice === 'goldfish-arm' || choice === 'host') {
    dir = join(ROOT, 'resources', 'payload', choice);
    if (!existsSync(dir)) throw new UsageError(`the bundled ${choice} payload is not built (${dir}): npm run payload -- --target ${choice} --out ${dir}, or pass --payload DIR`);
  } else dir = resolve(choice);
  log(`payload ${dir} -> ${options.device}:${SCENARIO_PAYLOAD_DIR}`);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile() && !name.endsWith('.json') && !name.startsWith('.')) await io.push(path, `${SCENARIO_PAYLOAD_DIR}/${name}`, 0o755);
  }
  return new DeviceIoExecutor(io);
}

export async function runCli(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let options: CliOptions;
  let suite: Suite;
  try {
    options = parseCli(argv);
    suite = findSuite(options.suite);
  } catch (error) {
    if (error instanceof UsageError) {
      out(`${error.message ? `scenarios: ${error.message}\n` : ''}${USAGE}`);
      return 2;
    }
    out(`scenarios: ${(error as Error).message}`);
    return 2;
  }
  const log = (line: string) => {
    if (!options.quiet) out(line);
  };
  const started = new Date();
  const t0 = performance.now();
  let executor: ScenarioExecutor;
  let serial = options.device;
  try {
    if (options.device === 'sim') {
      const scheduler = createVirtualScheduler();
      const device = createSimulatedDevice({ scheduler, seed: options.seed, oomMode: options.mode });
      installScenarioPayload(device);
      executor = new SimExecutor({ device, scheduler });
      serial = `sim (in process, virtual time, ${options.mode})`;
    } else executor = await adbExecutor(options, log);
  } catch (error) {
    out(`scenarios: ${(error as Error).message}`);
    return 2;
  }

  log(`${suite.name}: ${suite.index.length} scenarios on ${serial}`);
  const onProgress = (p: ScenarioProgress) => {
    if (p.kind === 'scenario-done') {
      const failed = p.result.checks.filter((c) => !c.pass);
      log(`${failed.length ? 'FAIL' : 'ok  '} ${p.result.name} (${p.result.checks.length - failed.length}/${p.result.checks.length})`);
      for (const c of failed) log(`       ${c.name}: ${c.detail}`);
    }
  };
  let error: string | undefined;
  let result: Awaited<ReturnType<typeof runSuite>> | undefined;
  const done: Parameters<typeof buildReport>[0]['result']['scenarios'] = [];
  try {
    result = await runSuite(suite.scenarios, executor, {
      files: suite.index.map((i) => i.file),
      onProgress: (p) => {
        if (p.kind === 'scenario-done') done.push(p.result);
        onProgress(p);
      },
    });
  } catch (e) {
    error = (e as Error).message;
  }
  const id = `${started.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${suite.name}-${options.device.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const doc = buildReport({
    id,
    suite: suite.name,
    suiteDescription: suite.description,
    device: { serial: options.device === 'sim' ? 'sim' : options.device, kind: options.device === 'sim' ? 'simulator' : 'adb', ...(options.device === 'sim' ? { oomMode: options.mode } : {}) },
    startedAt: started,
    durationMs: Math.round(performance.now() - t0),
    result: result ?? { scenarios: done, bootChecks: [] },
    error,
  });
  const jsonPath = options.json ?? (options.report ? options.report.replace(/(\.html?)?$/i, '.json') : undefined);
  if (options.report) {
    await mkdir(dirname(resolve(options.report)), { recursive: true });
    await writeFile(options.report, renderReportHtml(doc));
    log(`report: ${options.report}`);
  }
  if (jsonPath) {
    await mkdir(dirname(resolve(jsonPath)), { recursive: true });
    await writeFile(jsonPath, `${JSON.stringify(doc, null, 1)}\n`);
    log(`json: ${jsonPath}`);
  }
  out(doc.summary.line);
  return doc.summary.pass ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`scenarios: ${(error as Error).stack ?? String(error)}`);
      process.exit(2);
    },
  );
}
