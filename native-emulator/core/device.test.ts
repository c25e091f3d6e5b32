import { describe, expect, it } from 'vitest';
import { FsError, type DeviceState } from './device-api.js';
import { createSimulatedDevice } from './device.js';
import { advanceUntil, pushSimPayload, runShell, startShell } from './testing/shell-runner.js';
import { createVirtualScheduler } from './time/virtual-scheduler.js';
import { latin1Encode, utf8Decode } from './util/bytes.js';

const boot = () => {
  const scheduler = createVirtualScheduler();
  return { scheduler, device: createSimulatedDevice({ scheduler }) };
};

describe('SimulatedDevice through DeviceApi', () => {
  it('spawnShell("echo hi; exit 3") gives stdout "hi\\n" and exit 3', () => {
    const { scheduler, device } = boot();
    expect(device.state).toBe('device');
    const out: string[] = [];
    const codes: number[] = [];
    device.spawnShell({ command: 'echo hi; exit 3' }, { stdout: (d) => out.push(utf8Decode(d)), stderr: () => {}, exit: (c) => codes.push(c) });
    expect(codes).toEqual([]);
    scheduler.advanceTo(scheduler.now() + 1_000_000);
    expect(out.join('')).toBe('hi\n');
    expect(codes).toEqual([3]);
  });

  it('a pushed file appears only at commit, with its mode and mtime; stat, readFile and list see it', () => {
    const { device } = boot();
    const w = device.fs.createWriter('/data/local/tmp/new/dir/blob.bin', 0o100755);
    const chunk = new Uint8Array(1 << 20).fill(0x41);
    for (let i = 0; i < 50; i++) w.write(chunk);
    expect(() => device.fs.stat('/data/local/tmp/new/dir/blob.bin')).toThrow(FsError);
    w.commit(1_600_000_000);
    const st = device.fs.stat('/data/local/tmp/new/dir/blob.bin');
    expect(st.size).toBe(50 << 20);
    expect(st.mode).toBe(0o100755);
    expect(st.mtime).toBe(1_600_000_000);
    expect(device.fs.readFile('/data/local/tmp/new/dir/blob.bin').length).toBe(50 << 20);
    expect(device.fs.list('/data/local/tmp/new/dir').map((e) => e.name)).toEqual(['blob.bin']);
    expect(device.fs.stat('/data/local/tmp/new').mode & 0o170000).toBe(0o040000);
  });

  it('abort leaves no file; bad targets throw FsError', () => {
    const { device } = boot();
    const w = device.fs.createWriter('/data/local/tmp/partial', 0o644);
    w.write(latin1Encode('half'));
    w.abort();
    expect(() => device.fs.stat('/data/local/tmp/partial')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => device.fs.createWriter('/data/local', 0o644)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    const ro = device.fs.createWriter('/system/bin/evil', 0o755);
    ro.write(latin1Encode('x'));
    expect(() => ro.commit(0)).toThrow(expect.objectContaining({ code: 'EROFS' }));
    expect(device.fs.stat('/system/bin/sh', { lstat: true }).mode & 0o170000).toBe(0o120000);
  });

  it('reboot: offline, booting, device; /data survives, modules and everything else do not', () => {
    const { scheduler, device } = boot();
    const w = device.fs.createWriter('/data/misc/keep.txt', 0o644);
    w.write(latin1Encode('kept'));
    w.commit(1);
    runShell(device, scheduler, 'echo gone > /mnt/lost.txt; setprop persist.sim.flag yes; setprop sim.volatile 1');
    const wm = device.fs.createWriter('/data/misc/mylimit.ko', 0o644);
    wm.write(new Uint8Array(0));
    wm.abort();
    const states: DeviceState[] = [];
    device.onStateChange((s) => states.push(s));
    const before = device.kernel;
    device.reboot();
    expect(device.state).toBe('offline');
    advanceUntil(scheduler, () => device.state === 'device', 60e9);
    expect(states).toEqual(['offline', 'booting', 'device']);
    expect(device.kernel).not.toBe(before);
    expect(utf8Decode(device.fs.readFile('/data/misc/keep.txt'))).toBe('kept');
    expect(() => device.fs.stat('/mnt/lost.txt')).toThrow(FsError);
    expect(device.properties()['persist.sim.flag']).toBe('yes');
    expect(device.properties()['sim.volatile']).toBeUndefined();
    expect(runShell(device, scheduler, 'lsmod; uptime').stdout).toBe('Module                  Size  Used by\nup time: 00:00:09, idle time: 00:00:08, sleep time: 00:00:00\n');
  });

  it('/proc/sys/kernel/random/boot_id: a UUID, stable within a boot, new at each reboot; host entropy tells same-seed devices apart', () => {
    const bootId = (d: ReturnType<typeof boot>) => runShell(d.device, d.scheduler, 'cat /proc/sys/kernel/random/boot_id').stdout.trim();
    const first = boot();
    const id = bootId(first);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bootId(first)).toBe(id);
    expect(bootId(boot())).toBe(id);
    first.device.reboot();
    advanceUntil(first.scheduler, () => first.device.state === 'device', 60e9);
    expect(bootId(first)).not.toBe(id);
    const scheduler = createVirtualScheduler();
    const salted = { scheduler, device: createSimulatedDevice({ scheduler, entropy: () => 12345 }) };
    expect(bootId(salted)).not.toBe(id);
  });

  it('getprop ro.goldfish.oom.mode names the OOM mode (default corrected); read-only; the same after a reboot', () => {
    const plain = boot();
    expect(runShell(plain.device, plain.scheduler, 'getprop ro.goldfish.oom.mode').stdout).toBe('corrected\n');
    const scheduler = createVirtualScheduler();
    const device = createSimulatedDevice({ scheduler, oomMode: 'seed-faithful' });
    expect(runShell(device, scheduler, 'getprop ro.goldfish.oom.mode; setprop ro.goldfish.oom.mode corrected; getprop | grep oom.mode')).toEqual({
      stdout: 'seed-faithful\n[ro.goldfish.oom.mode]: [seed-faithful]\n',
      stderr: 'could not set property\n',
      exitCode: 0,
    });
    device.reboot();
    advanceUntil(scheduler, () => device.state === 'device', 60e9);
    expect(device.kernel.oomMode).toBe('seed-faithful');
    expect(runShell(device, scheduler, 'getprop ro.goldfish.oom.mode').stdout).toBe('seed-faithful\n');
  });

  it('reboot unloads loaded modules', () => {
    const { scheduler, device } = boot();
    pushSimPayload(device, '/data/misc');
    expect(runShell(device, scheduler, 'cd /data/misc; insmod mylimit.ko; insmod oom.ko; ./oom 3; lsmod | grep -c oom').stdout).toBe('oom begin to work\n2\n');
    const first = device.kernel;
    runShell(device, scheduler, 'reboot');
    advanceUntil(scheduler, () => device.kernel !== first && device.state === 'device', 60e9);
    expect(device.kernel.modules.list()).toEqual([]);
    expect(runShell(device, scheduler, 'ls /data/misc/oom.ko; ps oom; cat /proc/mm_oom_check').stdout).toBe('/data/misc/oom.ko\nUSER     PID   PPID  VSIZE  RSS     WCHAN    PC         NAME\n');
  });

  it('an interactive pty session prints the prompt and echoes what is typed', () => {
    const { scheduler, device } = boot();
    const live = startShell(device, null, true);
    scheduler.advanceTo(scheduler.now() + 1);
    expect(live.stdout).toBe('root@generic:/ # ');
    live.handle.writeStdin(latin1Encode('cd /data\r'));
    scheduler.advanceTo(scheduler.now() + 1);
    live.handle.writeStdin(latin1Encode('exit 4\r'));
    scheduler.advanceTo(scheduler.now() + 1);
    expect(live.stdout).toBe('root@generic:/ # cd /data\r\nroot@generic:/data # exit 4\r\n');
    expect(live.exitCode).toBe(4);
  });

  it('cat /proc/kmsg blocks until the host hangs up, and shows in ps meanwhile', () => {
    const { scheduler, device } = boot();
    const reader = startShell(device, 'cat /proc/kmsg');
    scheduler.advanceTo(scheduler.now() + 5e9);
    expect(reader.stdout).toContain('Booting Linux on physical CPU 0');
    expect(reader.exitCode).toBeNull();
    const ps = runShell(device, scheduler, 'ps cat').stdout.split('\n')[1]!;
    expect(ps).toMatch(/^root\s+\d+\s+\d+\s+\d+\s+\d+\s+ do_syslog [0-9a-f]{8} S cat$/);
    runShell(device, scheduler, 'echo marker > /dev/kmsg');
    scheduler.advanceTo(scheduler.now() + 1e6);
    expect(reader.stdout).toMatch(/<6>\[\s*\d+\.\d{6}\] marker\n$/);
    reader.handle.hangup();
    scheduler.advanceTo(scheduler.now() + 1e6);
    expect(runShell(device, scheduler, 'ps cat').stdout.split('\n').length).toBe(2);
    expect(reader.exitCode).toBeNull();
  });
});
