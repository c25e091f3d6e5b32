/**
 * npm run sim -- [--port P] [--ram MiB] [--seed N] [--speed X] [--oom-mode corrected|seed-faithful] [--no-register] [--host-port P] [--quiet]
 *
 * Starts a simulated goldfish device and prints two lines (the launcher parses the second, keep its format):
 *   emulator-5554 oom mode: corrected
 *   emulator-5554 ready: adb port 5555, console port 5554[, host port P]
 * Protocol errors are logged to stderr. SIGINT / SIGTERM close every socket and exit 0.
 */
import { OOM_MODES, type OomMode } from '../core/oom/decide.js';
import { startSimulator, type SimulatorOptions } from './simulator.js';

const USAGE = 'usage: npm run sim -- [--port P] [--ram MiB] [--seed N] [--speed X] [--oom-mode corrected|seed-faithful] [--no-register] [--host-port P] [--quiet]\n';

const isOomMode = (value: string | undefined): value is OomMode => (OOM_MODES as readonly (string | undefined)[]).includes(value);

export function parseArgs(argv: readonly string[]): SimulatorOptions & { quiet: boolean } {
  const options: SimulatorOptions & { quiet: boolean } = { quiet: false };
  const number = (flag: string, value: string | undefined, integer = true): number => {
    const n = integer ? Number.parseInt(value ?? '', 10) : Number.parseFloat(value ?? '');
    if (!Number.isFinite(n) || (integer && String(n) !== value)) throw new Error(`${flag} needs a number, got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, value());
        break;
      case '--ram':
        options.ramMiB = number(flag, value());
        break;
      case '--seed':
        options.seed = number(flag, value());
        break;
      case '--speed':
        options.speed = number(flag, value(), false);
        if (!(options.speed > 0)) throw new Error('--speed must be > 0');
        break;
      case '--oom-mode': {
        const mode = value();
        if (!isOomMode(mode)) throw new Error(`--oom-mode must be ${OOM_MODES.join(' or ')}, got ${mode}`);
        options.oomMode = mode;
        break;
      }
      case '--host-port':
        options.hostPort = number(flag, value());
        break;
      case '--no-register':
        options.register = false;
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return process.exit(0);
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (options.port !== undefined && (options.port < 2 || options.port > 65535))
    throw new Error(`--port ${options.port} is out of range`);
  return options;
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`sim: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const log = (line: string) => {
    if (!options.quiet) process.stderr.write(`sim: ${line}\n`);
  };
  let shutdown: (signal: string) => void = () => process.exit(0);
  const sim = await startSimulator({ ...options, log, onKill: () => shutdown('console kill') });
  const host = sim.hostPort !== undefined ? `, host port ${sim.hostPort}` : '';
  const consolePort = sim.consolePort !== undefined ? `, console port ${sim.consolePort}` : '';
  process.stdout.write(`${sim.serial} oom mode: ${sim.oomMode}\n`);
  process.stdout.write(`${sim.serial} ready: adb port ${sim.port}${consolePort}${host}\n`);
  shutdown = (signal) => {
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 3000);
    force.unref();
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  main().catch((e) => {
    process.stderr.write(`sim: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
