import { describe, expect, it } from 'vitest';
import { draftFromBytes, validateLimit } from './limitInput.js';

describe('validateLimit', () => {
  it('accepts the seed test: u0_a70, 100000000 bytes', () => {
    expect(validateLimit({ user: 'u0_a70', amount: '100000000', unit: 'B', grace: '' })).toEqual({ ok: true, value: { uid: 10070, user: 'u0_a70', bytes: 100_000_000, grace: 0 } });
  });

  it('applies the chosen unit, or the unit typed in the amount (binary units, as on the device)', () => {
    const mb = validateLimit({ user: '10070', amount: '100', unit: 'MB', grace: '20' });
    expect(mb.ok && mb.value).toMatchObject({ uid: 10070, bytes: 100 * 1024 ** 2, grace: 20 });
    const typed = validateLimit({ user: 'u0_a70', amount: '1.5G', unit: 'KB', grace: '0' });
    expect(typed.ok && typed.value.bytes).toBe(1.5 * 1024 ** 3);
  });

  it('refuses with a sentence per field', () => {
    const result = validateLimit({ user: 'root', amount: '-5', unit: 'MB', grace: '2.5' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.user).toMatch(/root/);
    expect(result.errors.amount).toMatch(/not a size/);
    expect(result.errors.grace).toMatch(/whole number/);
  });

  it('refuses unknown users, zero, sub-page limits, unknown units and duplicates', () => {
    const errors = (draft: Parameters<typeof validateLimit>[0], existing?: number[]) => {
      const result = validateLimit(draft, { existingUids: existing });
      return result.ok ? {} : result.errors;
    };
    expect(errors({ user: 'alice', amount: '1', unit: 'GB', grace: '0' }).user).toMatch(/not a known user/);
    expect(errors({ user: 'u0_a70', amount: '0', unit: 'MB', grace: '0' }).amount).toMatch(/greater than 0/);
    expect(errors({ user: 'u0_a70', amount: '100', unit: 'B', grace: '0' }).amount).toMatch(/one page/);
    expect(errors({ user: 'u0_a70', amount: '10 TB', unit: 'B', grace: '0' }).amount).toMatch(/Unknown unit/);
    expect(errors({ user: 'u0_a70', amount: '100', unit: 'MB', grace: '90000' }).grace).toMatch(/86400/);
    expect(errors({ user: 'u0_a70', amount: '', unit: 'MB', grace: '0' }, [10070]).user).toMatch(/already has a limit/);
  });

  it('lets a row keep its own uid while editing', () => {
    expect(validateLimit({ user: 'u0_a70', amount: '5', unit: 'MB', grace: '0' }, { existingUids: [10070], editingUid: 10070 }).ok).toBe(true);
  });
});

describe('draftFromBytes', () => {
  it('picks the largest unit that shows the value exactly', () => {
    expect(draftFromBytes('u0_a70', 100_000_000, 0)).toEqual({ user: 'u0_a70', amount: '100000000', unit: 'B', grace: '0' });
    expect(draftFromBytes('u0_a70', 200 * 1024 ** 2, 5)).toMatchObject({ amount: '200', unit: 'MB', grace: '5' });
  });
});
