import { utilityProcess } from 'electron';
import type { SpawnSimulator } from '../services/simulator/launcher.js';

/**
 * Runs each simulated device as an Electron utility process: a Node process of its own (a crash cannot take
 * the app down) that needs no ELECTRON_RUN_AS_NODE, so the runAsNode fuse stays off.
 */
export const spawnUtilityProcess: SpawnSimulator = (entry, args, options) => {
  const child = utilityProcess.fork(entry.args[0], [...entry.args.slice(1), ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: 'pipe',
    serviceName: 'Goldfish simulated device',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited: () => exited,
    kill: (signal) => {
      if (signal === 'SIGKILL' && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
    onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
    onError: (listener) => void child.once('error', (type, location) => listener(new Error(`${type} at ${location}`))),
  };
};
