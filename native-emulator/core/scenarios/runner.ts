/**
 * Runs scenarios/*.json (format version 1, scenarios/README.md) on a simulated device, through its real shell and
 * in virtual time: the simulator's side of "the same scenario file gives the same kill decisions".
 *
 * It is a port of the real-kernel runner (scripts/kernel-test/gen-init.mjs, which validates a file and names its
 * checks, and scripts/kernel-test/guest-lib.sh, which runs the steps and evaluates the expectations in the QEMU
 * guest): the same validation, the same shell commands (insmod, rmmod, /proc/modules, mmlimit -s|-p, oom -s|-p,
 * test in the background, sleep, kill), the same checks under the same names, passing on the same evidence.
 *
 * Pure core: the caller parses the JSON and hands over a freshly booted device and its scheduler.
 */
import type { VirtualScheduler } from '../clock.js';
import type { DeviceApi } from '../device-api.js';
import { buildSimPayloadFiles } from '../payload/sim-payload.js';
import { advanceUntil, runShell, startShell, type LiveShell, type ShellRun } from '../testing/shell-runner.js';
import { NS_PER_S } from '../time/units.js';

/** Where the runner puts the modules and programs, as the QEMU runner does. */
export const SCENARIO_PAYLOAD_DIR = '/data/local/tmp';

export const SCENARIO_MODULES = ['mylimit', 'set_mm_limit', 'oom'] as const;
export type ScenarioModule = (typeof SCENARIO_MODULES)[number];

const ERRNO = { EPERM: 1, ENOENT: 2, EINVAL: 22 } as const;
const NAME_RE = /^[A-Za-z0-9_-]+$/;
const WAIT_TESTS_TIMEOUT_S = 60;
/** The QEMU runner polls every 0.1 s (`sleep 0.1`). */
const POLL_NS = NS_PER_S / 10;

export interface ScenarioCheck {
  /** `<scenario>.<nn>-<op>-...`, `<scenario>.killed-t1.2`, `log.no-oops`: the names the kernel runner prints. */
  name: string;
  pass: boolean;
  /** Why it failed (what guest-lib.sh prints after `KTEST FAIL <name>`); empty when it passed. */
  detail: string;
}

export class ScenarioError extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Validation: gen-init.mjs's compileScenario, producing a typed plan instead of a shell script.

type Via = 'syscall' | 'proc';
type Step =
  | { op: 'insmod' | 'rmmod'; check: string | null; module: ScenarioModule; expect: 'ok' | 'fail' | '' }
  | { op: 'lsmod'; check: string; module: ScenarioModule; want: { refcnt: number; usedBy: string } | 'absent' }
  | { op: 'set_limit'; check: string; uid: number; mmMax: number; grace: number; via: Via; errno: number }
  | { op: 'limits'; check: string; lines: string[] }
  | { op: 'oom_stats'; check: string; checks: number | undefined; kills: number | undefined }
  | { op: 'start_daemon'; check: string; interval: number; via: Via | 'auto' }
  | { op: 'stop_daemon' }
  | { op: 'run_test'; id: string; uid: number; limit: number; grace: number; ignoreTerm: boolean; hold: number; rate: number; mems: number[] }
  | { op: 'wait'; seconds: number }
  | { op: 'wait_tests'; check: string };

type Expectation =
  | { kind: 'killed' | 'escalated'; check: string; id: string; idx: number; uid: number; limit: number }
  | { kind: 'survived'; check: string; id: string; idx: number }
  | { kind: 'kills'; check: string; n: number }
  | { kind: 'dmesg'; check: string; line: string }
  | { kind: 'no_kernel_oom'; check: string };

