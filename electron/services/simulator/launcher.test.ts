import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SimulatorLauncher, type SimulatorProcess, type SpawnSimulator } from './launcher.js';

/** A stand-in for the sim CLI: says what the real one says (the mode line, then the ready line), exits on a signal. */
function fakeSpawn(): { spawn: SpawnSimulator; calls: string[][] } {
  const calls: string[][] = [];
  let pid = 100;
  const spawn: SpawnSimulator = (_entry, args) => {
    calls.push(args);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const events = new EventEmitter();
    let exited = false;
    const port = Number(args[args.indexOf('--port') + 1]);
    const mode = args[args.indexOf('--oom-mode') + 1];
    setTimeout(() => stdout.write(`emulator-${port - 1} oom mode: ${mode}\nemulator-${port - 1} ready: adb port ${port}, console port ${port - 1}\n`), 1);
    const proc: SimulatorProcess = {
      pid: pid++,
      stdout,
      stderr,
      exited: () => exited,
      kill: (signal) =>
        setTimeout(() => {
          exited = true;
          events.emit('exit', null, signal);
        }, 1),
      onExit: (listener) => void events.once('exit', listener),
      onError: (listener) => void events.once('error', listener),
    };
    return proc;
  };
  return { spawn, calls };
}

describe('SimulatorLauncher: the OOM mode', () => {
  it('passes --oom-mode to the sim, reports it, keeps it across a restart; default corrected', async () => {
    const { spawn, calls } = fakeSpawn();
    const launcher = new SimulatorLauncher({ repoRoot: '/nowhere', spawn, adbServerPort: () => 5037 });
    try {
      const faithful = await launcher.boot({ ramMiB: 512, seed: 3, speed: 2, oomMode: 'seed-faithful' });
      expect(faithful.info).toMatchObject({ ramMiB: 512, seed: 3, speed: 2, oomMode: 'seed-faithful', status: 'running' });
      expect(calls[0]).toEqual(['--port', String(faithful.info.port), '--seed', '3', '--speed', '2', '--ram', '512', '--oom-mode', 'seed-faithful']);

      const plain = await launcher.boot({ ramMiB: 1024, seed: 1, speed: 1 });
      expect(plain.info.oomMode).toBe('corrected');
      expect(calls[1]!.slice(-2)).toEqual(['--oom-mode', 'corrected']);

      launcher.crash(faithful.serial);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(launcher.get(faithful.serial)!.info.status).toBe('crashed');
      const again = await launcher.restart(faithful.serial);
      expect(again.info).toMatchObject({ oomMode: 'seed-faithful', status: 'running', port: faithful.info.port });
      expect(calls[2]).toEqual(calls[0]);
    } finally {
      await launcher.dispose();
    }
  });
});

describe('SimulatorLauncher: a port taken between the check and the listen', () => {
  it('tries the next free pair when the sim fails with EADDRINUSE, and gives up on other failures', async () => {
    const { spawn: ready } = fakeSpawn();
    const ports: number[] = [];
    let failNext: string | undefined = 'Error: listen EADDRINUSE: address already in use 127.0.0.1';
    const spawn: SpawnSimulator = (entry, args, options) => {
      ports.push(Number(args[args.indexOf('--port') + 1]));
      if (!failNext) return ready(entry, args, options);
      const stderr = new PassThrough();
      const events = new EventEmitter();
      const message = failNext;
      failNext = undefined;
      setTimeout(() => {
        stderr.write(`${message}\n`);
        setTimeout(() => events.emit('exit', 1, null), 5);
      }, 1);
      return { pid: 1, stdout: new PassThrough(), stderr, exited: () => true, kill: () => {}, onExit: (l) => void events.once('exit', l), onError: (l) => void events.once('error', l) };
    };
    const launcher = new SimulatorLauncher({ repoRoot: '/nowhere', spawn, adbServerPort: () => 5037 });
    try {
      const booted = await launcher.boot({ ramMiB: 512, seed: 1, speed: 1 });
      expect(booted.info.status).toBe('running');
      expect(ports).toHaveLength(2);
      expect(ports[1]).not.toBe(ports[0]);
      expect(launcher.list().map((sim) => sim.serial)).toEqual([booted.serial]);

      failNext = 'Error: something else broke';
      await expect(launcher.boot({ ramMiB: 512, seed: 2, speed: 1 })).rejects.toThrow(/exited/);
      expect(ports).toHaveLength(3);
    } finally {
      await launcher.dispose();
    }
  });
});
