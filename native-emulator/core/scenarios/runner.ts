/**
 * The one scenario engine: runs scenario files (format versions 1 and 2, scenarios/README.md) on any device
 * through a ScenarioExecutor (executor.ts): the simulator in virtual time, or a device over adb in real time.
 *
 * It is a port of the real-kernel runner (scripts/kernel-test/guest-lib.sh, which runs the steps and evaluates
 * the expectations in the QEMU guest; the files are compiled by format.ts for both): the same validation, the same shell commands (insmod, rmmod, /proc/modules, mmlimit -s|-p, oom -s|-p,
 * test in the background, sleep, kill), the same checks under the same names, passing on the same evidence.
 * On top, for reports: per-uid RSS samples (memsample) while it runs, the limits set, the kills with their
 * times, and evidence for every check, passed or failed.
 *
 * Pure core: the caller parses the JSON and hands over an executor.
 */
import type { DeviceApi } from '../device-api.js';
import { buildSimPayloadFiles } from '../payload/sim-payload.js';
import type { ScenarioExecutor, SimTarget, BackgroundCommand } from './executor.js';
import { SimExecutor } from './executor.js';
import { compileScenario, ScenarioError, type CompiledScenario, type Expectation, type Step } from './format.js';

export { compileScenario, resolveScenarioUser, ScenarioError, SCENARIO_MODULES, SCENARIO_VERSIONS, WORKLOAD_PROFILES, workloadAsTest } from './format.js';
export type { CompiledScenario, ScenarioModule, WorkloadProfile } from './format.js';
export type { ScenarioExecutor, BackgroundCommand, ExecOutcome, SimTarget } from './executor.js';
export { SimExecutor } from './executor.js';

/** Where the runner puts the modules and programs, as the QEMU runner does. */
export const SCENARIO_PAYLOAD_DIR = '/data/local/tmp';

const WAIT_TESTS_TIMEOUT_S = 60;
/** The QEMU runner polls every 0.1 s (`sleep 0.1`). */
const POLL_S = 0.1;

export interface ScenarioCheck {
  /** `<scenario>.<nn>-<op>-...`, `<scenario>.killed-t1.2`, `log.no-oops`: the names the kernel runner prints. */
  name: string;
  pass: boolean;
  /** Why it failed (what guest-lib.sh prints after `KTEST FAIL <name>`); empty when it passed. */
  detail: string;
  /** What the verdict rests on, passed or failed: log lines, program output, timings. */
  evidence?: string[];
}

/** One memsample: device uptime (s), the executor's clock (s), RSS bytes per uid (uids >= 10000). */
export interface UidSample {
  t: number;
  at: number;
  rss: Record<string, number>;
}

export interface LimitMark {
  /** Executor clock (s); `t` is the device uptime interpolated from the samples, when there are any. */
  at: number;
  t?: number;
  uid: number;
  mmMax: number;
  grace: number;
}

export interface KillMark {
  /** Device uptime (s) from the kill report's printk time. */
  t: number;
  uid: number;
  pid: number;
  uRss: number;
  mmMax: number;
  pRss: number;
  escalated: boolean;
}

