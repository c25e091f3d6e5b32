/**
 * Registration with the adb server (host:emulator:<port>) for a device the server's startup scan cannot find
 * (a port outside 5555..5585), including after the server restarts on the same port.
 */
import { describe, expect, it } from 'vitest';
import { runAdb, startAdbServer } from './testing/adb-server.js';
import { freePort } from './testing/ports.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { spawnSimulator, startTestSimulator } from './testing/simulator.js';
import { parseArgs } from './cli.js';
import type { SimulatedDevice } from '../core/device.js';

async function portOutsideScanRange(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p > 5600 && p % 2 === 1) return p;
  }
}

describe('adb server registration', () => {
  it('registers on start and again after the server restarts', async () => {
    const server = await startAdbServer();
    const sim = await startTestSimulator({ port: await portOutsideScanRange(), adbServerPort: server.port });
    try {
      await server.waitForState(sim.serial, 'device', 10_000);
      const before = sim.registrar!.registrations;
      await server.stop();
      const restarted = await runAdb(server.port, ['start-server']);
      expect(restarted.code).toBe(0);
      await server.waitForState(sim.serial, 'device', 10_000);
      expect(sim.registrar!.registrations).toBeGreaterThan(before);
    } finally {
      await sim.stop();
      await server.stop();
    }
  });
});

describe('cli arguments', () => {
  it('parses every option', () => {
    expect(
      parseArgs(['--port', '5561', '--ram=2048', '--seed', '7', '--speed', '0.5', '--no-register', '--host-port', '0']),
    ).toEqual({ quiet: false, port: 5561, ramMiB: 2048, seed: 7, speed: 0.5, register: false, hostPort: 0 });
  });

  it.each([['--port', 'x'], ['--speed', '0'], ['--what'], ['--port', '70000']])('rejects %j', (...args) => {
    expect(() => parseArgs(args)).toThrow();
  });

  it('--oom-mode takes corrected or seed-faithful (also as --oom-mode=X), nothing else; none given: the default', () => {
    expect(parseArgs(['--oom-mode', 'seed-faithful'])).toEqual({ quiet: false, oomMode: 'seed-faithful' });
    expect(parseArgs(['--oom-mode=corrected', '--seed', '2'])).toEqual({ quiet: false, oomMode: 'corrected', seed: 2 });
    expect(parseArgs([]).oomMode).toBeUndefined();
    expect(() => parseArgs(['--oom-mode', 'broken'])).toThrow('--oom-mode must be corrected or seed-faithful, got broken');
    expect(() => parseArgs(['--oom-mode', 'Seed-Faithful'])).toThrow(/--oom-mode must be/);
    expect(() => parseArgs(['--oom-mode'])).toThrow('--oom-mode must be corrected or seed-faithful, got undefined');
  });

  it('npm run sim -- --oom-mode broken exits 2 and says why', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'native-emulator/node/cli.ts'), '--oom-mode', 'broken'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('sim: --oom-mode must be corrected or seed-faithful, got broken\n');
  });
});

describe('oom mode', () => {
  it('defaults to corrected; seed-faithful reaches the device and its properties', async () => {
    const plain = await startTestSimulator({ port: await portOutsideScanRange() });
    const faithful = await startTestSimulator({ port: await portOutsideScanRange(), oomMode: 'seed-faithful' });
    try {
      expect(plain.oomMode).toBe('corrected');
      expect(plain.device.properties()['ro.goldfish.oom.mode']).toBe('corrected');
      expect(faithful.oomMode).toBe('seed-faithful');
      expect((faithful.device as SimulatedDevice).kernel.oomMode).toBe('seed-faithful');
      expect(faithful.device.properties()['ro.goldfish.oom.mode']).toBe('seed-faithful');
    } finally {
      await plain.stop();
      await faithful.stop();
    }
  });

  it('the CLI prints the mode on the line before the ready line, whose format is unchanged', async () => {
    const port = await portOutsideScanRange();
    const proc = await spawnSimulator(['--port', String(port), '--no-register', '--quiet', '--oom-mode', 'seed-faithful']);
    try {
      expect(proc.stdout()).toMatch(new RegExp(`^emulator-${port - 1} oom mode: seed-faithful\\nemulator-${port - 1} ready: adb port ${port}, console port ${port - 1}\\n$`));
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });
});
