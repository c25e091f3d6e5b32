import { describe, expect, it } from 'vitest';
import { seedBench } from '../testing/seed-harness.js';
import { parse } from './parser.js';

const bench = () => {
  const b = seedBench();
  return (command: string) => b.run(command, 60);
};

describe('parser', () => {
  it('builds sequences, and-or lists, pipelines, redirections and background jobs', () => {
    const list = parse('a 1 | b > f 2>&1 && c || d & e');
    expect(list).toHaveLength(2);
    expect(list[0]!.background).toBe(true);
    expect(list[0]!.first.commands).toHaveLength(2);
    expect(list[0]!.rest.map((r) => r.op)).toEqual(['&&', '||']);
    const b = list[0]!.first.commands[1]!;
    expect(b.type === 'simple' && b.redirects).toEqual([
      { fd: 1, op: '>', target: [{ kind: 'lit', text: 'f', quoted: false }] },
      { fd: 2, op: 'dup', target: 1 },
    ]);
  });
});

describe('mksh-like shell', () => {
  it('quotes, expands variables and $?', () => {
    const run = bench();
    expect(run(`echo 'a  b' "c  $HOME" d\\ e; X=5; echo $X \${X}y "$?" '$X'`).stdout).toBe('a  b c  / d e\n5 5y 0 $X\n');
  });

  it('runs ; && || and returns the last status', () => {
    const run = bench();
    const r = run('false || echo or; true && echo and; false && echo no; echo $?; exit 9');
    expect(r.stdout).toBe('or\nand\n1\n');
    expect(r.exitCode).toBe(9);
  });

  it('pipes and redirects (>, >>, 2>&1, 2>/dev/null)', () => {
    const run = bench();
    const r = run('echo one > /data/local/tmp/f; echo two >> /data/local/tmp/f; cat /data/local/tmp/f | grep t; ls /nope 2>&1 | grep -c such; ls /nope 2>/dev/null; echo $?');
    expect(r.stdout).toBe('two\n1\n1\n');
    expect(r.stderr).toBe('');
    expect(run('ls -l /data/local/tmp/f').stdout).toMatch(/^-rw-r--r-- root {5}root {12}8 \d{4}-\d\d-\d\d \d\d:\d\d \/data\/local\/tmp\/f\n$/);
  });

  it('prints errors as toolbox and mksh do', () => {
    const run = bench();
    expect(run('foo')).toEqual({ stdout: '', stderr: '/system/bin/sh: foo: not found\n', exitCode: 127 });
    expect(run('rm /x')).toEqual({ stdout: '', stderr: 'rm: /x: No such file or directory\n', exitCode: 1 });
    expect(run('rm -f /x').exitCode).toBe(0);
    expect(run('cd /nope; pwd')).toEqual({ stdout: '/\n', stderr: '/system/bin/sh: cd: /nope: No such file or directory\n', exitCode: 0 });
    expect(run('echo "open').stderr).toBe(`/system/bin/sh: syntax error: '"' unexpected\n`);
    expect(run('cat /nope').stderr).toBe('cat: /nope: No such file or directory\n');
    expect(run('echo x > /system/x').stderr).toBe("/system/bin/sh: can't create /system/x: Read-only file system\n");
  });

  it('refuses to exec what is not executable', () => {
    const run = bench();
    expect(run('chmod 644 /data/misc/oom; /data/misc/oom 3')).toEqual({
      stdout: '', stderr: "/system/bin/sh: /data/misc/oom: can't execute: Permission denied\n", exitCode: 126,
    });
    expect(run('cp /data/misc/oom.ko /data/local/tmp/x; chmod 755 /data/local/tmp/x; /data/local/tmp/x')).toEqual({
      stdout: '', stderr: '/system/bin/sh: /data/local/tmp/x: not executable: 32-bit ELF file\n', exitCode: 126,
    });
  });

  it('runs #!/system/bin/sh scripts, sh -c and subshells', () => {
    const run = bench();
    expect(run('echo -e "#!/system/bin/sh\\necho script \\$1; exit 4" > /data/local/tmp/s.sh; chmod 755 /data/local/tmp/s.sh; /data/local/tmp/s.sh arg; echo $?').stdout).toBe('script arg\n4\n');
    expect(run('sh -c "echo inner; exit 7"; echo $?; (echo sub; exit 2); echo $?').stdout).toBe('inner\n7\nsub\n2\n');
  });

  it('files: mkdir -p, cp, mv, ls -l, rm -r, chmod, chown', () => {
    const run = bench();
    const r = run('mkdir -p /data/a/b/c && cp /data/misc/oom.ko /data/a/b/c/ && mv /data/a/b/c/oom.ko /data/a/x.ko && chown shell:shell /data/a/x.ko && chmod 600 /data/a/x.ko && ls -l /data/a; rm -r /data/a; ls /data/a');
    expect(r.stdout).toMatch(/^drwxr-xr-x root {5}root {14}\S+ \S+ b\n-rw------- shell {4}shell {8}2664 \S+ \S+ x\.ko\n$/);
    expect(r.stderr).toBe('/data/a: No such file or directory\n');
  });

  it('sleep runs in virtual time and shows in ps; kill -9 ends it', () => {
    const b = seedBench();
    const live = b.start('sleep 30; echo woke');
    b.wait(10);
    expect(b.run('ps sleep').stdout).toMatch(/\nroot\s+(\d+)\s+\d+\s+1180\s+288\s+hrtimer_na [0-9a-f]{8} S sleep\n$/);
    expect(live.exitCode).toBeNull();
    b.wait(21);
    expect(live.stdout).toBe('woke\n');
    const r = b.run('sleep 100 & kill -9 $!; sleep 1; ps sleep | grep -c sleep; kill -l | grep -c TERM; kill 9999');
    expect(r.stdout).toBe('0\n1\n');
    expect(r.stderr).toBe('kill: pid 9999: No such process\n');
  });

  it('SIGTERM can be ignored by a program that says so (test -i); SIGKILL cannot', () => {
    const b = seedBench();
    b.start('/data/misc/test -i -h 100 u0_a70 200000000 1000000');
    b.wait(2);
    const pid = Number(/\n\S+\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\S+ \S+ S \/data\/misc\/test$/m.exec(b.run('ps test').stdout)?.[1] ?? NaN);
    const child = [...b.device.kernel.tasks.values()].find((t) => t.uid === 10070)!;
    expect(b.run(`kill ${child.pid}; kill -15 ${child.pid}`).exitCode).toBe(0);
    expect(b.device.kernel.findTask(child.pid)?.zombie).toBe(false);
    b.run(`kill -9 ${child.pid}`);
    expect(b.device.kernel.findTask(child.pid)).toBeUndefined();
    expect(Number.isNaN(pid)).toBe(false);
  });

  it('id, su -c and su UID -c', () => {
    const run = bench();
    const r = run('id; su 2000 -c id; su shell -c "su -c id"; su u0_a70 -c "su -c id"');
    expect(r.stdout.split('\n')).toEqual([
      'uid=0(root) gid=0(root)',
      expect.stringMatching(/^uid=2000\(shell\) gid=2000\(shell\) groups=1003\(graphics\)/),
      'uid=0(root) gid=0(root)',
      '',
    ]);
    expect(r.stderr).toBe('su: uid 10070 not allowed to su\n');
  });

  it('getprop/setprop, uname, uptime, globbing, cat of /proc', () => {
    const run = bench();
    expect(run('getprop ro.product.model; setprop my.x 1; getprop my.x; setprop ro.product.model x; echo $?')).toEqual({ stdout: 'sdk\n1\n1\n', stderr: 'could not set property\n', exitCode: 0 });
    expect(run('uname -a; uname -r; uname -m').stdout).toBe('Linux localhost 3.4.67-gd9b4b0f #1 SMP PREEMPT Tue Oct 21 13:52:57 PDT 2014 armv7l\n3.4.67-gd9b4b0f\narmv7l\n');
    expect(run('uptime').stdout).toBe('up time: 00:00:09, idle time: 00:00:08, sleep time: 00:00:00\n');
    expect(run('cd /data/misc; echo *.ko; echo "*.ko"').stdout).toBe('mylimit.ko oom.ko set_mm_limit.ko\n*.ko\n');
    expect(run('cat /proc/version').stdout).toBe('Linux version 3.4.67-gd9b4b0f (android-build@vpbs1.mtv.corp.google.com) (gcc version 4.8 (GCC) ) #1 SMP PREEMPT Tue Oct 21 13:52:57 PDT 2014\n');
  });

  it('dmesg -c prints then clears', () => {
    const run = bench();
    expect(run('dmesg | head -n 1').stdout).toBe('<5>[    0.000000] Booting Linux on physical CPU 0\n');
    run('dmesg -c > /dev/null; echo hello > /dev/kmsg');
    expect(run('dmesg').stdout).toMatch(/^<6>\[ {4}9\.\d{6}\] hello\n$/);
  });
});