export interface TimedLine {
  /** printk time (s since boot), when the line had one. */
  t?: number;
  text: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly description: string;
  readonly checks: ScenarioCheck[];
  /** The scenario's kernel log, without the `<6>[ time] ` prefixes. */
  readonly dmesg: string[];
  readonly dmesgTimed: TimedLine[];
  /** Output (stdout and stderr) of each run_test, by id. */
  readonly testOutput: ReadonlyMap<string, string>;
  readonly samples: UidSample[];
  readonly limits: LimitMark[];
  readonly kills: KillMark[];
  /** The daemon's period, the last one started (0: none). */
  readonly interval: number;
  /** Executor clock at start and end (s). */
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface SuiteResult {
  readonly scenarios: ScenarioResult[];
  /** Every check of every scenario, then `log.no-oops` and `log.no-kernel-oom`. */
  readonly checks: ScenarioCheck[];
  /** Checks over the whole run (no-oops, no-kernel-oom). */
  readonly bootChecks: ScenarioCheck[];
}

export type ScenarioProgress =
  | { kind: 'scenario'; index: number; total: number; name: string }
  | { kind: 'step'; name: string; step: number; steps: number; op: string }
  | { kind: 'check'; name: string; check: ScenarioCheck }
  | { kind: 'scenario-done'; index: number; total: number; result: ScenarioResult };

export interface RunOptions {
  /** Where the payload is on the device (default /data/local/tmp). */
  dir?: string;
  /** File names of the scenarios, for error messages (default `scenario <n>`). */
  files?: readonly string[];
  /** Period of the RSS samples (s of executor time); 0 turns sampling off. Default 0.5. */
  sampleEveryS?: number;
  onProgress?(event: ScenarioProgress): void;
  /** Checked between steps: a cancelled run throws ScenarioCancelled after cleaning up. */
  signal?: { readonly aborted: boolean };
  /** Stop any daemon and unload the modules before the first scenario (default true). */
  resetFirst?: boolean;
}

export class ScenarioCancelled extends Error {}

/** Writes the sim payload (modules and programs) into SCENARIO_PAYLOAD_DIR, as the QEMU initramfs has them. */
export function installScenarioPayload(device: DeviceApi, dir = SCENARIO_PAYLOAD_DIR, mtime = 1_592_000_000): void {
  for (const f of buildSimPayloadFiles()) {
    const w = device.fs.createWriter(`${dir}/${f.name}`, f.mode);
    w.write(f.bytes);
    w.commit(mtime);
  }
}

const PREFIX = /^(<\d>)?\[\s*(\d+(?:\.\d+)?)\] /;
const stripPrefix = (line: string): string => line.replace(/^(<\d>)?\[[^\]]*\] /, '');
const timedLines = (text: string): TimedLine[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const m = PREFIX.exec(l);
      return m ? { t: Number(m[2]), text: l.slice(m[0].length) } : { text: stripPrefix(l) };
    });
const dmesgLines = (text: string): string[] => timedLines(text).map((l) => l.text);
/** `$(cmd)`: the output without its trailing newlines. */
const captured = (r: { stdout: string; stderr: string }): string => (r.stdout + r.stderr).replace(/\n+$/, '');
const oneLine = (s: string): string => s.replace(/\n/g, ' ');
const KERNEL_OOM = /Out of memory|invoked oom-killer|Killed process/;
const OOPS = /BUG|Oops|WARNING|Call Trace/;
const KILL_HEAD = 'A process has been killed:';
const KILL_LINE = /^uid=(\d+), uRSS=(\d+), mm_max=(\d+), pid=(\d+), pRSS=(\d+)$/;
const fmt = (s: number): string => `${s.toFixed(2)} s`;

/** The kill reports (and escalations) of a timed log. */
export function parseKills(log: readonly TimedLine[]): KillMark[] {
  const kills: KillMark[] = [];
  log.forEach((line, i) => {
    if (line.text !== KILL_HEAD) return;
    const m = KILL_LINE.exec(log[i + 1]?.text ?? '');
    if (!m) return;
    kills.push({ t: line.t ?? NaN, uid: Number(m[1]), uRss: Number(m[2]), mmMax: Number(m[3]), pid: Number(m[4]), pRss: Number(m[5]), escalated: false });
  });
  for (const line of log) {
    const m = /^Escalating to SIGKILL: uid=(\d+), pid=(\d+)$/.exec(line.text);
    if (!m) continue;
    const k = kills.find((x) => x.pid === Number(m[2]));
    if (k) k.escalated = true;
  }
  return kills;
}

/** memsample: `T <uptime_ms> <total_kB> <free_kB>`, then `<pid> <uid> <rss_kB> <comm>` lines. */
export function parseMemsample(text: string, at: number): UidSample | undefined {
  const lines = text.split('\n');
  const head = /^T (\d+) /.exec(lines[0] ?? '');
  if (!head) return undefined;
  const rss: Record<string, number> = {};
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const uid = Number(f[1]);
    const kb = Number(f[2]);
    if (!Number.isFinite(uid) || !Number.isFinite(kb) || uid < 10000) continue;
    rss[uid] = (rss[uid] ?? 0) + kb * 1024;
  }
  return { t: Number(head[1]) / 1000, at, rss };
}

