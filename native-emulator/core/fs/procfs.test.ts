import { describe, expect, it } from 'vitest';
import { LOG_BUF_LEN } from '../kernel/printk.js';
import { LOAD_AND_START, seedBench } from '../testing/seed-harness.js';

const meminfo = (text: string) => Object.fromEntries([...text.matchAll(/^(\S+):\s+(\d+) kB$/gm)].map((m) => [m[1]!, Number(m[2])]));

describe('/proc from the kernel model', () => {
  it('meminfo follows touched pages, not reservations (overcommit)', () => {
    const b = seedBench();
    const before = meminfo(b.run('cat /proc/meminfo').stdout);
    expect(before['MemTotal']).toBe(1032192);
    expect(before['MemFree']! + before['Cached']! + before['Buffers']! + before['Slab']! + before['AnonPages']!).toBeLessThanOrEqual(before['MemTotal']!);
    b.start('/data/misc/test -r 100 -h 60 u0_a70 2000000000 100000000');
    b.wait(0.5);
    const mid = meminfo(b.run('cat /proc/meminfo').stdout);
    b.wait(5);
    const after = meminfo(b.run('cat /proc/meminfo').stdout);
    expect(after['MemTotal']).toBe(before['MemTotal']);
    expect(after['Committed_AS']! - before['Committed_AS']!).toBeGreaterThanOrEqual(97656);
    expect(mid['AnonPages']! - before['AnonPages']!).toBeLessThan(60_000);
    expect(after['AnonPages']! - before['AnonPages']!).toBeGreaterThanOrEqual(97656);
    expect(before['MemFree']! - after['MemFree']!).toBeGreaterThanOrEqual(97656 - 1024);
  });

  it('<pid>/status, statm, cmdline and stat describe the task; the daemon looks like Fig. 11', () => {
    const b = seedBench();
    b.run(LOAD_AND_START);
    const line = b.run('ps ./oom').stdout.split('\n')[1]!;
    expect(line).toMatch(/^root {6}(\d+)\s+1\s+2384\s+304\s+hrtimer_na [0-9a-f]{8} S \.\/oom$/);
    const pid = /^root\s+(\d+)/.exec(line)![1];
    const r = b.run(`cat /proc/${pid}/status | head -n 7; cat /proc/${pid}/statm; cat /proc/${pid}/cmdline; echo; cat /proc/${pid}/stat`);
    const [name, state, , , ppid, , uid] = r.stdout.split('\n');
    expect([name, state, ppid, uid]).toEqual(['Name:\toom', 'State:\tS (sleeping)', 'PPid:\t1', 'Uid:\t0\t0\t0\t0']);
    expect(r.stdout).toContain('\n596 76 60 2 0 536 0\n./oom\u00003\u0000\n');
    expect(r.stdout).toMatch(new RegExp(`\\n${pid} \\(oom\\) S 1 ${pid} ${pid} `));
    expect(b.run('cat /proc/2/status | grep -c Vm').stdout).toBe('0\n');
  });

  it('/proc/mm_limits and /proc/mm_oom_check exist only while the modules are loaded', () => {
    const b = seedBench();
    expect(b.run('ls /proc/mm_limits').exitCode).toBe(1);
    b.run('cd /data/misc; insmod mylimit.ko; insmod set_mm_limit.ko; insmod oom.ko');
    const r = b.run('echo "10071 5000000 7" > /proc/mm_limits; echo 10070 1000 > /proc/mm_limits; cat /proc/mm_limits; echo 3 > /proc/mm_oom_check; cat /proc/mm_oom_check; echo "0 1 1" > /proc/mm_limits');
    expect(r.stdout).toBe('uid=10070,mm_max=1000,time_allow_exceed=0\nuid=10071,mm_max=5000000,time_allow_exceed=7\nchecks=1 kills=0 last_check_ms=9000\n');
    expect(r.stderr).toBe('/system/bin/sh: echo: write error: Operation not permitted\n');
  });

  it('memsample: a header then pid uid rss_kB comm per process', () => {
    const b = seedBench();
    const lines = b.run('/data/misc/memsample').stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^T 9000 1032192 \d+$/);
    expect(lines).toContain('1 0 604 init');
    expect(lines).toContainEqual(expect.stringMatching(/^\d+ 10007 \d+ ndroid.systemui$/));
  });

  it('a ring that wraps: dmesg keeps the newest 128 KiB, /dev/kmsg skips what it lost', () => {
    const b = seedBench();
    for (let i = 0; i < 4000; i++) b.device.kernel.log(6, `flood ${i} ${'z'.repeat(32)}`);
    const out = b.run('dmesg').stdout;
    expect(out.length).toBe(LOG_BUF_LEN);
    expect(out.endsWith(`] flood 3999 ${'z'.repeat(32)}\n`)).toBe(true);
    expect(out).not.toContain('Booting Linux');
    const live = b.start('cat /dev/kmsg');
    b.wait(0.001);
    const first = live.stdout.split('\n')[0]!;
    expect(first).toMatch(/^6,\d+,9000000,-;flood \d+ z+$/);
    expect(Number(first.split(',')[1])).toBeGreaterThan(0);
    live.handle.hangup();
  });
});
