import { describe, expect, it } from 'vitest';
import { workloadCommand } from './workload-service.js';

describe('workload command lines', () => {
  it("builds the seed's test 1 and every option", () => {
    expect(workloadCommand({ kind: 'test', user: 'u0_a70', limit: 100000000, mems: [160000000], grace: 0, ignoreTerm: false }, '/data/local/tmp')).toBe('cd /data/local/tmp && ./test u0_a70 100000000 160000000');
    expect(workloadCommand({ kind: 'test', user: 'u0_a70', limit: 100000000, mems: [20000000, 30000000], grace: 20, ignoreTerm: true, holdSeconds: 5, rateMiBps: 100 }, '/d')).toBe('cd /d && ./test -g 20 -i -h 5 -r 100 u0_a70 100000000 20000000 30000000');
  });

  it('quotes a user name the shell would misread, and passes commands as written', () => {
    expect(workloadCommand({ kind: 'test', user: "a b'c", limit: 1, mems: [2], grace: 0, ignoreTerm: false }, '/d')).toBe(`cd /d && ./test 'a b'"'"'c' 1 2`);
    expect(workloadCommand({ kind: 'command', command: 'dmesg | tail -5' })).toBe('dmesg | tail -5');
  });
});