interface RunningTest {
  readonly id: string;
  readonly cmd: BackgroundCommand;
}

class ScenarioRun {
  readonly checks: ScenarioCheck[] = [];
  private tests: RunningTest[] = [];
  readonly outputs = new Map<string, string>();
  private live = new Map<string, BackgroundCommand>();
  readonly samples: UidSample[] = [];
  readonly limits: LimitMark[] = [];
  private lastSample = -Infinity;
  /** Device seconds this run has slept: the sample clock (the executor's own clock may be wall time on a faster-than-real device). */
  private slept = 0;
  private daemons = new Set<number>();
  /** Daemon pids that were gone before the runner stopped them. */
  readonly daemonLost: number[] = [];
  interval = 0;

  constructor(
    private readonly ex: ScenarioExecutor,
    private readonly bootLog: string[],
    private readonly dir: string,
    private readonly options: RunOptions,
    private readonly scenario: string,
  ) {}

  sh(command: string, limitS = 600) {
    return this.ex.exec(command, limitS);
  }

  report(name: string | null, pass: boolean, why: string, evidence?: string[]): void {
    if (!name) return;
    const check: ScenarioCheck = { name, pass, detail: pass ? '' : oneLine(why), ...(evidence && evidence.length ? { evidence } : {}) };
    this.checks.push(check);
    this.options.onProgress?.({ kind: 'check', name: this.scenario, check });
  }

  private async sample(force = false): Promise<void> {
    const every = this.options.sampleEveryS ?? 0.5;
    if (every <= 0) return;
    if (!force && this.slept - this.lastSample < every - 1e-9) return;
    this.lastSample = this.slept;
    const r = await this.sh(`${this.dir}/memsample`, 30);
    const s = parseMemsample(r.stdout, this.ex.now());
    if (s) this.samples.push(s);
  }

  /** Lets device time pass, sampling on the way. */
  async pause(seconds: number): Promise<void> {
    const every = this.options.sampleEveryS ?? 0.5;
    const chunk = every > 0 ? every : seconds;
    let left = seconds;
    while (left > 1e-9) {
      const d = Math.min(chunk, left);
      await this.nap(d);
      left -= d;
      await this.sample();
    }
  }

  private async nap(seconds: number): Promise<void> {
    await this.ex.sleep(seconds);
    this.slept += seconds;
  }

  async begin(): Promise<void> {
    this.tests = [];
    this.bootLog.push(...dmesgLines(await this.ex.dmesg(true)));
    await this.sample(true);
  }

