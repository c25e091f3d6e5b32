import { describe, expect, it } from 'vitest';
import { LOAD_AND_START, seedBench } from '../testing/seed-harness.js';

const killLines = (messages: string[]) => messages.filter((m) => m.startsWith('uid=') && m.includes('pRSS='));

describe("the seed's scenarios through the shell", () => {
  it('test 1: the child over the limit is killed within T of crossing it', () => {
    const b = seedBench();
    const r = b.run(`${LOAD_AND_START}; ./test u0_a70 100000000 160000000`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['oom begin to work', 'pw->uid=10070, pw->name=u0_a70', '@@@uid: 10070', lines[3]]);
    expect(lines[3]).toMatch(/^@@@pid: \d+$/);
    const parent = Number(lines[3]!.split(': ')[1]);
    const child = parent + 1;
    expect(lines[4]).toBe(`child process start malloc: pid=${child}, uid=10070, mem=160000000`);
    expect(r.stdout).not.toContain('finish malloc');

    const timed = b.timedMessages();
    const i = timed.findIndex(([, m]) => m === 'A process has been killed:');
    expect(timed.slice(i, i + 2).map(([, m]) => m)).toEqual([
      'A process has been killed:',
      `uid=10070, uRSS=126140416, mm_max=100000000, pid=${child}, pRSS=126140416`,
    ]);
    // The child touches 1 MiB every 50 ms from t=9 s plus a 304 KiB image: over 100000000 bytes at step 96.
    const crossing = 9 + 95 * 0.05;
    const killedAt = timed[i]![0];
    expect(killedAt).toBeGreaterThanOrEqual(crossing);
    expect(killedAt - crossing).toBeLessThanOrEqual(3);
    expect(b.messages()).toContain('uid=10070,mm_max=100000000,time_allow_exceed=0');
    expect(b.messages().filter((m) => m === 'module load!')).toHaveLength(3);
  });

  it('test 2: only the largest child is killed; the others finish their malloc', () => {
    const b = seedBench();
    const r = b.run(`${LOAD_AND_START}; ./test u0_a70 100000000 20000000 30000000 160000000`);
    const parent = Number(/@@@pid: (\d+)/.exec(r.stdout)![1]);
    const [small, medium, large] = [parent + 1, parent + 2, parent + 3];
    expect(r.stdout).toContain(`child process finish malloc: pid=${small}, uid=10070, mem=20000000`);
    expect(r.stdout).toContain(`child process finish malloc: pid=${medium}, uid=10070, mem=30000000`);
    expect(r.stdout).not.toContain(`finish malloc: pid=${large}`);
    const kills = killLines(b.messages());
    expect(kills).toEqual([`uid=10070, uRSS=113852416, mm_max=100000000, pid=${large}, pRSS=63225856`]);
  });

  it('bonus: -g 20 lets the child finish, -g 0 kills it', () => {
    const b = seedBench();
    const r = b.run(`${LOAD_AND_START}; ./test -g 20 u0_a70 100000000 160000000; ./test -g 0 u0_a70 100000000 160000000`);
    const [first, second] = [...r.stdout.matchAll(/@@@pid: (\d+)/g)].map((m) => Number(m[1]) + 1);
    expect(r.stdout).toContain(`child process finish malloc: pid=${first}, uid=10070, mem=160000000`);
    expect(r.stdout).not.toContain(`finish malloc: pid=${second}`);
    const messages = b.messages();
    expect(messages).toContain('uid=10070 exceeds mm_max=100000000: grace period of 20s started');
    expect(killLines(messages)).toHaveLength(1);
    expect(killLines(messages)[0]).toContain(`pid=${second},`);
  });

  it('two users with separate limits: one in grace while the other is killed in the same check', () => {
    const b = seedBench();
    b.run(`${LOAD_AND_START}; ./test -g 20 u0_a70 100000000 160000000 & ./test u0_a71 100000000 160000000; wait`);
    const timed = b.timedMessages();
    const grace = timed.find(([, m]) => m === 'uid=10070 exceeds mm_max=100000000: grace period of 20s started')!;
    const kill = timed.find(([, m]) => m.startsWith('uid=10071, uRSS='))!;
    expect(grace).toBeDefined();
    expect(kill).toBeDefined();
    expect(grace[0]).toBe(kill[0]);
    expect(timed.indexOf(grace)).toBeLessThan(timed.indexOf(kill));
    expect(killLines(b.messages())).toHaveLength(1);
  });

  it('a victim that ignores SIGTERM (test -i) is escalated to SIGKILL at the next check', () => {
    const b = seedBench();
    const r = b.run(`${LOAD_AND_START}; ./test -i u0_a70 100000000 300000000`);
    const child = Number(/@@@pid: (\d+)/.exec(r.stdout)![1]) + 1;
    const timed = b.timedMessages();
    const kill = timed.find(([, m]) => m.startsWith('uid=10070, uRSS=') && m.endsWith(`pid=${child}, pRSS=126140416`))!;
    const escalation = timed.find(([, m]) => m === `Escalating to SIGKILL: uid=10070, pid=${child}`)!;
    expect(kill).toBeDefined();
    expect(escalation[0] - kill[0]).toBe(3);
    expect(r.stdout).not.toContain('finish malloc');
    expect(b.device.kernel.findTask(child)).toBeUndefined();
    expect(killLines(b.messages())).toHaveLength(1);
  });

  it('global OOM at RAM exhaustion kills by 3.4 badness, with no module kill line', () => {
    const b = seedBench({ ramMiB: 512 });
    const r = b.run(`${LOAD_AND_START}; ./test u0_a70 2000000000 600000000`);
    const child = Number(/@@@pid: (\d+)/.exec(r.stdout)![1]) + 1;
    const messages = b.messages();
    const victims = messages.filter((m) => m.startsWith('Out of memory: Kill process'));
    expect(victims.map((m) => /\((.*)\)/.exec(m)![1])).toEqual([
      'm.android.email', 'ndroid.calendar', 'droid.deskclock', 'd.process.acore', 'd.process.media', 'test',
    ]);
    expect(victims[victims.length - 1]).toMatch(new RegExp(`^Out of memory: Kill process ${child} \\(test\\) score \\d+ or sacrifice child$`));
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^Killed process ${child} \\(test\\) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB$`)));
    expect(messages).toContain('test invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0');
    expect(messages).toContain('[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name');
    expect(messages).not.toContain('A process has been killed:');
    expect(r.stdout).not.toContain('finish malloc');
  });

  it('seed-faithful mode shows the early-break defect that the corrected module fixes', () => {
    const scenario = `${LOAD_AND_START}; ./mmlimit set u0_a70 100000000 20; ./test u0_a71 100000000 160000000`;
    const corrected = seedBench();
    corrected.run(scenario);
    expect(killLines(corrected.messages())).toHaveLength(1);
    expect(killLines(corrected.messages())[0]).toMatch(/^uid=10071, /);

    const faithful = seedBench({ oomMode: 'seed-faithful' });
    const r = faithful.run(scenario);
    expect(r.stdout).toMatch(/child process finish malloc: pid=\d+, uid=10071, mem=160000000/);
    expect(killLines(faithful.messages())).toEqual([]);
  });

  it('the same seed gives the same dmesg, byte for byte', () => {
    const scenario = `${LOAD_AND_START}; ./test u0_a70 100000000 160000000; ./test u0_a71 2000000000 900000000`;
    const run = (seed: number) => {
      const b = seedBench({ seed, ramMiB: 768 });
      b.run(scenario);
      b.wait(120);
      return b.device.dmesg();
    };
    const a = run(7);
    expect(run(7)).toBe(a);
    expect(a).toContain('Out of memory: Kill process');
    expect(run(8)).not.toBe(a);
  });
});
