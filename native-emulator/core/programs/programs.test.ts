import { describe, expect, it } from 'vitest';
import { seedBench } from '../testing/seed-harness.js';

/** The device programs behave as resources/programs/*.c: flags, messages, exit codes. */
describe('device programs as the C sources', () => {
  it('mmlimit -s uses only syscall 381, -p only /proc/mm_limits; errors name the op and the errno', () => {
    const b = seedBench();
    const m = (args: string) => b.run(`/data/misc/mmlimit ${args}`);
    expect(m('-s set u0_a70 100M')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: set failed: Function not implemented (errno=38)\n' });
    expect(m('-p set u0_a70 100M')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: set failed: No such file or directory (errno=2)\n' });
    expect(m('remove u0_a70')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: remove failed: No such file or directory (errno=2)\n' });
    expect(m('set u0_a70')).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^usage: mmlimit \[-s\|-p\] set/) });
    expect(m('set nobody_here 1M')).toMatchObject({ exitCode: 2, stderr: 'mmlimit: unknown user nobody_here\n' });

    b.run('cd /data/misc; insmod mylimit.ko; insmod set_mm_limit.ko');
    expect(m('-p set 10072 30M 5').exitCode).toBe(0);
    // 0 bytes removes the limit: u0_a70 has none
    expect(m('-s set u0_a70 0 0')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: set failed: No such file or directory (errno=2)\n' });
    expect(m('-s set u0_a72 0')).toMatchObject({ exitCode: 0, stderr: '' });
    expect(m('-p remove u0_a72')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: remove failed: No such file or directory (errno=2)\n' });
    expect(m('-s set root 1M')).toMatchObject({ exitCode: 1, stderr: 'mmlimit: set failed: Operation not permitted (errno=1)\n' });
  });

  it('oom -s / -p / T validation', () => {
    const b = seedBench();
    expect(b.run('/data/misc/oom -x 3')).toMatchObject({ exitCode: 2, stderr: 'usage: /data/misc/oom [-s|-p] T   (check every T seconds, T >= 1)\n' });
    expect(b.run('/data/misc/oom 0').exitCode).toBe(2);
    b.run('cd /data/misc; insmod mylimit.ko; insmod oom.ko; ./oom -p 2');
    b.wait(5);
    expect(b.run('cat /proc/mm_oom_check').stdout).toMatch(/^checks=3 kills=0 /);
  });

  it('test reports how each child ended, by index, and names the user as getpwuid would', () => {
    const b = seedBench();
    const r = b.run('cd /data/misc; insmod mylimit.ko; insmod set_mm_limit.ko; insmod oom.ko; ./oom 1; ./test -h 0.5 -r 40 10070 100M 1M 2M');
    expect(r.stdout).toMatch(/^oom begin to work\npw->uid=10070, pw->name=u0_a70\n@@@uid: 10070\n@@@pid: \d+\n/);
    const ends = [...r.stdout.matchAll(/^child process end: pid=\d+, idx=(\d), (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(ends).toEqual(['0 exit=0', '1 exit=0']);
    expect(b.run('/data/misc/test u0_a70 1Q 1M')).toMatchObject({ exitCode: 2, stderr: 'test: bad LIMIT 1Q\n' });
  });
});