  async step(s: Step): Promise<void> {
    const P = this.dir;
    switch (s.op) {
      case 'insmod':
      case 'rmmod': {
        const r = await this.sh(s.op === 'insmod' ? `insmod ${P}/${s.module}.ko 2>&1` : `rmmod ${s.module} 2>&1`);
        const out = captured(r);
        const ev = [`$ ${s.op} ${s.module}: exit ${r.exitCode}${out ? `, ${out}` : ''}`];
        if (s.expect === 'ok') this.report(s.check, r.exitCode === 0, `${s.op} ${s.module} failed: ${out}`, ev);
        else if (s.expect === 'fail') this.report(s.check, r.exitCode !== 0, `${s.op} ${s.module} succeeded`, ev);
        break;
      }
      case 'lsmod': {
        const line = (await this.sh('cat /proc/modules')).stdout.split('\n').find((l) => l.startsWith(`${s.module} `)) ?? '';
        if (s.want === 'absent') {
          this.report(s.check, line === '', `${s.module} still loaded: ${line}`, [`/proc/modules: ${line || `(no ${s.module})`}`]);
          break;
        }
        const f = line.split(/\s+/);
        const used = (f[3] ?? '').split(',').filter((u) => !/^-*$/.test(u)).sort().join(',');
        this.report(s.check, line !== '' && f[2] === String(s.want.refcnt) && used === s.want.usedBy, `/proc/modules: ${line}`, [`/proc/modules: ${line || `(no ${s.module})`}`]);
        break;
      }
      case 'set_limit': {
        const flag = s.via === 'proc' ? '-p' : '-s';
        const args = `${flag} set ${s.uid} ${s.mmMax} ${s.grace}`;
        const at = this.ex.now();
        const r = await this.sh(`${P}/mmlimit ${args} 2>&1`);
        const out = captured(r);
        if (r.exitCode === 0) this.limits.push({ at, uid: s.uid, mmMax: s.mmMax, grace: s.grace });
        const ev = [`$ mmlimit ${args}: exit ${r.exitCode}${out ? `, ${out}` : ''}`];
        if (s.errno === 0) this.report(s.check, r.exitCode === 0, `mmlimit ${args}: ${out}`, ev);
        else this.report(s.check, out.includes(`(errno=${s.errno})`), `want errno=${s.errno}, got rc=${r.exitCode}: ${out}`, ev);
        break;
      }
      case 'limits': {
        const r = await this.sh('cat /proc/mm_limits 2>&1');
        const got = r.stdout + r.stderr;
        const want = s.lines.map((l) => `${l}\n`).join('');
        this.report(s.check, got === want, `/proc/mm_limits: ${got.replace(/\n$/, '')}`, got.split('\n').filter(Boolean));
        break;
      }
      case 'oom_stats': {
        const got = captured(await this.sh('cat /proc/mm_oom_check 2>&1'));
        let ok = /^checks=.* kills=.* last_check_ms=/s.test(got);
        if (s.checks !== undefined && !got.includes(`checks=${s.checks} `)) ok = false;
        if (s.kills !== undefined && !got.includes(` kills=${s.kills} `)) ok = false;
        this.report(s.check, ok, `/proc/mm_oom_check: ${got}`, [`/proc/mm_oom_check: ${got}`]);
        break;
      }
      case 'start_daemon': {
        const flag = s.via === 'syscall' ? ' -s' : s.via === 'proc' ? ' -p' : '';
        const out = captured(await this.sh(`${P}/oom${flag} ${s.interval} 2>&1`));
        this.interval = s.interval;
        for (const pid of await this.daemonPids()) this.daemons.add(pid);
        this.report(s.check, out === 'oom begin to work', `oom said: ${out}`, [`$ oom${flag} ${s.interval}: ${out}`, `daemon pid ${[...this.daemons].join(' ') || 'none'}`]);
        break;
      }
      case 'stop_daemon':
        await this.stopDaemon();
        break;
      case 'run_test': {
        const args = [`-g ${s.grace}`, `-h ${s.hold}`, `-r ${s.rate}`, ...(s.ignoreTerm ? ['-i'] : []), s.uid, s.limit, ...s.mems].join(' ');
        this.limits.push({ at: this.ex.now(), uid: s.uid, mmMax: s.limit, grace: s.grace });
        const cmd = await this.ex.start(`${P}/test ${args} 2>&1`);
        this.tests.push({ id: s.id, cmd });
        this.live.set(s.id, cmd);
        break;
      }
      case 'wait':
        await this.pause(s.seconds);
        break;
      case 'wait_tests':
        await this.waitTests(s.check);
        break;
      case 'reset':
        await this.waitTests(null);
        await this.stopDaemon();
        await this.unloadModules();
        break;
    }
  }

  /** Every pid whose program is oom (pidof oom), from ps. */
  private async daemonPids(): Promise<number[]> {
    const pids: number[] = [];
    for (const line of (await this.sh('ps')).stdout.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const name = f[f.length - 1] ?? '';
      if (f.length >= 9 && name.slice(name.lastIndexOf('/') + 1) === 'oom') pids.push(Number(f[1]));
    }
    return pids;
  }

