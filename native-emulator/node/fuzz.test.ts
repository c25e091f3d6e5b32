/**
 * Fault test: 10,000 seeded malformed or hostile packets over many connections (bad magic, unknown commands,
 * oversized and truncated packets, random OPEN names and ids, garbage on sync and shell streams, streams opened and
 * abandoned, clients vanishing mid-stream) while a well-behaved client keeps running shells. The device must
 * never hit an internal error, and every well-behaved shell must complete with the right bytes.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../core/adb/bytes.js';
import { AdbCommand, encodePacket, PacketParser } from '../core/adb/packet.js';
import { encodeShellFrame } from '../core/adb/services/shell-protocol.js';
import { AdbDeviceClient } from './testing/adb-client.js';
import { freePort } from './testing/ports.js';
import { startTestSimulator, type TestSimulator } from './testing/simulator.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['shell,v2,raw:cat', 'shell:', 'shell,v2,pty:', 'sync:', 'exec:cat', 'shell:echo x', 'root:', 'sync:x', 'jdwp:0', '', 'shell,v9:z'];
const CNXN = encodePacket({ command: AdbCommand.Connect, arg0: 0x01000001, arg1: 0x100000, payload: encodeUtf8('host::\0') });

/** Streams the device accepted on the current connection: [device id, host id]. */
type Known = [number, number][];

function makeFuzzer(seed: number) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, true);
    return b;
  };
  const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
  const id = () => (rnd() < 0.8 ? 1 + int(8) : int(0x100000000));
  const syncGarbage = (): Uint8Array => {
    switch (int(6)) {
      case 0:
        return cat(encodeUtf8('SEND'), u32(20), encodeUtf8('/data/fuzz/f,33188'.padEnd(20, 'x')), encodeUtf8('DATA'), u32(100), bytes(int(100)));
      case 1:
        return cat(encodeUtf8(['STAT', 'STA2', 'LST2', 'LIST', 'LIS2', 'RECV'][int(6)]!), u32(int(2000)), bytes(int(40)));
      case 2:
        return cat(encodeUtf8('DATA'), u32(int(0x100000000)));
      case 3:
        return cat(encodeUtf8('QUIT'), u32(0));
      default:
        return bytes(1 + int(64));
    }
  };
  const packet = (known: Known): Uint8Array => {
    if (known.length > 0 && rnd() < 0.35) {
      const [dev, host] = known[int(known.length)]!;
      const kind = int(10);
      if (kind < 7) {
        const payload = rnd() < 0.5 ? syncGarbage() : rnd() < 0.5 ? encodeShellFrame(int(8), bytes(int(50))) : bytes(int(200));
        return encodePacket({ command: AdbCommand.Write, arg0: host, arg1: dev, payload });
      }
      return encodePacket({ command: kind < 9 ? AdbCommand.Okay : AdbCommand.Close, arg0: host, arg1: dev, payload: new Uint8Array(0) });
    }
    const pick = int(100);
    if (pick < 2) return bytes(24 + int(40)); // random header: bad magic
    if (pick < 3) {
      const cmd = int(0x100000000);
      return cat(u32(cmd), u32(id()), u32(id()), u32(0), u32(0), u32(~cmd));
    }
    if (pick < 4) {
      const p = encodePacket({ command: AdbCommand.Write, arg0: id(), arg1: id(), payload: new Uint8Array(0) });
      new DataView(p.buffer).setUint32(12, 0x100001 + int(0x7fffffff), true);
      return p;
    }
    if (pick < 5) return encodePacket({ command: AdbCommand.Write, arg0: id(), arg1: id(), payload: bytes(100) }).subarray(0, 24 + int(100));
    if (pick < 45) {
      const name = rnd() < 0.9 ? SERVICES[int(SERVICES.length)]! : String.fromCharCode(...bytes(int(30)));
      return encodePacket({ command: AdbCommand.Open, arg0: id(), arg1: int(3), payload: encodeUtf8(name + (rnd() < 0.9 ? '\0' : '')) });
    }
    if (pick < 80) {
      const payload = rnd() < 0.4 ? syncGarbage() : rnd() < 0.5 ? encodeShellFrame(int(8), bytes(int(50))) : bytes(int(200));
      return encodePacket({ command: AdbCommand.Write, arg0: id(), arg1: id(), payload });
    }
    if (pick < 88) return encodePacket({ command: AdbCommand.Okay, arg0: id(), arg1: id(), payload: new Uint8Array(0) });
    if (pick < 95) return encodePacket({ command: AdbCommand.Close, arg0: id(), arg1: id(), payload: new Uint8Array(0) });
    if (pick < 96) return encodePacket({ command: AdbCommand.Connect, arg0: int(10) ? 0x01000001 : int(0x2000000), arg1: int(0x200000), payload: bytes(int(20)) });
    return encodePacket({ command: AdbCommand.Auth, arg0: int(4), arg1: 0, payload: bytes(int(64)) });
  };
  return { rnd, int, packet };
}

