import type { Device, OomMode } from '../../../contract/domains/devices.js';
import type { KillEvent, LogLine } from '../../../contract/domains/kernel-log.js';
import type { LimitRow, LimitsState } from '../../../contract/domains/limits.js';
import type { SamplePoint } from '../../../contract/domains/monitor.js';
import type { PipelineRun } from '../../../contract/domains/provisioning.js';
import type { Workload } from '../../../contract/domains/workloads.js';
import { nameFromUid, parseBytes, uidFromName } from '../../../contract/domains/units.js';
import { ApiError } from '../../../contract/index.js';
import { createFakeApi, type FakeApi } from './fakeApi.js';

/**
 * A scripted backend for the dev-only harness page and screenshots before the real one is wired: devices boot,
 * setup runs step by step, samples tick, the test program allocates and the "daemon" kills over-limit uids with
 * the dmesg lines of docs/device-interface.md. Not a simulator: just enough behaviour to look at every view.
 */
export interface DemoOptions {
  /** Start with a booted, set-up device with this many seconds of history. */
  history?: number;
  /** Extra kernel-log lines to preload (for the log view at scale). */
  logLines?: number;
  /** Real ms per simulated second. */
  tickMs?: number;
  adbMissing?: boolean;
}

interface Child {
  pid: number;
  uid: number;
  target: number;
  rss: number;
  done: boolean;
  workload: string;
  killedAt?: number;
  holdLeft?: number;
}

interface DeviceState {
  device: Device;
  uptime: number;
  lines: LogLine[];
  kills: KillEvent[];
  samples: SamplePoint[];
  limits: LimitRow[];
  children: Child[];
  breach: Map<number, number>;
  nextPid: number;
  daemonInterval: number;
  lastCheck: number;
}

const BASE_UIDS: Array<[number, number, number]> = [
  [1000, 310_000_000, 38],
  [10012, 96_000_000, 3],
  [10031, 61_000_000, 2],
  [1001, 34_000_000, 4],
  [10057, 22_000_000, 1],
  [2000, 3_000_000, 2],
];