  async stopDaemon(): Promise<void> {
    const pids = await this.daemonPids();
    for (const d of this.daemons) if (!pids.includes(d)) this.daemonLost.push(d);
    this.daemons.clear();
    if (pids.length === 0) return;
    await this.sh(`kill ${pids.join(' ')}`);
    for (let i = 0; i < 600 && (await this.daemonPids()).length > 0; i++) await this.ex.sleep(0.1);
  }

  async waitTests(check: string | null): Promise<void> {
    const deadline = this.ex.now() + WAIT_TESTS_TIMEOUT_S;
    const running = () => this.tests.some((t) => t.cmd.running);
    // poll like the guest's loop: the scenario's clock moves in 0.1 s steps while tests run
    while (running() && this.ex.now() < deadline) {
      await this.nap(Math.min(POLL_S, Math.max(deadline - this.ex.now(), 0.001)));
      await this.sample();
    }
    const late: number[] = [];
    for (const t of this.tests) {
      if (t.cmd.running) {
        const pid = Number(/^@@@pid: (\d+)$/m.exec(t.cmd.output)?.[1] ?? NaN);
        late.push(pid);
        if (Number.isFinite(pid)) await this.sh(`kill -9 ${pid}`);
        t.cmd.hangup();
      }
      this.outputs.set(t.id, t.cmd.output);
    }
    this.tests = [];
    this.report(check, late.length === 0, `test programs still running after ${WAIT_TESTS_TIMEOUT_S}s: ${late.join(' ')}`);
  }

  async finish(): Promise<TimedLine[]> {
    await this.waitTests(null);
    await this.stopDaemon();
    await this.sample(true);
    for (const [id, cmd] of this.live) this.outputs.set(id, cmd.output);
    return timedLines(await this.ex.dmesg(false));
  }

  private async unloadModules(): Promise<void> {
    const loaded = (await this.sh('cat /proc/modules')).stdout;
    for (const m of ['oom', 'set_mm_limit', 'mylimit']) if (new RegExp(`^${m} `, 'm').test(loaded)) await this.sh(`rmmod ${m}`);
  }