const stats = { knownStreams: 0 };

async function fuzzConnection(port: number, f: ReturnType<typeof makeFuzzer>, budget: number): Promise<number> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const known: Known = [];
  const parser = new PacketParser();
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    for (const r of parser.push(new Uint8Array(chunk))) {
      if ('packet' in r && r.packet.command === AdbCommand.Okay && !known.some(([d]) => d === r.packet.arg0)) {
        known.push([r.packet.arg0, r.packet.arg1]);
        stats.knownStreams++;
      }
    }
  });
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', () => resolve());
  });
  const count = Math.min(budget, 1 + f.int(80));
  const parts: Uint8Array[] = f.rnd() < 0.9 ? [CNXN] : [];
  await new Promise((r) => setTimeout(r, 1));
  if (parts.length > 0) socket.write(parts[0]!);
  for (let i = 0; i < count && !socket.destroyed; i++) {
    socket.write(f.packet(known));
    if (f.rnd() < 0.2) await new Promise((r) => setTimeout(r, 1));
  }
  const ending = f.int(3);
  if (ending === 0) socket.destroy(); // vanish mid-stream
  else if (ending === 1) socket.end();
  else await new Promise((r) => setTimeout(r, f.int(5)));
  socket.destroy();
  return count;
}

describe('fuzzing the device transport', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ port: await freePort() });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('survives 10,000 seeded malformed packets while a well-behaved shell keeps working', async () => {
    const f = makeFuzzer(20240601);
    let fuzzing = true;
    let shells = 0;
    const good = (async () => {
      const client = await AdbDeviceClient.connect(sim.port);
      while (fuzzing || shells < 3) {
        const stream = await client.open('shell,v2,raw:echo start; sleep 0.05; echo done; exit 7');
        const out = await stream.done;
        expect(Buffer.from(out).toString('latin1')).toBe(
          '\x01\x06\x00\x00\x00start\n\x01\x05\x00\x00\x00done\n\x03\x01\x00\x00\x00\x07',
        );
        shells++;
      }
      client.close();
    })();

    let sent = 0;
    let connections = 0;
    while (sent < 10_000) {
      const lanes = Array.from({ length: 4 }, () => fuzzConnection(sim.port, f, Math.max(1, Math.ceil((10_000 - sent) / 4))));
      for (const n of await Promise.all(lanes)) sent += n;
      connections += lanes.length;
    }
    fuzzing = false;
    await good;

    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(shells).toBeGreaterThanOrEqual(3);
    expect(sim.logs.filter((l) => l.includes('internal error'))).toEqual([]);
    expect(sim.logs.some((l) => l.includes('protocol error'))).toBe(true);
    // The device is still healthy and holds no half-pushed files.
    const after = await AdbDeviceClient.connect(sim.port);
    const out = await (await after.open('shell:echo alive')).done;
    expect(Buffer.from(out).toString()).toBe('alive\n');
    after.close();
    expect(() => sim.device.fs.stat('/data/fuzz/f')).toThrow(/No such file/);
    expect(stats.knownStreams).toBeGreaterThan(200);
    expect(sim.logs.some((l) => l.includes('sync'))).toBe(true);
    expect(sim.logs.some((l) => l.includes('shell v2'))).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.adb.connections).toBe(0);
    expect(connections).toBeGreaterThan(100);
  });
});
