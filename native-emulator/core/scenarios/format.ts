/**
 * The scenario format (scenarios/README.md): validation of one parsed file into a typed plan, with the names of
 * its checks, for every runner (the simulator, devices over adb, and the QEMU guest through
 * scripts/kernel-test/gen-init.ts). Version 2 adds step and
 * expectation kinds (run_workload, reset, restart_daemon; timely, protected, kill_format, slack) and nothing
 * else, so every v1 file is a valid v2 file once its version says 2.
 */

export const SCENARIO_MODULES = ['mylimit', 'set_mm_limit', 'oom'] as const;
export type ScenarioModule = (typeof SCENARIO_MODULES)[number];
export const SCENARIO_VERSIONS = [1, 2] as const;

/** Allocation profiles of run_workload (v2), each a way of calling the test program. */
export const WORKLOAD_PROFILES = ['ramp', 'spike', 'many_small', 'ignore_term'] as const;
export type WorkloadProfile = (typeof WORKLOAD_PROFILES)[number];

const ERRNO = { EPERM: 1, ENOENT: 2, EINVAL: 22 } as const;
const NAME_RE = /^[A-Za-z0-9_-]+$/;

export class ScenarioError extends Error {}

export type Via = 'syscall' | 'proc';
export type Step =
  | { op: 'insmod' | 'rmmod'; check: string | null; module: ScenarioModule; expect: 'ok' | 'fail' | '' }
  | { op: 'lsmod'; check: string; module: ScenarioModule; want: { refcnt: number; usedBy: string } | 'absent' }
  | { op: 'set_limit'; check: string; uid: number; mmMax: number; grace: number; via: Via; errno: number }
  | { op: 'limits'; check: string; lines: string[] }
  | { op: 'oom_stats'; check: string; checks: number | undefined; kills: number | undefined }
  | { op: 'start_daemon'; check: string; interval: number; via: Via | 'auto' }
  | { op: 'stop_daemon' }
  | { op: 'run_test'; id: string; uid: number; limit: number; grace: number; ignoreTerm: boolean; hold: number; rate: number; mems: number[] }
  | { op: 'wait'; seconds: number }
  | { op: 'wait_tests'; check: string }
  | { op: 'reset' };

export type Expectation =
  | { kind: 'killed' | 'escalated'; check: string; id: string; idx: number; uid: number; limit: number }
  | { kind: 'survived'; check: string; id: string; idx: number }
  | { kind: 'kills'; check: string; n: number }
  | { kind: 'dmesg'; check: string; line: string }
  | { kind: 'no_kernel_oom'; check: string }
  | { kind: 'timely'; check: string; id: string; idx: number; uid: number; limit: number; grace: number; interval: number; slack: number }
  | { kind: 'protected_root'; check: string }
  | { kind: 'protected_daemon'; check: string }
  | { kind: 'kill_format'; check: string };

