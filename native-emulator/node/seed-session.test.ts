/**
 * The seed's whole session (Figs. 11-13 of the original design) over the REAL adb, against a simulator child
 * paced at real time (--speed 1): push the sim payload, insmod the three modules in order, lsmod, start the daemon,
 * run test 1, and read the kill lines from dmesg within a few seconds, as on the emulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimPayload } from './sim-payload.js';
import { type AdbServerHandle, startAdbServer } from './testing/adb-server.js';
import { type SimulatorProcess, spawnSimulator } from './testing/simulator.js';

/** What the crossing of 100000000 bytes takes at 20 MiB/s, plus one daemon period (T = 3) and slack for adb. */
const CROSSING_S = 100_000_000 / (20 * 1024 * 1024);

describe("the seed's session over real adb, at real time", () => {
  let server: AdbServerHandle;
  let sim: SimulatorProcess;
  let payload: string[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'seed-session-'));
    server = await startAdbServer();
    [payload, sim] = await Promise.all([
      buildSimPayload(dir),
      spawnSimulator(['--speed', '1', '--quiet'], { ANDROID_ADB_SERVER_PORT: String(server.port) }),
    ]);
    await server.waitForState(sim.serial, 'device');
  });

  afterAll(async () => {
    await sim?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const adb = (...args: string[]) => server.adb(['-s', sim.serial, ...args]);
  const shell = (command: string) => adb('shell', command);

  it('adb push of the --target sim payload to /data/misc', async () => {
    const push = await adb('push', ...payload, '/data/misc/');
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toMatch(/7 files pushed/);
    const ls = await shell('ls /data/misc');
    for (const name of ['mylimit.ko', 'set_mm_limit.ko', 'oom.ko', 'oom', 'test', 'mmlimit', 'memsample']) {
      expect(ls.stdout.split('\n')).toContain(name);
    }
  });

  it('insmod in the wrong order fails with the kernel’s message', async () => {
    const r = await shell('insmod /data/misc/set_mm_limit.ko');
    expect(r).toMatchObject({ code: 255, stderr: "insmod: init_module '/data/misc/set_mm_limit.ko' failed (No such file or directory)\n" });
    const o = await shell('insmod /data/misc/oom.ko');
    expect(o.code).toBe(255);
    const dmesg = (await shell('dmesg')).stdout;
    expect(dmesg).toMatch(/\] set_mm_limit: Unknown symbol mm_limit_set \(err 0\)$/m);
    expect(dmesg).toMatch(/\] oom: Unknown symbol mm_limit_for_each \(err 0\)$/m);
    expect((await shell('lsmod')).stdout).toBe('Module                  Size  Used by\n');
  });

  it('insmod in order; lsmod shows mylimit used by oom and set_mm_limit', async () => {
    for (const m of ['mylimit', 'set_mm_limit', 'oom']) {
      const r = await shell(`insmod /data/misc/${m}.ko`);
      expect(r, m).toMatchObject({ code: 0, stderr: '' });
    }
    const lsmod = (await shell('lsmod')).stdout.split('\n');
    expect(lsmod[0]).toBe('Module                  Size  Used by');
    expect(lsmod).toContainEqual(expect.stringMatching(/^mylimit\s+\d+\s+2 oom,set_mm_limit$/));
    expect(lsmod).toContainEqual(expect.stringMatching(/^set_mm_limit\s+\d+\s+0$/));
    expect(lsmod).toContainEqual(expect.stringMatching(/^oom\s+\d+\s+0$/));
    expect((await shell('dmesg')).stdout.match(/\] module load!$/gm)).toHaveLength(3);
  });

  it('./oom 3 starts the daemon and ps shows it', async () => {
    const r = await shell('cd /data/misc && ./oom 3');
    expect(r).toEqual({ code: 0, stdout: 'oom begin to work\n', stderr: '' });
    const ps = (await shell('ps')).stdout.split('\n');
    expect(ps).toContainEqual(expect.stringMatching(/^root\s+\d+\s+1\s+.*\boom$/));
  });

  it('./test u0_a70 100000000 160000000: the kill lines reach dmesg within a few seconds of real time', async () => {
    const started = Date.now();
    const test = shell('cd /data/misc && ./test u0_a70 100000000 160000000');
    // poll dmesg as a user would while the test runs
    let seenAfterMs: number | undefined;
    let dmesg = '';
    while (seenAfterMs === undefined && Date.now() - started < 20_000) {
      dmesg = (await shell('dmesg')).stdout;
      if (dmesg.includes('A process has been killed:')) seenAfterMs = Date.now() - started;
      else await new Promise((r) => setTimeout(r, 250));
    }
    const r = await test;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['pw->uid=10070, pw->name=u0_a70', '@@@uid: 10070']);
    expect(lines[2]).toMatch(/^@@@pid: \d+$/);
    const child = Number(/^child process start malloc: pid=(\d+), uid=10070, mem=160000000$/m.exec(r.stdout)?.[1]);
    expect(child).toBeGreaterThan(0);
    expect(r.stdout).not.toContain('finish malloc');
    expect(r.stdout).toContain(`child process end: pid=${child}, idx=0, signal=15\n`);

    // real time: the child needs CROSSING_S (4.8 s) to go over, the daemon checks every 3 s
    expect(seenAfterMs).toBeDefined();
    expect(seenAfterMs!).toBeGreaterThan((CROSSING_S - 0.5) * 1000);
    expect(seenAfterMs!).toBeLessThan((CROSSING_S + 3 + 2) * 1000);

    dmesg = (await shell('dmesg')).stdout;
    const text = dmesg.split('\n').map((l) => l.replace(/^<\d>\[[^\]]*\] /, ''));
    const i = text.indexOf('A process has been killed:');
    expect(text[i + 1]).toMatch(new RegExp(`^uid=10070, uRSS=\\d+, mm_max=100000000, pid=${child}, pRSS=\\d+$`));
    expect(text).toContain('uid=10070,mm_max=100000000,time_allow_exceed=0');
    expect(text.filter((l) => l === 'A process has been killed:')).toHaveLength(1);
  });
});
