import { describe, expect, it } from 'vitest';
import { LimitsState } from '../../../contract/domains/limits.js';
import { ApiError } from '../common/errors.js';
import { batchCommand, parseBatchOutput } from './limits-service.js';
import { planOps, reconcile, rollbackOps } from './reconcile.js';
import { parseMmLimits, parsePasswd, validateLimit } from './validate.js';

const err = (value: unknown) => (value instanceof ApiError ? value.code : 'ok');

describe('limit validation', () => {
  it('accepts user names, uids and sizes with units', () => {
    expect(validateLimit({ user: 'u0_a70', mmMax: '100M', grace: 20 })).toEqual({ uid: 10070, user: 'u0_a70', mmMax: 100 * 1024 * 1024, grace: 20 });
    expect(validateLimit({ user: 10071, mmMax: 100000000, grace: 0 })).toEqual({ uid: 10071, user: 'u0_a71', mmMax: 100000000, grace: 0 });
    expect(validateLimit({ user: 'alice', mmMax: '1G', grace: 0 }, { passwd: parsePasswd('root:x:0:0::/:/bin/sh\nalice:x:5001:5001::/home:/bin/sh\n') })).toMatchObject({ uid: 5001 });
  });

  it('refuses root, unknown names, zero, negative, non-numbers and limits above RAM with a hint', () => {
    const cases: Array<[Parameters<typeof validateLimit>[0], string]> = [
      [{ user: 'root', mmMax: '100M', grace: 0 }, 'root-refused'],
      [{ user: 0, mmMax: '100M', grace: 0 }, 'root-refused'],
      [{ user: 'nosuchuser', mmMax: '100M', grace: 0 }, 'unknown-user'],
      [{ user: 'u0_a70', mmMax: '0', grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: 0, grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: -5, grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: '-5M', grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: 'lots', grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: '10X', grace: 0 }, 'invalid-size'],
      [{ user: 'u0_a70', mmMax: '2G', grace: 0 }, 'limit-above-ram'],
    ];
    for (const [input, code] of cases) {
      const result = validateLimit(input, { ramKb: 1024 * 1024 });
      expect(err(result), JSON.stringify(input)).toBe(code);
      expect((result as ApiError).hint).toBeTruthy();
    }
  });
});

describe('reconcile', () => {
  const desired = [
    { uid: 10071, user: 'u0_a71', mmMax: 50, grace: 0 },
    { uid: 10070, user: 'u0_a70', mmMax: 100, grace: 20 },
    { uid: 10072, user: 'u0_a72', mmMax: 70, grace: 0 },
  ];
  const applied = parseMmLimits('uid=10070,mm_max=100,time_allow_exceed=20\nuid=10071,mm_max=60,time_allow_exceed=0\nuid=10090,mm_max=1,time_allow_exceed=0\n');

  it('says per row whether the device agrees, and lists extra limits', () => {
    const { rows, extra } = reconcile(desired, applied);
    expect(rows.map((r) => [r.uid, r.sync])).toEqual([[10070, 'applied'], [10071, 'differs'], [10072, 'pending']]);
    expect(extra).toEqual([{ uid: 10090, mmMax: 1, grace: 0 }]);
    expect(reconcile(desired, undefined).rows.every((r) => r.sync === 'pending')).toBe(true);
  });

  it("shows what the device has on a row that differs, whatever grace it holds (the kernel takes any), in the contract's shape", () => {
    const odd = parseMmLimits('uid=10071,mm_max=60,time_allow_exceed=100000\n');
    const { rows, extra } = reconcile(desired, odd);
    expect(rows.find((r) => r.uid === 10071)).toMatchObject({ sync: 'differs', onDevice: { mmMax: 60, grace: 100000 } });
    expect(rows.find((r) => r.uid === 10070)).not.toHaveProperty('onDevice');
    expect(() => LimitsState.parse({ serial: 'emulator-5554', desired: rows, extra, modulesLoaded: true })).not.toThrow();
  });

  it('plans only the needed ops, and their rollback', () => {
    const ops = planOps(desired, applied, [10090]);
    expect(ops).toEqual([
      { op: 'set', uid: 10071, mmMax: 50, grace: 0 },
      { op: 'set', uid: 10072, mmMax: 70, grace: 0 },
      { op: 'remove', uid: 10090 },
    ]);
    expect(rollbackOps(ops, applied)).toEqual([
      { op: 'set', uid: 10071, mmMax: 60, grace: 0 },
      { op: 'remove', uid: 10072 },
      { op: 'set', uid: 10090, mmMax: 1, grace: 0 },
    ]);
  });

  it('builds one round trip and reads its output', () => {
    expect(batchCommand([{ op: 'set', uid: 10070, mmMax: 100, grace: 2 }, { op: 'remove', uid: 10071 }], '/d')).toBe(
      '/d/mmlimit set 10070 100 2 && /d/mmlimit remove 10071; echo "@@GF_RC=$?"; echo @@GF_LIMITS; cat /proc/mm_limits',
    );
    expect(parseBatchOutput('mmlimit: set_mm_limit: Operation not permitted\n@@GF_RC=1\n@@GF_LIMITS\nuid=10070,mm_max=100,time_allow_exceed=2\n')).toEqual({
      rc: 1,
      output: 'mmlimit: set_mm_limit: Operation not permitted',
      limits: [{ uid: 10070, mmMax: 100, grace: 2 }],
    });
    expect(parseBatchOutput('@@GF_RC=0\n@@GF_LIMITS\ncat: /proc/mm_limits: No such file or directory\n').limits).toBeUndefined();
  });
});
