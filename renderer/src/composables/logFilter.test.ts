import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../contract/domains/kernel-log.js';
import { compileFilter, filterChunked, filterRange, levelTone } from './logFilter.js';

const lines: LogLine[] = [
  { index: 0, ts: 1, level: 6, text: 'module load!' },
  { index: 1, ts: 2, level: 4, text: 'Existing memory limitations:' },
  { index: 2, ts: 3, level: 4, text: 'uid=10070,mm_max=100000000,time_allow_exceed=0' },
  { index: 3, ts: 4, level: 3, text: 'A process has been killed:' },
  { index: 4, ts: 4, level: 3, text: 'uid=10070, uRSS=108490752, mm_max=100000000, pid=561, pRSS=107552768' },
  { index: 5, ts: 9, level: 3, text: 'Escalating to SIGKILL: uid=10070, pid=561' },
];

function run(filter: Parameters<typeof compileFilter>[0], kills = new Set<number>()): number[] {
  const compiled = compileFilter(filter, kills);
  if (!compiled.ok) throw new Error(compiled.error);
  const out: number[] = [];
  filterRange(lines, compiled.test, 0, lines.length, out);
  return out;
}

describe('log filter', () => {
  it('matches text case-insensitively and literally', () => {
    expect(run({ text: 'MODULE', regex: false, killsOnly: false })).toEqual([0]);
    expect(run({ text: 'load!', regex: false, killsOnly: false })).toEqual([0]);
    expect(run({ text: 'pid=5.1', regex: false, killsOnly: false })).toEqual([]);
  });

  it('matches regular expressions and reports invalid ones', () => {
    expect(run({ text: 'pid=5.1', regex: true, killsOnly: false })).toEqual([4, 5]);
    const bad = compileFilter({ text: '(', regex: true, killsOnly: false }, new Set());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/Invalid regular expression/);
  });

  it('keeps only kill lines with "kills only", combined with text', () => {
    expect(run({ text: '', regex: false, killsOnly: true }, new Set([4]))).toEqual([3, 4, 5]);
    expect(run({ text: 'escalating', regex: false, killsOnly: true }, new Set([4]))).toEqual([5]);
  });

  it('an empty filter is trivial', () => {
    const compiled = compileFilter({ text: '', regex: false, killsOnly: false }, new Set());
    expect(compiled.ok && compiled.trivial).toBe(true);
  });

  it('filters in slices and can be cancelled', async () => {
    const many: LogLine[] = Array.from({ length: 50_000 }, (_, index) => ({ index, ts: index, level: 6, text: index % 1000 === 0 ? 'needle' : 'hay' }));
    const compiled = compileFilter({ text: 'needle', regex: false, killsOnly: false }, new Set());
    if (!compiled.ok) throw new Error();
    let yields = 0;
    const found = await filterChunked(many, compiled.test, () => false, 0, async () => void yields++);
    expect(found).toHaveLength(50);
    expect(yields).toBeGreaterThan(0);
    expect(await filterChunked(many, compiled.test, () => true, 0)).toBeNull();
  });

  it('maps dmesg levels to tones', () => {
    expect([0, 3, 4, 5, 6, 7].map(levelTone)).toEqual(['error', 'error', 'warn', 'notice', 'info', 'debug']);
  });
});
