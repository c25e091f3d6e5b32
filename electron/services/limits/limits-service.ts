import { join } from 'node:path';
import type { AppliedLimit, LimitsState } from '../../../contract/domains/limits.js';
import { readJson, safeName, writeJsonAtomic } from '../common/atomic-file.js';
import { apiError, ApiError, errorMessage } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import { REMOTE_DIR, type DeviceAccess } from '../devices/device-access.js';
import { planOps, reconcile, rollbackOps, type DesiredLimit, type LimitOp } from './reconcile.js';
import { parseMmLimits, parsePasswd, validateLimit, type LimitInput } from './validate.js';

interface StoredLimits {
  version: 1;
  desired: DesiredLimit[];
}

const RC_MARK = '@@GF_RC=';
const LIMITS_MARK = '@@GF_LIMITS';

export function opCommand(op: LimitOp, dir = REMOTE_DIR): string {
  return op.op === 'set' ? `${dir}/mmlimit set ${op.uid} ${op.mmMax} ${op.grace}` : `${dir}/mmlimit remove ${op.uid}`;
}

/** One round trip: run the ops (stopping at the first failure), say how it went, then read /proc/mm_limits back. */
export function batchCommand(ops: LimitOp[], dir = REMOTE_DIR): string {
  const run = ops.length ? ops.map((op) => opCommand(op, dir)).join(' && ') : 'true';
  return `${run}; echo "${RC_MARK}$?"; echo ${LIMITS_MARK}; cat /proc/mm_limits`;
}

export function parseBatchOutput(stdout: string): { rc: number | undefined; output: string; limits: AppliedLimit[] | undefined } {
  const rcAt = stdout.lastIndexOf(RC_MARK);
  const limitsAt = stdout.lastIndexOf(LIMITS_MARK);
  const rc = rcAt >= 0 ? Number.parseInt(stdout.slice(rcAt + RC_MARK.length), 10) : undefined;
  const output = (rcAt >= 0 ? stdout.slice(0, rcAt) : stdout).trim();
  const limitsText = limitsAt >= 0 ? stdout.slice(limitsAt + LIMITS_MARK.length) : '';
  const limits = /No such file|not found|can't open|cannot open/i.test(limitsText) ? undefined : parseMmLimits(limitsText);
  return { rc, output, limits };
}

/**
 * Per device: the table of limits the user wants (persisted), applied through the payload's `mmlimit`
 * (syscall 381), read back from /proc/mm_limits and reconciled. A batch that fails midway is rolled back.
 */
