import { describe, expect, it } from 'vitest';
import { deviceKind } from './device-tracker.js';
import { parseModules, parseOomCheck, parseProbe, PROBE_COMMAND } from './probe.js';

const GOLDFISH_PROBE = `@@GF:uname
3.4.67-gd9b4b0f
@@GF:arch
armv7l
@@GF:abi
armeabi-v7a
@@GF:model
sdk
@@GF:release
4.4.2
@@GF:id
uid=0(root) gid=0(root) context=u:r:shell:s0
@@GF:meminfo
MemTotal:        1033452 kB
MemFree:          402116 kB
@@GF:modules
oom 1934 0 - Live 0xbf008000 (O)
set_mm_limit 1084 0 - Live 0xbf004000 (O)
mylimit 819 2 oom,set_mm_limit, Live 0xbf000000 (O)
@@GF:ps
USER     PID   PPID  VSIZE  RSS     WCHAN    PC         NAME
root      1     0     692    412   c009b74c 0000dbf4 S /init
root      612   1     1004   240   c0023e34 b6f2c684 S ./oom
@@GF:oomcheck
checks=41 kills=1 last_check_ms=151309
@@GF:end
`;

describe('device probe', () => {
  it('asks everything in one round trip', () => {
    expect(PROBE_COMMAND).toMatch(/^echo @@GF:uname; uname -r 2>&1; .*cat \/proc\/mm_oom_check 2>&1; echo @@GF:end$/);
  });

  it('reads a provisioned 3.4 goldfish device', () => {
    const { probe, unameM, daemonPids } = parseProbe(GOLDFISH_PROBE, 1000);
    expect(probe).toEqual({
      kernel: '3.4.67-gd9b4b0f',
      abi: 'armeabi-v7a',
      model: 'sdk',
      androidVersion: '4.4.2',
      isRoot: true,
      ramKb: 1033452,
      modules: ['oom', 'set_mm_limit', 'mylimit'],
      daemon: { running: true, pid: 612, checks: 41, lastCheckMs: 151309 },
      probedAt: 1000,
    });
    expect(unameM).toBe('armv7l');
    expect(daemonPids).toEqual([612]);
  });

  it('tells the bundled simulator (and its OOM mode) by its property; a real device has none', () => {
    const withProperty = (value: string) => GOLDFISH_PROBE.replace('@@GF:id\n', `@@GF:simulator\n${value}\n@@GF:id\n`);
    expect(parseProbe(withProperty('seed-faithful')).probe.simulatorOomMode).toBe('seed-faithful');
    expect(parseProbe(withProperty('corrected')).probe.simulatorOomMode).toBe('corrected');
    expect(parseProbe(withProperty('')).probe).not.toHaveProperty('simulatorOomMode');
    expect(parseProbe(withProperty('something else')).probe).not.toHaveProperty('simulatorOomMode');
  });

  it('reads a bare device: no modules, no daemon, shell user, missing /proc files', () => {
    const text = GOLDFISH_PROBE.replace(/@@GF:id\n.*\n/, '@@GF:id\nuid=2000(shell) gid=2000(shell)\n')
      .replace(/@@GF:modules\n[\s\S]*?@@GF:ps/, '@@GF:modules\n@@GF:ps')
      .replace(/root +612.*\n/, '')
      .replace(/checks=41.*/, 'cat: /proc/mm_oom_check: No such file or directory');
    const { probe } = parseProbe(text);
    expect(probe).toMatchObject({ isRoot: false, modules: [], daemon: { running: false } });
    expect(probe.daemon.checks).toBeUndefined();
  });

  it('parses lsmod-style and /proc/modules text and the oom check file', () => {
    expect(parseModules('Module              Size  Used by\noom                  1934   0\nmylimit 819 2 oom,set_mm_limit\n')).toEqual(['oom', 'mylimit']);
    expect(parseModules('cat: /proc/modules: No such file or directory')).toEqual([]);
    expect(parseOomCheck('checks=3 kills=0 last_check_ms=9000\n')).toEqual({ checks: 3, kills: 0, lastCheckMs: 9000 });
  });

  it('names device kinds', () => {
    expect(deviceKind('emulator-5554', true)).toBe('simulated');
    expect(deviceKind('emulator-5554', false)).toBe('emulator');
    expect(deviceKind('192.168.1.20:5555', false)).toBe('network');
    expect(deviceKind('0123456789ABCDEF', false)).toBe('usb');
  });
});
