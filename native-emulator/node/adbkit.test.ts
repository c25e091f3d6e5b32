/**
 * @devicefarmer/adbkit 3.3.9 against the real adb server and against the simulator's own host server.
 */
import { Adb, type Client } from './testing/adbkit.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeviceDispatcher } from '../core/adb/dispatcher.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdbServerHandle, startAdbServer } from './testing/adb-server.js';
import { waitFor } from './testing/ports.js';
import { startTestSimulator, type TestSimulator } from './testing/simulator.js';

type Tracker = Awaited<ReturnType<Client['trackDevices']>>;

function record(tracker: Tracker, serial: string): string[] {
  const events: string[] = [];
  tracker.on('add', (d: { id: string; type: string }) => d.id === serial && events.push(`add ${d.type}`));
  tracker.on('change', (d: { id: string; type: string }) => d.id === serial && events.push(`change ${d.type}`));
  tracker.on('remove', (d: { id: string }) => d.id === serial && events.push('remove'));
  return events;
}

async function exerciseDevice(client: Client, serial: string, dir: string): Promise<void> {
  const device = client.getDevice(serial);
  expect(await device.getState()).toBe('device');

  const out = await Adb.util.readAll(await device.shell('echo hi; echo there >&2'));
  expect(out.toString()).toBe('hi\nthere\n');

  const data = randomBytes(4 * 1024 * 1024 + 123);
  const src = path.join(dir, `push-${serial}.bin`);
  writeFileSync(src, data);
  const transfer = await device.push(src, '/data/misc/kit/push.bin');
  const progress: number[] = [];
  transfer.on('progress', (s: { bytesTransferred: number }) => progress.push(s.bytesTransferred));
  await new Promise<void>((resolve, reject) => {
    transfer.on('end', resolve);
    transfer.on('error', reject);
  });
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.at(-1)).toBe(data.length);

  const stat = await device.stat('/data/misc/kit/push.bin');
  expect(stat.size).toBe(data.length);
  expect(stat.isFile()).toBe(true);

  const entries = await device.readdir('/data/misc/kit');
  expect(entries.map((e: { name: string }) => e.name)).toEqual(['push.bin']);

  const pulled = await new Promise<Buffer>((resolve, reject) => {
    void device.pull('/data/misc/kit/push.bin').then((t) => {
      const parts: Buffer[] = [];
      t.on('data', (d: Buffer) => parts.push(d));
      t.on('end', () => resolve(Buffer.concat(parts)));
      t.on('error', reject);
    }, reject);
  });
  expect(pulled.equals(data)).toBe(true);
}

describe('adbkit through the real adb server', () => {
  let server: AdbServerHandle;
  let sim: TestSimulator;
  let client: Client;
  let dir: string;

  beforeAll(async () => {
    server = await startAdbServer();
    sim = await startTestSimulator({ adbServerPort: server.port });
    await server.waitForState(sim.serial, 'device');
    client = Adb.createClient({ port: server.port, bin: '/bin/false' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'adbkit-'));
  });

  afterAll(async () => {
    await sim?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listDevices', async () => {
    const devices = await client.listDevices();
    expect(devices).toContainEqual({ id: sim.serial, type: 'device' });
  });

  it('shell, push with progress, stat, readdir, pull', async () => {
    await exerciseDevice(client, sim.serial, dir);
  });

  it('trackDevices: add, change to device, remove when the simulator stops', async () => {
    const tracker = await client.trackDevices();
    try {
      const other = await startTestSimulator({ adbServerPort: server.port });
      const events = record(tracker, other.serial);
      await waitFor(() => events.some((e) => e.endsWith(' device')), { what: `${other.serial} online`, timeoutMs: 15_000 });
      expect(events[0]).toMatch(/^add /);
      await other.stop();
      await waitFor(() => events.includes('remove'), { what: 'remove', timeoutMs: 10_000 });
    } finally {
      tracker.end();
    }
  });
});

describe("adbkit through the simulator's own host server", () => {
  let sim: TestSimulator;
  let client: Client;
  let dir: string;

  beforeAll(async () => {
    sim = await startTestSimulator({ hostPort: 0 });
    client = Adb.createClient({ port: sim.hostPort!, bin: '/bin/false' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'adbkit-host-'));
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('version and listDevices', async () => {
    expect(await client.version()).toBe(41);
    expect(await client.listDevices()).toEqual([{ id: sim.serial, type: 'device' }]);
  });

  it('shell, push with progress, stat, readdir, pull', async () => {
    await exerciseDevice(client, sim.serial, dir);
  });

  it('trackDevices: add, change on reboot, remove', async () => {
    const registry = sim.hostRegistry!;
    registry.remove(sim.serial);
    const tracker = await client.trackDevices();
    try {
      const events = record(tracker, sim.serial);
      registry.add(sim.serial, sim.device, createDeviceDispatcher());
      await waitFor(() => events.length > 0, { what: 'add' });
      sim.device.reboot();
      await waitFor(() => events.includes('change device'), { what: 'back online' });
      sim.hostRegistry!.remove(sim.serial);
      await waitFor(() => events.includes('remove'), { what: 'remove' });
      expect(events).toEqual(['add device', 'change offline', 'change device', 'remove']);
    } finally {
      tracker.end();
    }
  });
});