export class LimitsService extends Emitter<{ changed: LimitsState }> {
  private readonly cache = new Map<string, DesiredLimit[]>();
  private readonly lastApplied = new Map<string, { limits?: AppliedLimit[]; at: number }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: { dataDir: string; devices: DeviceAccess; remoteDir?: string }) {
    super();
  }

  private get dir(): string {
    return this.options.remoteDir ?? REMOTE_DIR;
  }

  private file(serial: string): string {
    return join(this.options.dataDir, 'limits', `${safeName(serial)}.json`);
  }

  private async desired(serial: string): Promise<DesiredLimit[]> {
    let rows = this.cache.get(serial);
    if (!rows) {
      const stored = await readJson<StoredLimits>(this.file(serial), { version: 1, desired: [] });
      rows = Array.isArray(stored.desired) ? stored.desired : [];
      this.cache.set(serial, rows);
    }
    return rows;
  }

  private async save(serial: string, rows: DesiredLimit[]): Promise<void> {
    await writeJsonAtomic(this.file(serial), { version: 1, desired: rows } satisfies StoredLimits);
    this.cache.set(serial, rows);
  }

  /** One operation per device at a time. */
  private serialize<T>(serial: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(serial) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(serial, next.catch(() => undefined));
    return next;
  }

  private async readBack(serial: string): Promise<AppliedLimit[] | undefined> {
    const result = await this.options.devices.io(serial).exec(batchCommand([], this.dir), { timeoutMs: 15_000 });
    const { limits } = parseBatchOutput(result.stdout + result.stderr);
    this.lastApplied.set(serial, { limits, at: Date.now() });
    return limits;
  }

  private async state(serial: string, applied: AppliedLimit[] | undefined): Promise<LimitsState> {
    const { rows, extra } = reconcile(await this.desired(serial), applied);
    const state: LimitsState = { serial, desired: rows, extra, modulesLoaded: applied !== undefined, readAt: this.lastApplied.get(serial)?.at };
    this.emit('changed', state);
    return state;
  }

  /** The table with the device's view (read now when the device is reachable, else the last one seen). */
  getLimits(serial: string): Promise<LimitsState> {
    return this.serialize(serial, async () => {
      let applied: AppliedLimit[] | undefined;
      try {
        applied = await this.readBack(serial);
      } catch {
        applied = this.lastApplied.get(serial)?.limits;
      }
      return this.state(serial, applied);
    });
  }

  private async passwd(serial: string): Promise<Map<string, number>> {
    try {
      return parsePasswd((await this.options.devices.io(serial).exec('cat /etc/passwd', { timeoutMs: 10_000 })).stdout);
    } catch {
      return new Map();
    }
  }

  /**
   * The device's table may have changed (the kernel listed it, or a module was unloaded): read it, unless the
   * listing is exactly what was last read, as after this app's own change. A listing is never taken for the
   * table itself: it may arrive cut across two batches.
   */
  refresh(serial: string, listed?: AppliedLimit[]): Promise<LimitsState> | undefined {
    const known = this.lastApplied.get(serial)?.limits;
    const same = (a: AppliedLimit[], b: AppliedLimit[]) => a.length === b.length && a.every((limit, i) => limit.uid === b[i]!.uid && limit.mmMax === b[i]!.mmMax && limit.grace === b[i]!.grace);
    if (listed && known && same(listed, known)) return undefined;
    return this.getLimits(serial);
  }

  /** The device behind this serial is gone for good: its table is no longer what the device has. */
  forget(serial: string): void {
    this.lastApplied.delete(serial);
  }

  /** Validates, stores and (by default) applies one limit. On any failure nothing changes, on disk or on the device. */
  setLimit(serial: string, input: LimitInput & { apply: boolean }): Promise<LimitsState> {
    return this.serialize(serial, async () => {
      let valid = validateLimit(input, { ramKb: this.options.devices.ramKb(serial) });
      if (valid instanceof ApiError && valid.code === 'unknown-user' && typeof input.user === 'string') {
        valid = validateLimit(input, { ramKb: this.options.devices.ramKb(serial), passwd: await this.passwd(serial) });
      }
      if (valid instanceof ApiError) throw valid;
      const before = await this.desired(serial);
      const after = [...before.filter((row) => row.uid !== valid.uid), { uid: valid.uid, user: valid.user, mmMax: valid.mmMax, grace: valid.grace }];
      if (!input.apply) {
        await this.save(serial, after);
        return this.state(serial, this.lastApplied.get(serial)?.limits);
      }
      const applied = await this.applyRows(serial, after, []);
      await this.save(serial, after);
      return this.state(serial, applied);
    });
  }

  /** Removes a limit from the table and from the device. */
  removeLimit(serial: string, uid: number): Promise<LimitsState> {
    return this.serialize(serial, async () => {
      const before = await this.desired(serial);
      const after = before.filter((row) => row.uid !== uid);
      let applied: AppliedLimit[] | undefined;
      try {
        applied = await this.applyRows(serial, after, [uid]);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'device-unavailable') throw error;
        applied = this.lastApplied.get(serial)?.limits;
      }
      await this.save(serial, after);
      return this.state(serial, applied);
    });
  }

  /** Makes the device match the table. */
  applyLimits(serial: string): Promise<LimitsState> {
    return this.serialize(serial, async () => {
      const rows = await this.desired(serial);
      const applied = await this.applyRows(serial, rows, []);
      return this.state(serial, applied);
    });
  }

  /**
   * After a reboot or a module reload: if the modules are loaded and the device lacks some of the table,
   * apply it. Says what it found: 'applied', 'in-sync', 'no-limits' or 'modules-missing'.
   */
  reapplyIfNeeded(serial: string): Promise<'applied' | 'in-sync' | 'no-limits' | 'modules-missing'> {
    return this.serialize(serial, async () => {
      const rows = await this.desired(serial);
      const applied = await this.readBack(serial);
      if (!applied) return 'modules-missing';
      if (!rows.length) return 'no-limits';
      if (!planOps(rows, applied).length) return 'in-sync';
      await this.applyRows(serial, rows, []);
      await this.state(serial, this.lastApplied.get(serial)?.limits);
      return 'applied';
    });
  }

  /** Runs the ops in one round trip; on failure runs the rollback and throws. Returns the read-back table. */
  private async applyRows(serial: string, rows: DesiredLimit[], removals: number[]): Promise<AppliedLimit[]> {
    const io = this.options.devices.io(serial);
    const before = await this.readBack(serial);
    if (!before) {
      throw apiError('modules-not-loaded', '/proc/mm_limits is missing: the limit modules are not loaded on this device', 'Run provisioning first (it loads mylimit, set_mm_limit and oom).', 'apply-limits');
    }
    const ops = planOps(rows, before, removals);
    if (!ops.length) return before;
    const result = await io.exec(batchCommand(ops, this.dir), { timeoutMs: 20_000 });
    const parsed = parseBatchOutput(result.stdout + result.stderr);
    this.lastApplied.set(serial, { limits: parsed.limits, at: Date.now() });
    if (parsed.rc !== 0) {
      let rollbackNote = '';
      try {
        const undo = rollbackOps(ops, before).map((op) => (op.op === 'remove' ? `${opCommand(op, this.dir)} 2>/dev/null; true` : opCommand(op, this.dir)));
        const restore = await io.exec(`${undo.join('; ')}; echo ${LIMITS_MARK}; cat /proc/mm_limits`, { timeoutMs: 20_000 });
        this.lastApplied.set(serial, { limits: parseBatchOutput(restore.stdout).limits, at: Date.now() });
      } catch (error) {
        rollbackNote = ` Rolling back also failed (${errorMessage(error)}): check the table with Apply.`;
      }
      throw apiError(
        'apply-failed',
        `The device refused the limit change: ${parsed.output || `mmlimit exited with ${parsed.rc ?? 'no code'}`}.${rollbackNote}`,
        /not found|No such file|inaccessible/i.test(parsed.output) ? 'The mmlimit program is missing: run provisioning to push the payload.' : 'Nothing was changed on the device. Check the value and that the modules are loaded, then try again.',
        'apply-limits',
      );
    }
    return parsed.limits ?? [];
  }
}