export interface CompiledScenario {
  readonly version: 1 | 2;
  readonly name: string;
  readonly description: string;
  readonly steps: readonly Step[];
  readonly expectations: readonly Expectation[];
  /** Every check name, in the order the kernel runner's checks.txt lists them. */
  readonly checks: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(where: string, msg: string): never {
  throw new ScenarioError(`${where}: ${msg}`);
}

/** Android rules as in resources/programs/common.c; scenarios use only these forms. */
export function resolveScenarioUser(user: unknown, where: string): number {
  if (user === 'root') return 0;
  if (user === 'system') return 1000;
  if (user === 'shell') return 2000;
  if (typeof user === 'string') {
    const m = /^u(\d+)_a(\d+)$/.exec(user);
    if (m && Number(m[2]) < 90000) return Number(m[1]) * 100000 + 10000 + Number(m[2]);
    if (/^\d+$/.test(user)) return Number(user);
  }
  return fail(where, `user ${JSON.stringify(user)} is not root/system/shell/uN_aM/a uid`);
}

function int(v: unknown, where: string, what: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(where, `${what} must be an integer >= ${min}`);
  return v;
}

function num(v: unknown, where: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, `${what} must be a number >= 0`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string, what: string): T {
  if (!allowed.includes(v as T)) fail(where, `${what} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function only(obj: unknown, keys: readonly string[], where: string): void {
  if (!isObject(obj)) fail(where, 'must be an object');
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(where, `unknown field ${k}`);
}

/** run_workload (v2) as the test program's arguments: every profile is a way of calling `test`. */
export function workloadAsTest(profile: WorkloadProfile, size: number, count: number, rate: number | undefined): { mems: number[]; rate: number; ignoreTerm: boolean } {
  switch (profile) {
    case 'ramp':
      return { mems: [size], rate: rate ?? 8, ignoreTerm: false };
    case 'spike':
      return { mems: [size], rate: rate ?? 200, ignoreTerm: false };
    case 'many_small':
      return { mems: Array.from({ length: count }, () => size), rate: rate ?? 20, ignoreTerm: false };
    case 'ignore_term':
      return { mems: [size], rate: rate ?? 20, ignoreTerm: true };
  }
}

/** Validates one parsed scenario file and names its checks; throws ScenarioError. */
export function compileScenario(sc: unknown, file: string): CompiledScenario {
  if (!isObject(sc) || !SCENARIO_VERSIONS.includes(sc.version as 1 | 2)) fail(file, 'version must be 1 or 2');
  const version = sc.version as 1 | 2;
  const v2 = (where: string, what: string): void => {
    if (version < 2) fail(where, `${what} needs "version": 2`);
  };
  only(sc, ['version', 'name', 'description', 'steps', 'expect'], file);
  const name = sc.name;
  if (typeof name !== 'string' || !NAME_RE.test(name)) fail(file, 'name must match [A-Za-z0-9_-]+');
  if (!Array.isArray(sc.steps)) fail(file, 'steps must be a list');

  const checks: string[] = [];
  const check = (n: string): string => {
    const full = `${name}.${n}`;
    if (checks.includes(full)) fail(file, `duplicate check ${full}`);
    checks.push(full);
    return full;
  };
  const tests = new Map<string, { uid: number; limit: number; grace: number; n: number; interval: number }>();
  const steps: Step[] = [];
  let interval = 0;

  const runTest = (step: Json, where: string, derived?: { mems: number[]; rate: number; ignoreTerm: boolean }) => {
    const id = step.id;
    if (typeof id !== 'string' || !NAME_RE.test(id)) fail(where, 'id must match [A-Za-z0-9_-]+');
    if (tests.has(id)) fail(where, `test id ${id} used twice`);
    const uid = resolveScenarioUser(step.user, where);
    if (uid === 0) fail(where, 'run_test as root makes no sense: uid 0 is never limited');
    const limit = int(step.limit, where, 'limit', 1);
    const grace = int(step.grace ?? 0, where, 'grace');
    let mems: number[];
    if (derived) mems = derived.mems;
    else {
      if (!Array.isArray(step.mems) || step.mems.length === 0) fail(where, 'mems must be a non-empty list');
      mems = step.mems.map((m) => int(m, where, 'mems[]'));
    }
    const hold = num(step.hold ?? 3, where, 'hold');
    const rate = derived ? derived.rate : num(step.rate ?? 20, where, 'rate');
    tests.set(id, { uid, limit, grace, n: mems.length, interval });
    steps.push({ op: 'run_test', id, uid, limit, grace, ignoreTerm: derived ? derived.ignoreTerm : step.ignore_term === true, hold, rate, mems });
  };

  (sc.steps as unknown[]).forEach((raw, i) => {
    const n = String(i + 1).padStart(2, '0');
    const where = `${file} step ${i + 1}`;
    if (!isObject(raw)) fail(where, 'a step must be an object');
    const step = raw;
    switch (step.op) {
      case 'insmod':
      case 'rmmod': {
        only(step, ['op', 'module', 'expect'], where);
        const module = oneOf(step.module, SCENARIO_MODULES, where, 'module');
        const expect = step.expect === undefined ? '' : oneOf(step.expect, ['ok', 'fail'] as const, where, 'expect');
        steps.push({ op: step.op, check: expect ? check(`${n}-${step.op}-${module}-${expect}`) : null, module, expect });
        break;
      }
      case 'lsmod': {
        only(step, ['op', 'expect'], where);
        if (!isObject(step.expect)) fail(where, 'expect must be an object');
        for (const [mod, want] of Object.entries(step.expect)) {
          const module = oneOf(mod, SCENARIO_MODULES, where, 'module');
          if (want === null) {
            steps.push({ op: 'lsmod', check: check(`${n}-lsmod-${module}-absent`), module, want: 'absent' });
            continue;
          }
          only(want, ['refcnt', 'used_by'], where);
          const w = want as Json;
          const refcnt = int(w.refcnt, where, 'refcnt');
          const usedByRaw = w.used_by ?? [];
          if (!Array.isArray(usedByRaw)) fail(where, 'used_by must be a list');
          const usedBy = usedByRaw.map((m) => oneOf(m, SCENARIO_MODULES, where, 'used_by')).sort();
          steps.push({ op: 'lsmod', check: check(`${n}-lsmod-${module}`), module, want: { refcnt, usedBy: usedBy.join(',') } });
        }
        break;
      }
      case 'set_limit': {
        only(step, ['op', 'user', 'mm_max', 'grace', 'via', 'expect'], where);
        const uid = resolveScenarioUser(step.user, where);
        const mmMax = int(step.mm_max, where, 'mm_max');
        const grace = int(step.grace ?? 0, where, 'grace');
        const via = oneOf(step.via ?? 'syscall', ['syscall', 'proc'] as const, where, 'via');
        const exp = oneOf(step.expect ?? 'ok', ['ok', 'EPERM', 'ENOENT', 'EINVAL'] as const, where, 'expect');
        const errno = exp === 'ok' ? 0 : ERRNO[exp];
        // a later successful set of a run's uid is the limit its kill report names
        if (errno === 0 && mmMax > 0) for (const t of tests.values()) if (t.uid === uid) t.limit = mmMax;
        steps.push({ op: 'set_limit', check: check(`${n}-set_limit-${uid}-${via}-${exp}`), uid, mmMax, grace, via, errno });
        break;
      }
      case 'limits': {
        only(step, ['op', 'expect'], where);
        if (!Array.isArray(step.expect)) fail(where, 'expect must be a list of lines');
        steps.push({ op: 'limits', check: check(`${n}-limits`), lines: step.expect.map(String) });
        break;
      }
      case 'oom_stats': {
        only(step, ['op', 'expect'], where);
        const e = step.expect ?? {};
        only(e, ['checks', 'kills'], where);
        const ej = e as Json;
        const checksWant = ej.checks === undefined ? undefined : int(ej.checks, where, 'checks');
        const killsWant = ej.kills === undefined ? undefined : int(ej.kills, where, 'kills');
        steps.push({ op: 'oom_stats', check: check(`${n}-oom_stats`), checks: checksWant, kills: killsWant });
        break;
      }
      case 'start_daemon':
      case 'restart_daemon': {
        if (step.op === 'restart_daemon') v2(where, 'restart_daemon');
        only(step, ['op', 'interval', 'via'], where);
        interval = int(step.interval, where, 'interval', 1);
        const via = oneOf(step.via ?? 'auto', ['auto', 'syscall', 'proc'] as const, where, 'via');
        if (step.op === 'restart_daemon') steps.push({ op: 'stop_daemon' });
        steps.push({ op: 'start_daemon', check: check(`${n}-${step.op}`), interval, via });
        break;
      }
      case 'stop_daemon':
        only(step, ['op'], where);
        steps.push({ op: 'stop_daemon' });
        break;
      case 'run_test':
        only(step, ['op', 'id', 'user', 'limit', 'grace', 'mems', 'ignore_term', 'hold', 'rate'], where);
        runTest(step, where);
        break;
      case 'run_workload': {
        v2(where, 'run_workload');
        only(step, ['op', 'id', 'user', 'limit', 'grace', 'profile', 'size', 'count', 'hold', 'rate'], where);
        const profile = oneOf(step.profile, WORKLOAD_PROFILES, where, 'profile');
        const size = int(step.size, where, 'size', 1);
        const count = profile === 'many_small' ? int(step.count, where, 'count', 1) : 1;
        if (profile !== 'many_small' && step.count !== undefined) fail(where, 'count is for the many_small profile');
        if (count > 64) fail(where, 'count must be <= 64');
        const rate = step.rate === undefined ? undefined : num(step.rate, where, 'rate');
        runTest(step, where, workloadAsTest(profile, size, count, rate));
        break;
      }
      case 'wait':
        only(step, ['op', 'seconds'], where);
        steps.push({ op: 'wait', seconds: num(step.seconds, where, 'seconds') });
        break;
      case 'wait_tests':
        only(step, ['op'], where);
        steps.push({ op: 'wait_tests', check: check(`${n}-wait_tests`) });
        break;
      case 'reset':
        v2(where, 'reset');
        only(step, ['op'], where);
        steps.push({ op: 'reset' });
        break;
      default:
        fail(where, `unknown op ${JSON.stringify(step.op)}`);
    }
  });

  const exp = sc.expect ?? {};
  const v1Keys = ['killed', 'survived', 'escalated', 'kills', 'dmesg', 'no_kernel_oom'];
  const v2Keys = ['timely', 'slack', 'protected', 'kill_format'];
  only(exp, version >= 2 ? [...v1Keys, ...v2Keys] : v1Keys, `${file} expect`);
  const e = exp as Json;
  const list = (v: unknown, what: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) fail(`${file} expect.${what}`, 'must be a list');
    return v;
  };
  const child = (ref: unknown, what: string) => {
    const m = typeof ref === 'string' ? /^([A-Za-z0-9_-]+)\.(\d+)$/.exec(ref) : null;
    const t = m ? tests.get(m[1]!) : undefined;
    if (!m || !t || Number(m[2]) >= t.n) fail(`${file} expect.${what}`, `${String(ref)} names no child of a run_test`);
    return { ref: ref as string, id: m[1]!, idx: Number(m[2]), ...t };
  };
  const expectations: Expectation[] = [];
  for (const ref of list(e.killed, 'killed')) {
    const c = child(ref, 'killed');
    expectations.push({ kind: 'killed', check: check(`killed-${c.ref}`), id: c.id, idx: c.idx, uid: c.uid, limit: c.limit });
  }
  for (const ref of list(e.escalated, 'escalated')) {
    const c = child(ref, 'escalated');
    expectations.push({ kind: 'escalated', check: check(`escalated-${c.ref}`), id: c.id, idx: c.idx, uid: c.uid, limit: c.limit });
  }
  for (const ref of list(e.survived, 'survived')) {
    const c = child(ref, 'survived');
    expectations.push({ kind: 'survived', check: check(`survived-${c.ref}`), id: c.id, idx: c.idx });
  }
  if (e.kills !== undefined) expectations.push({ kind: 'kills', check: check('kills'), n: int(e.kills, `${file} expect`, 'kills') });
  list(e.dmesg, 'dmesg').forEach((line, i) => {
    if (typeof line !== 'string') fail(`${file} expect.dmesg`, 'lines must be strings');
    expectations.push({ kind: 'dmesg', check: check(`dmesg-${i + 1}`), line });
  });
  if (e.no_kernel_oom) expectations.push({ kind: 'no_kernel_oom', check: check('no_kernel_oom') });
  // version 2
  const slack = e.slack === undefined ? 1 : num(e.slack, `${file} expect`, 'slack');
  for (const ref of list(e.timely, 'timely')) {
    const c = child(ref, 'timely');
    if (c.interval === 0) fail(`${file} expect.timely`, `${c.ref}: no start_daemon before its run, so no T to time it by`);
    expectations.push({ kind: 'timely', check: check(`timely-${c.ref}`), id: c.id, idx: c.idx, uid: c.uid, limit: c.limit, grace: c.grace, interval: c.interval, slack });
  }
  if (e.protected !== undefined && typeof e.protected !== 'boolean') fail(`${file} expect`, 'protected must be true or false');
  if (e.protected) {
    expectations.push({ kind: 'protected_root', check: check('protected-root') });
    expectations.push({ kind: 'protected_daemon', check: check('protected-daemon') });
  }
  if (e.kill_format !== undefined && typeof e.kill_format !== 'boolean') fail(`${file} expect`, 'kill_format must be true or false');
  if (e.kill_format) expectations.push({ kind: 'kill_format', check: check('kill_format') });

  const description = typeof sc.description === 'string' ? sc.description : '';
  return { version, name, description, steps, expectations, checks };
}
