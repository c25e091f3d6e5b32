import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// guest-lib.sh's timely check, run by the guest's shell (busybox sh) on a made-up scenario: samples of uid
// 10070 every 0.2 s crossing 100000000 bytes between 10.0 and 10.2 s, and a kill report at KILL seconds.
const BUSYBOX = '/usr/bin/busybox';
const LIB = new URL('./guest-lib.sh', import.meta.url).pathname;

function timely(killAt: string, grace: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'guest-lib-'));
  const samples: string[] = [];
  for (let ms = 9000; ms <= 14000; ms += 200) samples.push(`T ${ms} 1000000 500000`, `1 0 600 init`, `171 10070 ${ms <= 10000 ? 50000 : 150000} test`);
  writeFileSync(join(dir, 'samples'), samples.join('\n') + '\n');
  writeFileSync(join(dir, 'dmesg.timed'), `[   ${killAt}] A process has been killed:\n[   ${killAt}] uid=10070, uRSS=153600000, mm_max=100000000, pid=171, pRSS=153600000\n`);
  writeFileSync(join(dir, 's1.out'), 'child process end: pid=171, idx=0, signal=15\n');
  const script = `. ${LIB}; SCDIR=${dir}; expect_timely seed.timely-s1.0 s1 0 10070 100000000 ${grace} 3 1`;
  return execFileSync(BUSYBOX, ['sh', '-c', script], { encoding: 'utf8' });
}

describe.skipIf(!existsSync(BUSYBOX))("the QEMU guest's timely check (busybox sh)", () => {
  it('passes a kill within the grace, one interval and the slack after the crossing, with the evidence', () => {
    const out = timely('12.500000', 2);
    expect(out).toContain('KTEST PASS seed.timely-s1.0');
    expect(out).toContain('crossed 100000000 between 10.000 and 10.200; killed at 12.500; due in [12.000, 16.200]');
  });

  it('fails a kill before the grace from the breach ran out (the seed counted it from the set)', () => {
    expect(timely('11.000000', 2)).toMatch(/KTEST FAIL seed\.timely-s1\.0 uid 10070 crossed .* killed at 11\.000; due in \[12\.000, 16\.200\]/);
  });

  it('fails a kill later than an interval and the slack after the grace', () => {
    expect(timely('17.000000', 2)).toContain('KTEST FAIL seed.timely-s1.0');
  });
});