export interface CompiledScenario {
  readonly name: string;
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

/** Validates one parsed scenario file as gen-init.mjs does and names its checks; throws ScenarioError. */
export function compileScenario(sc: unknown, file: string): CompiledScenario {
  if (!isObject(sc) || sc.version !== 1) fail(file, 'version must be 1');
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
  const tests = new Map<string, { uid: number; limit: number; n: number }>();
  const steps: Step[] = [];

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
      case 'start_daemon': {
        only(step, ['op', 'interval', 'via'], where);
        const interval = int(step.interval, where, 'interval', 1);
        const via = oneOf(step.via ?? 'auto', ['auto', 'syscall', 'proc'] as const, where, 'via');
        steps.push({ op: 'start_daemon', check: check(`${n}-start_daemon`), interval, via });
        break;
      }
      case 'stop_daemon':
        only(step, ['op'], where);
        steps.push({ op: 'stop_daemon' });
        break;
      case 'run_test': {
        only(step, ['op', 'id', 'user', 'limit', 'grace', 'mems', 'ignore_term', 'hold', 'rate'], where);
        const id = step.id;
        if (typeof id !== 'string' || !NAME_RE.test(id)) fail(where, 'id must match [A-Za-z0-9_-]+');
        if (tests.has(id)) fail(where, `test id ${id} used twice`);
        const uid = resolveScenarioUser(step.user, where);
        if (uid === 0) fail(where, 'run_test as root makes no sense: uid 0 is never limited');
        const limit = int(step.limit, where, 'limit', 1);
        const grace = int(step.grace ?? 0, where, 'grace');
        if (!Array.isArray(step.mems) || step.mems.length === 0) fail(where, 'mems must be a non-empty list');
        const mems = step.mems.map((m) => int(m, where, 'mems[]'));
        const hold = num(step.hold ?? 3, where, 'hold');
        const rate = num(step.rate ?? 20, where, 'rate');
        tests.set(id, { uid, limit, n: mems.length });
        steps.push({ op: 'run_test', id, uid, limit, grace, ignoreTerm: step.ignore_term === true, hold, rate, mems });
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
      default:
        fail(where, `unknown op ${JSON.stringify(step.op)}`);
    }
  });

  const exp = sc.expect ?? {};
  only(exp, ['killed', 'survived', 'escalated', 'kills', 'dmesg', 'no_kernel_oom'], `${file} expect`);
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
    return { ref: ref as string, id: m[1]!, idx: Number(m[2]), uid: t.uid, limit: t.limit };
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

  return { name, steps, expectations, checks };
}

// ---------------------------------------------------------------------------------------------------------------
// Running: guest-lib.sh's step and expectation functions.

export interface ScenarioDevice {
  readonly device: DeviceApi;
  readonly scheduler: VirtualScheduler;
}

export interface ScenarioResult {
  readonly name: string;
  readonly checks: ScenarioCheck[];
  /** The scenario's kernel log, without the `<6>[ time] ` prefixes. */
  readonly dmesg: string[];
  /** Output (stdout and stderr) of each run_test, by id. */
  readonly testOutput: ReadonlyMap<string, string>;
}

export interface SuiteResult {
  readonly scenarios: ScenarioResult[];
  /** Every check of every scenario, then `log.no-oops` and `log.no-kernel-oom`. */
  readonly checks: ScenarioCheck[];
}

/** Writes the sim payload (modules and programs) into SCENARIO_PAYLOAD_DIR, as the QEMU initramfs has them. */
export function installScenarioPayload(device: DeviceApi, dir = SCENARIO_PAYLOAD_DIR, mtime = 1_592_000_000): void {
  for (const f of buildSimPayloadFiles()) {
    const w = device.fs.createWriter(`${dir}/${f.name}`, f.mode);
    w.write(f.bytes);
    w.commit(mtime);
  }
}

const stripPrefix = (line: string): string => line.replace(/^(<\d>)?\[[^\]]*\] /, '');
const dmesgLines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0).map(stripPrefix);
/** `$(cmd)`: the output without its trailing newlines. */
const captured = (r: ShellRun): string => (r.stdout + r.stderr).replace(/\n+$/, '');
const oneLine = (s: string): string => s.replace(/\n/g, ' ');
const KERNEL_OOM = /Out of memory|invoked oom-killer|Killed process/;
const OOPS = /BUG|Oops|WARNING|Call Trace/;

interface RunningTest {
  readonly id: string;
  readonly shell: LiveShell;
}

class ScenarioRun {
  readonly checks: ScenarioCheck[] = [];
  private tests: RunningTest[] = [];
  readonly outputs = new Map<string, string>();
  private live = new Map<string, LiveShell>();

  constructor(
    private readonly env: ScenarioDevice,
    private readonly bootLog: string[],
    private readonly dir: string,
  ) {}