export function createDemoBackend(options: DemoOptions = {}): { api: FakeApi; stop: () => void } {
  const api = createFakeApi();
  const devices = new Map<string, DeviceState>();
  const workloads = new Map<string, Workload>();
  let nextPort = 5554;
  let clock = Date.now() - (options.history ?? 0) * 1000;
  let runCounter = 0;

  const list = () => [...devices.values()].map((state) => state.device);
  const emitDevices = () => api.emit('devicesChanged', list());
  const state = (serial: string) => {
    const found = devices.get(serial);
    if (!found) throw new ApiError({ code: 'no-device', message: `${serial} is not connected`, hint: 'Pick another device or boot one.' });
    return found;
  };

  function log(target: DeviceState, text: string, level = 6): LogLine {
    const line = { index: target.lines.length, ts: target.uptime, level, text };
    target.lines.push(line);
    api.emit('logLines', { serial: target.device.serial, lines: [line] });
    return line;
  }

  function limitsState(target: DeviceState): LimitsState {
    return { serial: target.device.serial, desired: target.limits, extra: [], readAt: clock, modulesLoaded: (target.device.probe?.modules.length ?? 0) === 3 };
  }

  function boot(ramMiB: number, seed: number, speed: number, history = 0, oomMode: OomMode = 'corrected'): Device {
    const serial = `emulator-${nextPort}`;
    const device: Device = {
      serial,
      state: 'device',
      kind: 'simulated',
      probe: { model: 'sdk_phone_armv7 (simulated)', androidVersion: '4.4.2', kernel: '3.4.67-goldfish-sim #1 PREEMPT', abi: 'armeabi-v7a', isRoot: true, ramKb: ramMiB * 1024, modules: [], daemon: { running: false }, probedAt: clock },
      simulator: { port: nextPort, ramMiB, seed, speed, oomMode, pid: 4000 + nextPort, status: 'running' },
    };
    nextPort += 2;
    const target: DeviceState = { device, uptime: 0, lines: [], kills: [], samples: [], limits: [], children: [], breach: new Map(), nextPid: 540, daemonInterval: 3, lastCheck: 0 };
    devices.set(serial, target);
    const boot = ['Booting Linux on physical CPU 0', 'Linux version 3.4.67-goldfish-sim (goldfish@sim) (gcc 4.8) #1 PREEMPT', 'CPU: ARMv7 Processor [410fc080] revision 0 (ARMv7), cr=10c53c7d', `Memory: ${ramMiB}MB = ${ramMiB}MB total`, 'goldfish_new_pdev goldfish_interrupt_controller at ff000000 irq -1', 'Freeing init memory: 200K', 'init: starting service healthd', 'healthd: battery l=50 v=0 t=0.0 h=2 st=2 chg=a', 'binder: 392:392 transaction failed 29189, size 0-0', 'warning: `adbd\' uses 32-bit capabilities (legacy support in use)'];
    for (const [i, text] of boot.entries()) log(target, text, i === 8 ? 3 : i === 9 ? 4 : 6);
    for (let i = 0; i < (options.logLines ?? 0); i++) log(target, i % 97 === 0 ? `lowmemorykiller: Killing 'com.example.bg${i % 7}' (${1200 + (i % 300)}), adj 15, to free 12345kB` : `healthd: battery l=${50 + (i % 50)} v=${i % 5} t=26.${i % 10} h=2 st=2 chg=a`, i % 97 === 0 ? 4 : i % 13 === 0 ? 7 : 6);
    if (history > 0) {
      provisionNow(target);
      target.limits.push({ uid: 10070, user: 'u0_a70', mmMax: 100_000_000, grace: 0, sync: 'applied' });
      const start = Date.now() - history * 1000;
      for (let s = 0; s < history; s++) {
        clock = start + s * 1000;
        if (s === Math.max(5, history - 50)) launch(target, { user: 'u0_a70', limit: 100_000_000, mems: [160_000_000], grace: 0 });
        step(target, 1);
      }
      clock = Date.now();
    }
    return device;
  }

  function provisionNow(target: DeviceState): void {
    for (let i = 0; i < 3; i++) log(target, 'module load!');
    target.device.probe = { ...target.device.probe!, modules: ['mylimit', 'set_mm_limit', 'oom'], daemon: { running: true, pid: 364, interval: target.daemonInterval, checks: 0 } };
    log(target, 'oom begin to work');
  }

  function launch(target: DeviceState, spec: { user: string; limit: number; mems: number[]; grace: number }): Workload {
    const uid = uidFromName(spec.user) ?? 10070;
    const id = `w${++runCounter}`;
    const parent = target.nextPid++;
    const existing = target.limits.find((row) => row.uid === uid);
    if (existing) Object.assign(existing, { mmMax: spec.limit, grace: spec.grace, sync: 'applied' });
    else target.limits.push({ uid, user: nameFromUid(uid), mmMax: spec.limit, grace: spec.grace, sync: 'applied' });
    log(target, 'Existing memory limitations:', 4);
    for (const row of target.limits) log(target, `uid=${row.uid},mm_max=${row.mmMax},time_allow_exceed=${row.grace}`, 4);
    api.emit('limitsChanged', limitsState(target));
    let output = `pw->uid=${uid}, pw->name=${spec.user}\n@@@uid: ${uid}\n@@@pid: ${parent}\n`;
    for (const mem of [...spec.mems].reverse()) {
      const pid = target.nextPid++;
      target.children.push({ pid, uid, target: mem, rss: 0, done: false, workload: id });
      output += `child process start malloc: pid=${pid}, uid=${uid}, mem=${mem}\n`;
    }
    const workload: Workload = { id, serial: target.device.serial, commandLine: `/data/local/tmp/test ${spec.grace ? `-g ${spec.grace} ` : ''}${spec.user} ${spec.limit} ${spec.mems.join(' ')}`, state: 'running', startedAt: clock, output };
    workloads.set(id, workload);
    api.emit('workloadChanged', workload);
    return workload;
  }

  function out(id: string, text: string): void {
    const workload = workloads.get(id);
    if (!workload) return;
    workload.output += text;
    api.emit('workloadOutput', { id, stream: 'stdout', text });
  }

  /** One simulated second. */
  function step(target: DeviceState, seconds: number): void {
    target.uptime += seconds;
    for (const child of target.children) {
      if (child.done || child.killedAt !== undefined) continue;
      child.rss = Math.min(child.target, child.rss + 20 * 1024 * 1024 * seconds);
      if (child.rss >= child.target) {
        child.done = true;
        out(child.workload, `child process finish malloc: pid=${child.pid}, uid=${child.uid}, mem=${child.target}\n`);
      }
    }
    // Finished children hold 3 s, then exit.
    for (const child of target.children) if (child.done) child.holdLeft = (child.holdLeft ?? 4) - seconds;
    target.children = target.children.filter((child) => child.killedAt === undefined && (child.holdLeft ?? 1) > 0);
    if (target.device.probe?.daemon.running && target.uptime - target.lastCheck >= target.daemonInterval) {
      target.lastCheck = target.uptime;
      check(target);
    }
    finishWorkloads(target);
    const perUid = new Map<number, [number, number]>(BASE_UIDS.map(([uid, rss, count]) => [uid, [rss + Math.round(Math.sin(clock / 9000 + uid) * rss * 0.04), count]]));
    for (const child of target.children) {
      const [rss, count] = perUid.get(child.uid) ?? [0, 1];
      perUid.set(child.uid, [rss + child.rss, count + 1]);
    }
    const point: SamplePoint = { t: clock, uptimeMs: target.uptime * 1000, uids: [...perUid].map(([uid, [rss, count]]) => [uid, rss, count]) };
    target.samples.push(point);
    api.emit('samples', { serial: target.device.serial, points: [point] });
  }

  function check(target: DeviceState): void {
    for (const limit of [...target.limits].sort((a, b) => a.uid - b.uid)) {
      const children = target.children.filter((child) => child.uid === limit.uid && child.killedAt === undefined);
      let usage = children.reduce((sum, child) => sum + child.rss, 0);
      if (usage <= limit.mmMax) {
        target.breach.delete(limit.uid);
        continue;
      }
      if (!target.breach.has(limit.uid)) {
        target.breach.set(limit.uid, target.uptime);
        if (limit.grace > 0) log(target, `uid=${limit.uid} exceeds mm_max=${limit.mmMax}: grace period of ${limit.grace}s started`, 4);
      }
      if (target.uptime - target.breach.get(limit.uid)! < limit.grace) continue;
      while (usage > limit.mmMax) {
        const victim = children.filter((child) => child.killedAt === undefined).sort((a, b) => b.rss - a.rss || a.pid - b.pid)[0];
        if (!victim) break;
        log(target, 'A process has been killed:', 3);
        const line = log(target, `uid=${limit.uid}, uRSS=${usage}, mm_max=${limit.mmMax}, pid=${victim.pid}, pRSS=${victim.rss}`, 3);
        const kill: KillEvent = { index: line.index, ts: line.ts, at: clock, killer: 'mm_limit', pid: victim.pid, comm: 'test', uid: limit.uid, uRss: usage, mmMax: limit.mmMax, pRss: victim.rss, signal: 'SIGTERM' };
        target.kills.push(kill);
        api.emit('kills', { serial: target.device.serial, kills: [kill] });
        victim.killedAt = clock;
        usage -= victim.rss;
      }
      target.breach.delete(limit.uid);
    }
  }

  function finishWorkloads(target: DeviceState): void {
    for (const workload of workloads.values()) {
      if (workload.serial !== target.device.serial || workload.state !== 'running') continue;
      if (target.children.some((child) => child.workload === workload.id)) continue;
      workload.state = 'exited';
      workload.exitCode = 0;
      api.emit('workloadChanged', workload);
    }
  }

  api.handle('getAppInfo', () => ({ name: 'Goldfish OOM Manager', version: '0.1.0', mode: 'serve', platform: 'demo harness', node: 'n/a' }));
  api.handle('getAdbStatus', () => (options.adbMissing ? { source: 'none', serverPort: 5037, serverRunning: false, problem: 'No adb binary on PATH, in ANDROID_HOME or in settings.' } : { binary: '/usr/bin/adb', source: 'path', version: '1.0.41', serverPort: 5037, serverRunning: true }));
  api.handle('listDevices', () => list());
  api.handle('probeDevice', ({ serial }) => state(serial).device);
  api.handle('bootSimulator', (req) => {
    const device = boot(req.ramMiB ?? 1024, req.seed ?? 1, req.speed ?? 1, 0, req.oomMode ?? 'corrected');
    setTimeout(emitDevices, 0);
    return device;
  });
  api.handle('stopSimulator', ({ serial }) => {
    state(serial).device = { ...state(serial).device, state: 'disconnected' };
    devices.delete(serial);
    emitDevices();
    return {};
  });
  api.handle('startProvisioning', (req) => {
    const target = state(req.serial);
    target.daemonInterval = req.interval ?? 3;
    const sizes: Record<string, number> = { 'push-mylimit': 44_996, 'push-set_mm_limit': 44_492, 'push-oom.ko': 54_644, 'push-programs': 28_332 };
    const run: PipelineRun = {
      runId: `run-${++runCounter}`,
      serial: req.serial,
      state: 'running',
      payload: 'bundled: sim (resources/build/sim)',
      steps: [
        { id: 'check', label: 'Check device (root, kernel, ABI)', state: 'pending' },
        { id: 'push-mylimit', label: 'Push mylimit.ko', state: 'pending' },
        { id: 'push-set_mm_limit', label: 'Push set_mm_limit.ko', state: 'pending' },
        { id: 'push-oom.ko', label: 'Push oom.ko', state: 'pending' },
        { id: 'push-programs', label: 'Push programs (oom, test, mmlimit, memsample)', state: 'pending' },
        { id: 'insmod', label: 'insmod mylimit → set_mm_limit → oom', state: 'pending' },
        { id: 'verify', label: 'Verify /proc/mm_limits and syscalls 381/382', state: 'pending' },
        { id: 'daemon', label: `Start daemon: oom ${target.daemonInterval}`, state: 'pending' },
      ],
    };
    let at = 0;
    const tick = setInterval(() => {
      const current = run.steps[at];
      if (!current) return;
      const total = sizes[current.id];
      if (current.state === 'pending') current.state = 'running';
      if (total) {
        const done = Math.min(total, (current.bytes?.done ?? 0) + Math.ceil(total / 3));
        current.bytes = { done, total };
        current.detail = `/data/local/tmp/${current.id.replace('push-', '')}`;
        if (done >= total) current.state = 'done';
      } else current.state = 'done';
      if (current.state === 'done') {
        if (current.id === 'check') current.detail = 'root · 3.4.67-goldfish-sim · armeabi-v7a';
        if (current.id === 'insmod') provisionNow(target);
        if (current.id === 'daemon') current.detail = `pid 364, every ${target.daemonInterval} s`;
        at++;
      }
      if (at >= run.steps.length) {
        run.state = 'succeeded';
        clearInterval(tick);
        emitDevices();
        api.emit('limitsChanged', limitsState(target));
      }
      api.emit('provisioningProgress', structuredClone(run));
    }, 180);
    return structuredClone(run);
  });
  api.handle('cancelProvisioning', () => ({}));
  api.handle('getDaemonStatus', ({ serial }) => state(serial).device.probe?.daemon ?? { running: false });
  api.handle('startDaemon', ({ serial, interval }) => {
    const target = state(serial);
    target.daemonInterval = interval;
    target.device.probe!.daemon = { running: true, pid: 364, interval };
    emitDevices();
    return target.device.probe!.daemon;
  });
  api.handle('stopDaemon', ({ serial }) => {
    const target = state(serial);
    target.device.probe!.daemon = { running: false };
    emitDevices();
    return target.device.probe!.daemon;
  });
  api.handle('getLimits', ({ serial }) => limitsState(state(serial)));
  api.handle('setLimit', (req) => {
    const target = state(req.serial);
    const uid = typeof req.user === 'number' ? req.user : uidFromName(req.user);
    const parsed = parseBytes(req.mmMax);
    if (uid === undefined || 'error' in parsed) throw new ApiError({ code: 'bad-request', message: 'invalid limit' });
    const row: LimitRow = { uid, user: nameFromUid(uid), mmMax: parsed.bytes, grace: req.grace ?? 0, sync: req.apply === false || !limitsState(target).modulesLoaded ? 'pending' : 'applied' };
    target.limits = [...target.limits.filter((known) => known.uid !== uid), row].sort((a, b) => a.uid - b.uid);
    if (row.sync === 'applied') {
      log(target, 'Existing memory limitations:', 4);
      for (const known of target.limits) log(target, `uid=${known.uid},mm_max=${known.mmMax},time_allow_exceed=${known.grace}`, 4);
    }
    return limitsState(target);
  });
  api.handle('removeLimit', ({ serial, uid }) => {
    const target = state(serial);
    target.limits = target.limits.filter((row) => row.uid !== uid);
    return limitsState(target);
  });
  api.handle('applyLimits', ({ serial }) => {
    const target = state(serial);
    for (const row of target.limits) row.sync = 'applied';
    return limitsState(target);
  });
  api.handle('startSampling', ({ serial, hz }) => ({ serial, running: true, hz: hz ?? 1, samples: state(serial).samples.length, method: 'memsample' }));
  api.handle('stopSampling', ({ serial }) => ({ serial, running: false, hz: 1, samples: state(serial).samples.length }));
  api.handle('getSamples', ({ serial, since }) => state(serial).samples.filter((point) => since === undefined || point.t > since));
  api.handle('getUidProcesses', ({ serial, uid }) => {
    const target = state(serial);
    const children = target.children.filter((child) => child.uid === uid).map((child) => ({ pid: child.pid, uid, rss: child.rss, comm: 'test' }));
    const base = BASE_UIDS.find(([known]) => known === uid);
    const others = base ? Array.from({ length: Math.min(6, base[2]) }, (_, i) => ({ pid: 100 + uid % 97 + i, uid, rss: Math.round(base[1] / (i + 2)), comm: uid === 1000 ? ['system_server', 'surfaceflinger', 'servicemanager', 'vold', 'netd', 'rild'][i] : `com.example.app${uid % 100}` })) : [];
    return [...children, ...others];
  });
  api.handle('queryLog', ({ serial, from, limit }) => {
    const lines = state(serial).lines;
    return { lines: lines.slice(from ?? 0, (from ?? 0) + (limit ?? 1000)), total: lines.length };
  });
  api.handle('getKills', ({ serial }) => state(serial).kills);
  api.handle('exportLog', ({ serial }) => ({ path: `/home/student/.goldfish-oom-manager/logs/${serial}-dmesg.txt`, lines: state(serial).lines.length }));
  api.handle('runWorkload', ({ serial, spec }) => {
    const target = state(serial);
    if (spec.kind === 'command') {
      const id = `w${++runCounter}`;
      const workload: Workload = { id, serial, commandLine: spec.command, state: 'exited', exitCode: 0, startedAt: clock, output: spec.command.includes('mm_limits') ? target.limits.map((row) => `uid=${row.uid},mm_max=${row.mmMax},time_allow_exceed=${row.grace}`).join('\n') + '\n' : '' };
      workloads.set(id, workload);
      return workload;
    }
    return launch(target, { user: spec.user, limit: spec.limit, mems: spec.mems, grace: spec.grace ?? 0 });
  });
  api.handle('stopWorkload', ({ id }) => {
    const workload = workloads.get(id);
    if (!workload) throw new ApiError({ code: 'not-found', message: 'no such workload' });
    const target = devices.get(workload.serial);
    if (target) target.children = target.children.filter((child) => child.workload !== id);
    workload.state = 'stopped';
    return workload;
  });
  api.handle('listWorkloads', ({ serial }) => [...workloads.values()].filter((workload) => !serial || workload.serial === serial));

  if (options.history) boot(1024, 1, 1, options.history);
  const timer = setInterval(() => {
    clock = Date.now();
    for (const target of devices.values()) step(target, 1);
  }, options.tickMs ?? 1000);
  return { api, stop: () => clearInterval(timer) };
}
