/**
 * Registration with the adb server (host:emulator:<port>) for a device the server's startup scan cannot find
 * (a port outside 5555..5585), including after the server restarts on the same port.
 */
import { describe, expect, it } from 'vitest';
import { runAdb, startAdbServer } from './testing/adb-server.js';
import { freePort } from './testing/ports.js';
import { startTestSimulator } from './testing/simulator.js';
import { parseArgs } from './cli.js';

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
});