  sh(command: string, limitS = 600): ShellRun {
    return runShell(this.env.device, this.env.scheduler, command, limitS);
  }

  report(name: string | null, pass: boolean, why: string): void {
    if (name) this.checks.push({ name, pass, detail: pass ? '' : oneLine(why) });
  }

  /** Lets device time pass (sleep in the guest's shell). */
  sleep(seconds: number): void {
    this.sh(`sleep ${seconds}`, seconds + 60);
  }

  begin(): void {
    this.tests = [];
    this.bootLog.push(...dmesgLines(this.sh('dmesg -c').stdout));
  }

  step(s: Step): void {
    const P = this.dir;
    switch (s.op) {
      case 'insmod':
      case 'rmmod': {
        const r = this.sh(s.op === 'insmod' ? `insmod ${P}/${s.module}.ko 2>&1` : `rmmod ${s.module} 2>&1`);
        const out = captured(r);
        if (s.expect === 'ok') this.report(s.check, r.exitCode === 0, `${s.op} ${s.module} failed: ${out}`);
        else if (s.expect === 'fail') this.report(s.check, r.exitCode !== 0, `${s.op} ${s.module} succeeded`);
        break;
      }
      case 'lsmod': {
        const line = this.sh('cat /proc/modules').stdout.split('\n').find((l) => l.startsWith(`${s.module} `)) ?? '';
        if (s.want === 'absent') {
          this.report(s.check, line === '', `${s.module} still loaded: ${line}`);
          break;
        }
        const f = line.split(/\s+/);
        const used = (f[3] ?? '').split(',').filter((u) => !/^-*$/.test(u)).sort().join(',');
        this.report(s.check, line !== '' && f[2] === String(s.want.refcnt) && used === s.want.usedBy, `/proc/modules: ${line}`);
        break;
      }
      case 'set_limit': {
        const flag = s.via === 'proc' ? '-p' : '-s';
        const args = `${flag} set ${s.uid} ${s.mmMax} ${s.grace}`;
        const r = this.sh(`${P}/mmlimit ${args} 2>&1`);
        const out = captured(r);
        if (s.errno === 0) this.report(s.check, r.exitCode === 0, `mmlimit ${args}: ${out}`);
        else this.report(s.check, out.includes(`(errno=${s.errno})`), `want errno=${s.errno}, got rc=${r.exitCode}: ${out}`);
        break;
      }
      case 'limits': {
        const r = this.sh('cat /proc/mm_limits 2>&1');
        const got = r.stdout + r.stderr;
        const want = s.lines.map((l) => `${l}\n`).join('');
        this.report(s.check, got === want, `/proc/mm_limits: ${got.replace(/\n$/, '')}`);
        break;
      }
      case 'oom_stats': {
        const got = captured(this.sh('cat /proc/mm_oom_check 2>&1'));
        let ok = /^checks=.* kills=.* last_check_ms=/s.test(got);
        if (s.checks !== undefined && !got.includes(`checks=${s.checks} `)) ok = false;
        if (s.kills !== undefined && !got.includes(` kills=${s.kills} `)) ok = false;
        this.report(s.check, ok, `/proc/mm_oom_check: ${got}`);
        break;
      }
      case 'start_daemon': {
        const flag = s.via === 'syscall' ? ' -s' : s.via === 'proc' ? ' -p' : '';
        const out = captured(this.sh(`${P}/oom${flag} ${s.interval} 2>&1`));
        this.report(s.check, out === 'oom begin to work', `oom said: ${out}`);
        break;
      }
      case 'stop_daemon':
        this.stopDaemon();
        break;
      case 'run_test': {
        const args = [`-g ${s.grace}`, `-h ${s.hold}`, `-r ${s.rate}`, ...(s.ignoreTerm ? ['-i'] : []), s.uid, s.limit, ...s.mems].join(' ');
        const shell = startShell(this.env.device, `${P}/test ${args} 2>&1`);
        this.tests.push({ id: s.id, shell });
        this.live.set(s.id, shell);
        break;
      }
      case 'wait':
        this.sleep(s.seconds);
        break;
      case 'wait_tests':
        this.waitTests(s.check);
        break;
    }
  }

