import type { AppliedLimit, LimitRow } from '../../../contract/domains/limits.js';

export interface DesiredLimit {
  uid: number;
  user: string;
  mmMax: number;
  grace: number;
  /** The device's message from the last failed attempt. */
  error?: string;
}

/** Compares what the user wants with what the device has. */
export function reconcile(desired: DesiredLimit[], applied: AppliedLimit[] | undefined): { rows: LimitRow[]; extra: AppliedLimit[] } {
  const onDevice = new Map((applied ?? []).map((limit) => [limit.uid, limit]));
  const rows: LimitRow[] = [...desired]
    .sort((a, b) => a.uid - b.uid)
    .map((want) => {
      const have = onDevice.get(want.uid);
      let sync: LimitRow['sync'];
      if (want.error) sync = 'failed';
      else if (!have) sync = 'pending';
      else sync = have.mmMax === want.mmMax && have.grace === want.grace ? 'applied' : 'differs';
      const differs = sync === 'differs' && have ? { onDevice: { mmMax: have.mmMax, grace: have.grace } } : {};
      return { uid: want.uid, user: want.user, mmMax: want.mmMax, grace: want.grace, sync, ...(want.error ? { error: want.error } : {}), ...differs };
    });
  const wanted = new Set(desired.map((d) => d.uid));
  const extra = (applied ?? []).filter((limit) => !wanted.has(limit.uid));
  return { rows, extra };
}

export type LimitOp = { op: 'set'; uid: number; mmMax: number; grace: number } | { op: 'remove'; uid: number };

/** What to run on the device so that it matches `desired` (removing only uids named in `removals`). */
export function planOps(desired: DesiredLimit[], applied: AppliedLimit[], removals: number[] = []): LimitOp[] {
  const onDevice = new Map(applied.map((limit) => [limit.uid, limit]));
  const ops: LimitOp[] = [];
  for (const want of [...desired].sort((a, b) => a.uid - b.uid)) {
    const have = onDevice.get(want.uid);
    if (!have || have.mmMax !== want.mmMax || have.grace !== want.grace) ops.push({ op: 'set', uid: want.uid, mmMax: want.mmMax, grace: want.grace });
  }
  for (const uid of removals) if (onDevice.has(uid)) ops.push({ op: 'remove', uid });
  return ops;
}

/** The ops that put back `before` for every uid that `ops` touched (used when a batch fails midway). */
export function rollbackOps(ops: LimitOp[], before: AppliedLimit[]): LimitOp[] {
  const prior = new Map(before.map((limit) => [limit.uid, limit]));
  return ops.map((op) => {
    const was = prior.get(op.uid);
    return was ? { op: 'set', uid: was.uid, mmMax: was.mmMax, grace: was.grace } : { op: 'remove', uid: op.uid };
  });
}