  async cleanup(): Promise<void> {
    await this.unloadModules();
    this.bootLog.push(...dmesgLines(await this.ex.dmesg(true)));
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

  private anyChildPid(id: string, idx: number): number | undefined {
    const m = /pid=(\d+)/.exec(this.childEnd(id, idx));
    return m ? Number(m[1]) : undefined;
  }

  /** "A process has been killed:" then "uid=UID, uRSS=N, mm_max=LIMIT, pid=PID, pRSS=N", uRSS > mm_max, pRSS <= uRSS. */
  private static killReport(log: readonly string[], pid: number, uid: number, max: number): string[] | undefined {
    const re = new RegExp(`^uid=${uid}, uRSS=(\\d+), mm_max=${max}, pid=${pid}, pRSS=(\\d+)$`);
    for (let i = 1; i < log.length; i++) {
      const m = log[i - 1] === KILL_HEAD ? re.exec(log[i]!) : null;
      if (m && Number(m[1]) > max && Number(m[2]) <= Number(m[1])) return [log[i - 1]!, log[i]!];
    }
    return undefined;
  }

  private static pidLines(log: readonly string[], pid: number): string[] {
    return log.filter((l) => new RegExp(`pid=${pid}(\\D|$)`).test(l));
  }

  /** Device uptime of an executor time, interpolated between the samples around it. */
  deviceTime(at: number): number | undefined {
    const s = this.samples;
    if (s.length === 0) return undefined;
    if (s.length === 1) return s[0]!.t + (at - s[0]!.at);
    let i = s.findIndex((x) => x.at >= at);
    if (i <= 0) i = i === 0 ? 1 : s.length - 1;
    const a = s[i - 1]!;
    const b = s[i]!;
    const rate = b.at > a.at ? (b.t - a.t) / (b.at - a.at) : 1;
    return a.t + (at - a.at) * rate;
  }

  expect(e: Expectation, timed: readonly TimedLine[], kills: readonly KillMark[]): void {
    const log = timed.map((l) => l.text);
    switch (e.kind) {
      case 'killed': {
        const pid = this.childPid(e.id, e.idx, 'signal=15');
        const end = this.childEnd(e.id, e.idx);
        if (pid === undefined) {
          const other = this.anyChildPid(e.id, e.idx);
          this.report(e.check, false, `${e.id}.${e.idx}: ${end}`, [end, ...(other ? ScenarioRun.pidLines(log, other) : [])]);
        } else {
          const rep = ScenarioRun.killReport(log, pid, e.uid, e.limit);
          this.report(e.check, !!rep, `${e.id}.${e.idx} pid ${pid}: no kill report in dmesg`, [end, ...(rep ?? ScenarioRun.pidLines(log, pid))]);
        }
        break;
      }
      case 'escalated': {
        const pid = this.childPid(e.id, e.idx, 'signal=9');
        const end = this.childEnd(e.id, e.idx);
        if (pid === undefined) {
          const other = this.anyChildPid(e.id, e.idx);
          this.report(e.check, false, `${e.id}.${e.idx}: ${end}`, [end, ...(other ? ScenarioRun.pidLines(log, other) : [])]);
          break;
        }
        const rep = ScenarioRun.killReport(log, pid, e.uid, e.limit);
        const esc = `Escalating to SIGKILL: uid=${e.uid}, pid=${pid}`;
        if (!rep) this.report(e.check, false, `${e.id}.${e.idx} pid ${pid}: no kill report in dmesg`, [end, ...ScenarioRun.pidLines(log, pid)]);
        else this.report(e.check, log.includes(esc), `${e.id}.${e.idx} pid ${pid}: no escalation line in dmesg`, [end, ...rep, ...(log.includes(esc) ? [esc] : [])]);
        break;
      }
      case 'survived': {
        const end = this.childEnd(e.id, e.idx);
        const pid = this.anyChildPid(e.id, e.idx);
        this.report(e.check, this.childPid(e.id, e.idx, 'exit=0') !== undefined, `${e.id}.${e.idx}: ${end}`, [end, ...(pid ? ScenarioRun.pidLines(log, pid) : [])]);
        break;
      }
      case 'kills': {
        const lines = log.flatMap((l, i) => (l === KILL_HEAD ? [l, log[i + 1] ?? ''] : []));
        const n = lines.length / 2;
        this.report(e.check, n === e.n, `${n} kill reports, want ${e.n}`, lines);
        break;
      }
      case 'dmesg':
        this.report(e.check, log.includes(e.line), `no dmesg line: ${e.line}`, log.includes(e.line) ? [e.line] : []);
        break;
      case 'no_kernel_oom': {
        const bad = log.filter((l) => KERNEL_OOM.test(l)).slice(0, 5);
        this.report(e.check, bad.length === 0, "the kernel's own OOM killer ran", bad);
        break;
      }
      case 'timely':
        this.timely(e, kills);
        break;
      case 'protected_root': {
        const bad = kills.filter((k) => k.uid === 0);
        this.report(e.check, bad.length === 0, `a process of uid 0 was killed: pid ${bad.map((k) => k.pid).join(' ')}`, bad.map((k) => `uid=0 pid=${k.pid} killed at ${fmt(k.t)}`));
        break;
      }
      case 'protected_daemon': {
        const killedDaemon = kills.filter((k) => this.daemonLost.includes(k.pid) || this.everDaemons.has(k.pid));
        const ok = this.daemonLost.length === 0 && killedDaemon.length === 0;
        const why = killedDaemon.length ? `the daemon (pid ${killedDaemon[0]!.pid}) was killed` : `the daemon (pid ${this.daemonLost.join(' ')}) was gone before it was stopped`;
        this.report(e.check, ok, why, [`daemon pids: ${[...this.everDaemons].join(' ') || 'none'}`, ...(this.daemonLost.length ? [`gone early: ${this.daemonLost.join(' ')}`] : [])]);
        break;
      }
      case 'kill_format': {
        const bad: string[] = [];
        log.forEach((l, i) => {
          if (l === KILL_HEAD && !KILL_LINE.test(log[i + 1] ?? '')) bad.push(`${l} / ${log[i + 1] ?? '(nothing)'}`);
        });
        const n = log.filter((l) => l === KILL_HEAD).length;
        this.report(e.check, bad.length === 0, `kill report not in the seed's format: ${bad[0] ?? ''}`, bad.length ? bad : [`${n} kill report(s), each followed by uid=N, uRSS=N, mm_max=N, pid=N, pRSS=N`]);
        break;
      }
    }
  }

  readonly everDaemons = new Set<number>();

  noteDaemons(): void {
    for (const d of this.daemons) this.everDaemons.add(d);
  }

  /**
   * Killed within T + slack of the grace running out: the uid's RSS crossed the limit between two samples
   * (lo, hi], so the kill is due in [lo + grace, hi + grace + T + slack]. Earlier is the grace not honoured,
   * later is a check missed.
   */
  private timely(e: Extract<Expectation, { kind: 'timely' }>, kills: readonly KillMark[]): void {
    const end = this.childEnd(e.id, e.idx);
    const pid = this.anyChildPid(e.id, e.idx);
    const kill = pid === undefined ? undefined : kills.find((k) => k.pid === pid);
    if (!kill) {
      this.report(e.check, false, `${e.id}.${e.idx}: not killed (${end})`, [end]);
      return;
    }
    // the stretch over the limit that the kill ended: walk back from the last sample before the kill
    const series = this.samples.map((s) => ({ t: s.t, rss: s.rss[e.uid] ?? 0 })).filter((s) => s.t < kill.t - 1e-6);
    let i = series.length - 1;
    while (i >= 0 && series[i]!.rss > e.limit) i--;
    if (series.length === 0) {
      this.report(e.check, false, `${e.id}.${e.idx}: killed at ${fmt(kill.t)} with no RSS sample before it`, [`${this.samples.length} samples`]);
      return;
    }
    // (lo, hi]: the last sample at or under the limit, the first over it (or the kill itself, when none saw it over)
    const lo = i >= 0 ? series[i]!.t : series[0]!.t - (this.options.sampleEveryS ?? 0.5);
    const hi = i + 1 < series.length ? series[i + 1]!.t : kill.t;
    const seen = i + 1 < series.length ? `between ${fmt(lo)} and ${fmt(hi)} (samples)` : `after ${fmt(lo)} (no sample saw it over before the kill)`;
    const earliest = lo + e.grace;
    const latest = hi + e.grace + e.interval + e.slack;
    const evidence = [
      `uid ${e.uid} crossed mm_max=${e.limit} ${seen}`,
      `grace ${e.grace} s, T ${e.interval} s, slack ${e.slack} s: kill due in [${fmt(earliest)}, ${fmt(latest)}]`,
      `killed at ${fmt(kill.t)} (pid ${kill.pid}, ${fmt(kill.t - hi)} after the crossing)`,
    ];
    if (kill.t < earliest - 1e-6) this.report(e.check, false, `${e.id}.${e.idx} killed at ${fmt(kill.t)}, before its grace of ${e.grace} s from the breach (${fmt(lo)}..${fmt(hi)}) ran out: the grace was not counted from the breach`, evidence);
    else if (kill.t > latest + 1e-6) this.report(e.check, false, `${e.id}.${e.idx} killed at ${fmt(kill.t)}, later than ${fmt(latest)} (crossing + grace + T + slack)`, evidence);
    else this.report(e.check, true, '', evidence);
  }
}

/** Runs one compiled scenario (scenario_begin ... scenario_cleanup); the boot log collects what it cleared. */
async function runCompiled(sc: CompiledScenario, ex: ScenarioExecutor, bootLog: string[], dir: string, options: RunOptions): Promise<ScenarioResult> {
  const run = new ScenarioRun(ex, bootLog, dir, options, sc.name);
  const startedAt = ex.now();
  await run.begin();
  let cancelled = false;
  for (const [i, step] of sc.steps.entries()) {
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    options.onProgress?.({ kind: 'step', name: sc.name, step: i + 1, steps: sc.steps.length, op: step.op });
    await run.step(step);
    run.noteDaemons();
  }
  run.noteDaemons();
  const timed = await run.finish();
  const kills = parseKills(timed);
  if (!cancelled) for (const e of sc.expectations) run.expect(e, timed, kills);
  await run.cleanup();
  if (cancelled) throw new ScenarioCancelled(`cancelled in scenario ${sc.name}`);
  for (const l of run.limits) l.t = run.deviceTime(l.at);
  return {
    name: sc.name,
    description: sc.description,
    checks: run.checks,
    dmesg: timed.map((l) => l.text),
    dmesgTimed: timed,
    testOutput: run.outputs,
    samples: run.samples,
    limits: run.limits,
    kills,
    interval: run.interval,
    startedAt,
    endedAt: ex.now(),
  };
}

/** Validates every file first (throws ScenarioError on the first bad one, before running any). */
export function compileSuite(scenarios: readonly unknown[], files?: readonly string[]): CompiledScenario[] {
  const compiled = scenarios.map((s, i) => compileScenario(s, files?.[i] ?? `scenario ${i + 1}`));
  const names = new Set<string>();
  for (const c of compiled) {
    if (names.has(c.name)) throw new ScenarioError(`scenario name ${c.name} used twice`);
    names.add(c.name);
  }
  return compiled;
}

/**
 * Runs parsed scenario files in order on one device, as the QEMU guest runs them in one boot, then the two
 * checks over the whole run's log. The payload must already be in options.dir.
 */
export async function runSuite(scenarios: readonly unknown[], ex: ScenarioExecutor, options: RunOptions = {}): Promise<SuiteResult> {
  const compiled = compileSuite(scenarios, options.files);
  const dir = options.dir ?? SCENARIO_PAYLOAD_DIR;
  const bootLog: string[] = [];
  const results: ScenarioResult[] = [];
  // every scenario starts with no module, no daemon: a device the app provisioned has both
  if (options.resetFirst !== false) await new ScenarioRun(ex, bootLog, dir, { ...options, sampleEveryS: 0 }, '').step({ op: 'reset' });
  for (const [index, c] of compiled.entries()) {
    options.onProgress?.({ kind: 'scenario', index, total: compiled.length, name: c.name });
    const result = await runCompiled(c, ex, bootLog, dir, options);
    results.push(result);
    options.onProgress?.({ kind: 'scenario-done', index, total: compiled.length, result });
  }
  bootLog.push(...dmesgLines(await ex.dmesg(true)));
  const bad = bootLog.filter((l) => OOPS.test(l)).slice(0, 3);
  const oom = bootLog.filter((l) => KERNEL_OOM.test(l)).slice(0, 3);
  const bootChecks: ScenarioCheck[] = [
    { name: 'log.no-oops', pass: bad.length === 0, detail: oneLine(bad.join('\n')), ...(bad.length ? { evidence: bad } : {}) },
    { name: 'log.no-kernel-oom', pass: oom.length === 0, detail: oom.length ? "the kernel's own OOM killer ran" : '', ...(oom.length ? { evidence: oom } : {}) },
  ];
  return { scenarios: results, checks: [...results.flatMap((r) => r.checks), ...bootChecks], bootChecks };
}

export interface SimRunOptions extends RunOptions {
  /** Install the sim payload into dir first (default true). */
  installPayload?: boolean;
}

/** runSuite on a simulated device in virtual time (installs the sim payload first unless told not to). */
export function runScenarios(scenarios: readonly unknown[], env: SimTarget, options: SimRunOptions = {}): Promise<SuiteResult> {
  compileSuite(scenarios, options.files);
  if (options.installPayload !== false) installScenarioPayload(env.device, options.dir ?? SCENARIO_PAYLOAD_DIR);
  return runSuite(scenarios, new SimExecutor(env), options);
}

/** Runs one scenario on a simulated device: its checks, without the whole-run ones. */
export async function runScenario(scenario: unknown, env: SimTarget, options: SimRunOptions = {}): Promise<ScenarioResult> {
  const suite = await runScenarios([scenario], env, options);
  return suite.scenarios[0]!;
}