  /** Every pid whose program is oom (pidof oom), from ps. */
  private daemonPids(): number[] {
    const pids: number[] = [];
    for (const line of this.sh('ps').stdout.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const name = f[f.length - 1] ?? '';
      if (f.length >= 9 && name.slice(name.lastIndexOf('/') + 1) === 'oom') pids.push(Number(f[1]));
    }
    return pids;
  }

  stopDaemon(): void {
    const pids = this.daemonPids();
    if (pids.length === 0) return;
    this.sh(`kill ${pids.join(' ')}`);
    for (let i = 0; i < 600 && this.daemonPids().length > 0; i++) this.sleep(0.1);
  }

  waitTests(check: string | null): void {
    const { scheduler } = this.env;
    const deadline = scheduler.now() + WAIT_TESTS_TIMEOUT_S * NS_PER_S;
    const running = () => this.tests.some((t) => t.shell.exitCode === null);
    // poll like the guest's loop: the scenario's clock moves in 0.1 s steps while tests run
    while (running() && scheduler.now() < deadline) {
      advanceUntil(scheduler, () => false, Math.min(POLL_NS, deadline - scheduler.now()));
    }
    const late: number[] = [];
    for (const t of this.tests) {
      if (t.shell.exitCode === null) {
        const pid = Number(/^@@@pid: (\d+)$/m.exec(t.shell.stdout)?.[1] ?? NaN);
        late.push(pid);
        if (Number.isFinite(pid)) this.sh(`kill -9 ${pid}`);
        if (t.shell.exitCode === null) t.shell.handle.hangup();
      }
      this.outputs.set(t.id, t.shell.stdout + t.shell.stderr);
    }
    this.tests = [];
    this.report(check, late.length === 0, `test programs still running after ${WAIT_TESTS_TIMEOUT_S}s: ${late.join(' ')}`);
  }

  finish(): string[] {
    this.waitTests(null);
    this.stopDaemon();
    for (const [id, shell] of this.live) this.outputs.set(id, shell.stdout + shell.stderr);
    return dmesgLines(this.sh('dmesg').stdout);
  }

  cleanup(): void {
    const loaded = this.sh('cat /proc/modules').stdout;
    for (const m of ['oom', 'set_mm_limit', 'mylimit']) if (new RegExp(`^${m} `, 'm').test(loaded)) this.sh(`rmmod ${m}`);
    this.bootLog.push(...dmesgLines(this.sh('dmesg -c').stdout));
  }

  // --- expectations -------------------------------------------------------------------------------------------

  private endLines(id: string): string[] {
    return (this.outputs.get(id) ?? '').split('\n');
  }

  /** The pid of child idx of test id if it ended as `end` ("signal=15", "exit=0"). */
  private childPid(id: string, idx: number, end: string): number | undefined {
    for (const l of this.endLines(id)) {
      const m = /^child process end: pid=(\d+), idx=(\d+), (.*)$/.exec(l);
      if (m && Number(m[2]) === idx && m[3] === end) return Number(m[1]);
    }
    return undefined;
  }

  private childEnd(id: string, idx: number): string {
    return this.endLines(id).find((l) => l.startsWith('child process end: pid=') && l.includes(`, idx=${idx},`)) ?? 'no end line';
  }

  /** "A process has been killed:" then "uid=UID, uRSS=N, mm_max=LIMIT, pid=PID, pRSS=N", uRSS > mm_max, pRSS <= uRSS. */
  private static killReported(log: readonly string[], pid: number, uid: number, max: number): boolean {
    const re = new RegExp(`^uid=${uid}, uRSS=(\\d+), mm_max=${max}, pid=${pid}, pRSS=(\\d+)$`);
    return log.some((line, i) => {
      const m = i > 0 && log[i - 1] === 'A process has been killed:' ? re.exec(line) : null;
      return !!m && Number(m[1]) > max && Number(m[2]) <= Number(m[1]);
    });
  }

