import { describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../device.js';
import { createVirtualScheduler } from '../time/virtual-scheduler.js';
import { compileScenario, runScenario, runScenarios, ScenarioError } from './runner.js';

const fresh = () => {
  const scheduler = createVirtualScheduler();
  return { device: createSimulatedDevice({ scheduler }), scheduler };
};

const LOAD = [
  { op: 'insmod', module: 'mylimit' },
  { op: 'insmod', module: 'set_mm_limit' },
  { op: 'insmod', module: 'oom' },
];

describe('scenario runner', () => {
  it('fails, with the kernel runner’s reasons, every expectation the device does not meet', async () => {
    const r = await runScenario(
      {
        version: 1,
        name: 'wrong',
        steps: [
          { op: 'insmod', module: 'oom', expect: 'ok' },
          ...LOAD,
          { op: 'insmod', module: 'mylimit', expect: 'ok' },
          { op: 'lsmod', expect: { mylimit: { refcnt: 1, used_by: ['oom'] }, oom: null } },
          { op: 'set_limit', user: 'u0_a70', mm_max: 1000, via: 'proc', expect: 'EPERM' },
          { op: 'set_limit', user: 'root', mm_max: 1000, via: 'syscall' },
          { op: 'limits', expect: ['uid=10071,mm_max=1,time_allow_exceed=0'] },
          { op: 'oom_stats', expect: { checks: 3 } },
          { op: 'start_daemon', interval: 1, via: 'syscall' },
          { op: 'run_test', id: 't1', user: 'u0_a71', limit: 16000000, mems: [4000000, 32000000], hold: 1 },
          { op: 'wait_tests' },
        ],
        expect: { killed: ['t1.0'], survived: ['t1.1'], escalated: ['t1.1'], kills: 2, dmesg: ['no such line'] },
      },
      fresh(),
    );
    const failed = Object.fromEntries(r.checks.filter((c) => !c.pass).map((c) => [c.name, c.detail]));
    expect(failed).toEqual({
      'wrong.01-insmod-oom-ok': "insmod oom failed: insmod: init_module '/data/local/tmp/oom.ko' failed (No such file or directory)",
      'wrong.05-insmod-mylimit-ok': "insmod mylimit failed: insmod: init_module '/data/local/tmp/mylimit.ko' failed (File exists)",
      'wrong.06-lsmod-mylimit': expect.stringMatching(/^\/proc\/modules: mylimit \d+ 2 oom,set_mm_limit, Live 0x[0-9a-f]+$/),
      'wrong.06-lsmod-oom-absent': expect.stringMatching(/^oom still loaded: oom /),
      'wrong.07-set_limit-10070-proc-EPERM': 'want errno=1, got rc=0: ',
      'wrong.08-set_limit-0-syscall-ok': 'mmlimit -s set 0 1000 0: mmlimit: set failed: Operation not permitted (errno=1)',
      'wrong.09-limits': '/proc/mm_limits: uid=10070,mm_max=1000,time_allow_exceed=0',
      'wrong.10-oom_stats': expect.stringMatching(/^\/proc\/mm_oom_check: checks=0 kills=0 last_check_ms=\d+$/),
      'wrong.killed-t1.0': expect.stringMatching(/^t1\.0: child process end: pid=\d+, idx=0, exit=0$/),
      'wrong.survived-t1.1': expect.stringMatching(/^t1\.1: child process end: pid=\d+, idx=1, signal=15$/),
      'wrong.escalated-t1.1': expect.stringMatching(/^t1\.1: child process end: pid=\d+, idx=1, signal=15$/),
      'wrong.kills': '1 kill reports, want 2',
      'wrong.dmesg-1': 'no dmesg line: no such line',
    });
    expect(r.checks.filter((c) => c.pass).map((c) => c.name)).toEqual(['wrong.11-start_daemon', 'wrong.13-wait_tests']);
    expect(r.testOutput.get('t1')).toMatch(/^pw->uid=10071, pw->name=u0_a71\n@@@uid: 10071\n@@@pid: \d+\n/);
  });

  it('a test program still running after 60 s fails wait_tests and is killed; the next scenario starts clean', async () => {
    const env = fresh();
    const suite = await runScenarios(
      [
        {
          version: 1,
          name: 'slow',
          steps: [...LOAD, { op: 'run_test', id: 's', user: 'u0_a70', limit: 100000000, mems: [1000000], hold: 100 }, { op: 'wait_tests' }],
        },
        { version: 1, name: 'next', steps: [{ op: 'lsmod', expect: { mylimit: null } }, { op: 'wait', seconds: 2 }] },
      ],
      env,
    );
    expect(suite.checks.map((c) => [c.name, c.pass])).toEqual([
      ['slow.05-wait_tests', false],
      ['next.01-lsmod-mylimit-absent', true],
      ['log.no-oops', true],
      ['log.no-kernel-oom', true],
    ]);
    expect(suite.checks[0]!.detail).toMatch(/^test programs still running after 60s: \d+$/);
    // as in the guest, kill -9 ends the test program; its child is left to finish on its own
    expect(suite.scenarios[0]!.testOutput.get('s')).toMatch(/child process finish malloc: pid=\d+, uid=10070, mem=1000000\n$/);
  });

  it('rejects invalid scenario files', () => {
    const bad = (sc: unknown) => () => compileScenario(sc, 'x.json');
    expect(bad({ version: 3, name: 'a', steps: [] })).toThrow(new ScenarioError('x.json: version must be 1 or 2'));
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'reset' }] })).toThrow('x.json step 1: reset needs "version": 2');
    expect(bad({ version: 1, name: 'a', steps: [], expect: { protected: true } })).toThrow('x.json expect: unknown field protected');
    expect(bad({ version: 1, name: 'a b', steps: [] })).toThrow(/name must match/);
    expect(bad({ version: 1, name: 'a', steps: [], extra: 1 })).toThrow('x.json: unknown field extra');
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'boot' }] })).toThrow('x.json step 1: unknown op "boot"');
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'insmod', module: 'foo' }] })).toThrow(/module must be one of/);
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'set_limit', user: 'bob', mm_max: 1 }] })).toThrow(/user "bob" is not/);
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'run_test', id: 't', user: 'root', limit: 1, mems: [1] }] })).toThrow(/uid 0 is never limited/);
    expect(bad({ version: 1, name: 'a', steps: [], expect: { killed: ['t1.0'] } })).toThrow('x.json expect.killed: t1.0 names no child of a run_test');
    expect(bad({ version: 1, name: 'a', steps: [{ op: 'limits', expect: [] }, { op: 'wait_tests' }, { op: 'wait_tests' }] })).not.toThrow();
    expect(() => runScenarios([{ version: 1, name: 'a', steps: [] }, { version: 1, name: 'a', steps: [] }], fresh())).toThrow('scenario name a used twice');
  });
});