  expect(e: Expectation, log: readonly string[]): void {
    switch (e.kind) {
      case 'killed': {
        const pid = this.childPid(e.id, e.idx, 'signal=15');
        if (pid === undefined) this.report(e.check, false, `${e.id}.${e.idx}: ${this.childEnd(e.id, e.idx)}`);
        else this.report(e.check, ScenarioRun.killReported(log, pid, e.uid, e.limit), `${e.id}.${e.idx} pid ${pid}: no kill report in dmesg`);
        break;
      }
      case 'escalated': {
        const pid = this.childPid(e.id, e.idx, 'signal=9');
        if (pid === undefined) this.report(e.check, false, `${e.id}.${e.idx}: ${this.childEnd(e.id, e.idx)}`);
        else if (!ScenarioRun.killReported(log, pid, e.uid, e.limit)) this.report(e.check, false, `${e.id}.${e.idx} pid ${pid}: no kill report in dmesg`);
        else this.report(e.check, log.includes(`Escalating to SIGKILL: uid=${e.uid}, pid=${pid}`), `${e.id}.${e.idx} pid ${pid}: no escalation line in dmesg`);
        break;
      }
      case 'survived':
        this.report(e.check, this.childPid(e.id, e.idx, 'exit=0') !== undefined, `${e.id}.${e.idx}: ${this.childEnd(e.id, e.idx)}`);
        break;
      case 'kills': {
        const n = log.filter((l) => l === 'A process has been killed:').length;
        this.report(e.check, n === e.n, `${n} kill reports, want ${e.n}`);
        break;
      }
      case 'dmesg':
        this.report(e.check, log.includes(e.line), `no dmesg line: ${e.line}`);
        break;
      case 'no_kernel_oom':
        this.report(e.check, !log.some((l) => KERNEL_OOM.test(l)), "the kernel's own OOM killer ran");
        break;
    }
  }
}

/** Runs one compiled scenario (scenario_begin ... scenario_cleanup); the boot log collects what it cleared. */
function runCompiled(sc: CompiledScenario, env: ScenarioDevice, bootLog: string[], dir: string): ScenarioResult {
  const run = new ScenarioRun(env, bootLog, dir);
  run.begin();
  for (const step of sc.steps) run.step(step);
  const log = run.finish();
  for (const e of sc.expectations) run.expect(e, log);
  run.cleanup();
  return { name: sc.name, checks: run.checks, dmesg: log, testOutput: run.outputs };
}

export interface RunOptions {
  /** Where the payload goes (default /data/local/tmp); it is installed unless installPayload is false. */
  dir?: string;
  installPayload?: boolean;
  /** File names of the scenarios, for error messages (default `scenario <n>`). */
  files?: readonly string[];
}

/**
 * Runs parsed scenario files in order on one booted device, as the QEMU guest runs them in one boot, then the two
 * checks over the whole boot's log. Throws ScenarioError on an invalid scenario before running any.
 */
export function runScenarios(scenarios: readonly unknown[], env: ScenarioDevice, options: RunOptions = {}): SuiteResult {
  const compiled = scenarios.map((s, i) => compileScenario(s, options.files?.[i] ?? `scenario ${i + 1}`));
  const names = new Set<string>();
  for (const c of compiled) {
    if (names.has(c.name)) throw new ScenarioError(`scenario name ${c.name} used twice`);
    names.add(c.name);
  }
  const dir = options.dir ?? SCENARIO_PAYLOAD_DIR;
  if (options.installPayload !== false) installScenarioPayload(env.device, dir);

  const bootLog: string[] = [];
  const results = compiled.map((c) => runCompiled(c, env, bootLog, dir));
  const finalRun = new ScenarioRun(env, bootLog, dir);
  bootLog.push(...dmesgLines(finalRun.sh('dmesg -c').stdout));
  const bad = bootLog.filter((l) => OOPS.test(l)).slice(0, 3);
  const checks = results.flatMap((r) => r.checks);
  checks.push(
    { name: 'log.no-oops', pass: bad.length === 0, detail: oneLine(bad.join('\n')) },
    {
      name: 'log.no-kernel-oom',
      pass: !bootLog.some((l) => KERNEL_OOM.test(l)),
      detail: bootLog.some((l) => KERNEL_OOM.test(l)) ? "the kernel's own OOM killer ran" : '',
    },
  );
  return { scenarios: results, checks };
}

/** Runs one scenario on a fresh device: its checks, without the whole-boot ones. */
export function runScenario(scenario: unknown, env: ScenarioDevice, options: RunOptions = {}): ScenarioResult {
  const suite = runScenarios([scenario], env, options);
  return suite.scenarios[0]!;
}
