#!/usr/bin/env node
// Turns scenarios/*.json (format versions 1 and 2, see scenarios/README.md)
// into the guest shell script run by the QEMU /init, plus the list of check
// names the host expects a KTEST marker for.  Version 2 checks the guest
// cannot make (timely: it needs RSS samples over time) are printed as
// `KTEST SKIP <name> <reason>`.
//
//   node scripts/kernel-test/gen-init.mjs SCENARIO_DIR... OUT_DIR
//     -> OUT_DIR/scenarios.sh  (sourced by /init after guest-lib.sh)
//     -> OUT_DIR/checks.txt    (one check name a line)
//
// Only the guest's busybox sh runs the result; every value is validated
// here, so nothing reaches the shell unquoted.

import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const MODULES = ['mylimit', 'set_mm_limit', 'oom'];
const ERRNO = { EPERM: 1, ENOENT: 2, EINVAL: 22 };
const NAME_RE = /^[A-Za-z0-9_-]+$/;

class ScenarioError extends Error {}

function fail(where, msg) {
  throw new ScenarioError(`${where}: ${msg}`);
}

// Android rules, as in resources/programs/common.c; /etc/passwd names are
// not known here, so scenarios use these forms only.
export function resolveUser(user, where) {
  if (user === 'root') return 0;
  if (user === 'system') return 1000;
  if (user === 'shell') return 2000;
  let m = /^u(\d+)_a(\d+)$/.exec(user);
  if (m && Number(m[2]) < 90000) return Number(m[1]) * 100000 + 10000 + Number(m[2]);
  if (/^\d+$/.test(user)) return Number(user);
  return fail(where, `user ${JSON.stringify(user)} is not root/system/shell/uN_aM/a uid`);
}

function int(v, where, what, { min = 0 } = {}) {
  if (!Number.isSafeInteger(v) || v < min) fail(where, `${what} must be an integer >= ${min}`);
  return v;
}

function num(v, where, what) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, `${what} must be a number >= 0`);
  return v;
}

function oneOf(v, allowed, where, what) {
  if (!allowed.includes(v)) fail(where, `${what} must be one of ${allowed.join(', ')}`);
  return v;
}

function only(obj, keys, where) {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(where, `unknown field ${k}`);
}

// single-quoted for sh
function q(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

const WORKLOAD_PROFILES = ['ramp', 'spike', 'many_small', 'ignore_term'];

// run_workload (v2): every profile is a way of calling the test program
// (native-emulator/core/scenarios/format.ts, workloadAsTest).
function workloadAsTest(profile, size, count, rate) {
  switch (profile) {
    case 'ramp':
      return { mems: [size], rate: rate ?? 8, ignore: 0 };
    case 'spike':
      return { mems: [size], rate: rate ?? 200, ignore: 0 };
    case 'many_small':
      return { mems: Array.from({ length: count }, () => size), rate: rate ?? 20, ignore: 0 };
    default:
      return { mems: [size], rate: rate ?? 20, ignore: 1 };
  }
}

export function compileScenario(sc, file) {
  const where0 = file;
  if (sc.version !== 1 && sc.version !== 2) fail(where0, 'version must be 1 or 2');
  const v2 = (where, what) => {
    if (sc.version < 2) fail(where, `${what} needs "version": 2`);
  };
  only(sc, ['version', 'name', 'description', 'steps', 'expect'], where0);
  if (typeof sc.name !== 'string' || !NAME_RE.test(sc.name)) fail(where0, 'name must match [A-Za-z0-9_-]+');
  if (!Array.isArray(sc.steps)) fail(where0, 'steps must be a list');

  const lines = [`scenario_begin ${q(sc.name)}`];
  const checks = [];
  const tests = new Map(); // id -> { uid, limit, n, interval }
  let interval = 0;
  const runTest = (step, where, derived) => {
    if (typeof step.id !== 'string' || !NAME_RE.test(step.id)) fail(where, 'id must match [A-Za-z0-9_-]+');
    if (tests.has(step.id)) fail(where, `test id ${step.id} used twice`);
    const uid = resolveUser(step.user, where);
    if (uid === 0) fail(where, 'run_test as root makes no sense: uid 0 is never limited');
    const limit = int(step.limit, where, 'limit', { min: 1 });
    const grace = int(step.grace ?? 0, where, 'grace');
    let mems;
    if (derived) mems = derived.mems;
    else {
      if (!Array.isArray(step.mems) || step.mems.length === 0) fail(where, 'mems must be a non-empty list');
      mems = step.mems.map((m) => int(m, where, 'mems[]'));
    }
    const hold = num(step.hold ?? 3, where, 'hold');
    const rate = derived ? derived.rate : num(step.rate ?? 20, where, 'rate');
    const ignore = derived ? derived.ignore : step.ignore_term === true ? 1 : 0;
    tests.set(step.id, { uid, limit, n: mems.length, interval });
    lines.push(`step_run_test ${step.id} ${uid} ${limit} ${grace} ${ignore} ${hold} ${rate} ${mems.join(' ')}`);
  };
  const check = (name) => {
    const full = `${sc.name}.${name}`;
    if (checks.includes(full)) fail(where0, `duplicate check ${full}`);
    checks.push(full);
    return q(full);
  };

  sc.steps.forEach((step, i) => {
    const n = String(i + 1).padStart(2, '0');
    const where = `${file} step ${i + 1}`;
    const op = step.op;
    switch (op) {
      case 'insmod':
      case 'rmmod': {
        only(step, ['op', 'module', 'expect'], where);
        const mod = oneOf(step.module, MODULES, where, 'module');
        const exp = step.expect === undefined ? '' : oneOf(step.expect, ['ok', 'fail'], where, 'expect');
        const name = exp ? check(`${n}-${op}-${mod}-${exp}`) : "''";
        lines.push(`step_${op} ${name} ${mod} ${q(exp)}`);
        break;
      }
      case 'lsmod': {
        only(step, ['op', 'expect'], where);
        if (typeof step.expect !== 'object' || !step.expect) fail(where, 'expect must be an object');
        for (const [mod, want] of Object.entries(step.expect)) {
          oneOf(mod, MODULES, where, 'module');
          if (want === null) {
            lines.push(`step_lsmod ${check(`${n}-lsmod-${mod}-absent`)} ${mod} absent ''`);
            continue;
          }
          only(want, ['refcnt', 'used_by'], where);
          const refcnt = int(want.refcnt, where, 'refcnt');
          const usedBy = (want.used_by ?? []).map((m) => oneOf(m, MODULES, where, 'used_by')).sort();
          lines.push(`step_lsmod ${check(`${n}-lsmod-${mod}`)} ${mod} ${refcnt} ${q(usedBy.join(','))}`);
        }
        break;
      }
      case 'set_limit': {
        only(step, ['op', 'user', 'mm_max', 'grace', 'via', 'expect'], where);
        const uid = resolveUser(step.user, where);
        const mmMax = int(step.mm_max, where, 'mm_max');
        const grace = int(step.grace ?? 0, where, 'grace');
        const via = oneOf(step.via ?? 'syscall', ['syscall', 'proc'], where, 'via');
        const exp = oneOf(step.expect ?? 'ok', ['ok', ...Object.keys(ERRNO)], where, 'expect');
        const errno = exp === 'ok' ? 0 : ERRNO[exp];
        // a later successful set of a run's uid is the limit its kill report names
        if (errno === 0 && mmMax > 0) for (const t of tests.values()) if (t.uid === uid) t.limit = mmMax;
        const name = check(`${n}-set_limit-${uid}-${via}-${exp}`);
        lines.push(`step_set_limit ${name} ${uid} ${mmMax} ${grace} ${via} ${errno}`);
        break;
      }
      case 'limits': {
        only(step, ['op', 'expect'], where);
        if (!Array.isArray(step.expect)) fail(where, 'expect must be a list of lines');
        lines.push(`step_limits ${check(`${n}-limits`)} ${step.expect.map(q).join(' ')}`);
        break;
      }
      case 'oom_stats': {
        only(step, ['op', 'expect'], where);
        only(step.expect ?? {}, ['checks', 'kills'], where);
        const c = step.expect?.checks === undefined ? '-' : int(step.expect.checks, where, 'checks');
        const k = step.expect?.kills === undefined ? '-' : int(step.expect.kills, where, 'kills');
        lines.push(`step_oom_stats ${check(`${n}-oom_stats`)} ${c} ${k}`);
        break;
      }
      case 'start_daemon':
      case 'restart_daemon': {
        if (op === 'restart_daemon') v2(where, 'restart_daemon');
        only(step, ['op', 'interval', 'via'], where);
        interval = int(step.interval, where, 'interval', { min: 1 });
        const via = oneOf(step.via ?? 'auto', ['auto', 'syscall', 'proc'], where, 'via');
        if (op === 'restart_daemon') lines.push('step_stop_daemon');
        lines.push(`step_start_daemon ${check(`${n}-${op}`)} ${interval} ${via}`);
        break;
      }
      case 'reset':
        v2(where, 'reset');
        only(step, ['op'], where);
        lines.push('step_reset');
        break;
      case 'run_workload': {
        v2(where, 'run_workload');
        only(step, ['op', 'id', 'user', 'limit', 'grace', 'profile', 'size', 'count', 'hold', 'rate'], where);
        const profile = oneOf(step.profile, WORKLOAD_PROFILES, where, 'profile');
        const size = int(step.size, where, 'size', { min: 1 });
        const count = profile === 'many_small' ? int(step.count, where, 'count', { min: 1 }) : 1;
        if (profile !== 'many_small' && step.count !== undefined) fail(where, 'count is for the many_small profile');
        if (count > 64) fail(where, 'count must be <= 64');
        const rate = step.rate === undefined ? undefined : num(step.rate, where, 'rate');
        runTest(step, where, workloadAsTest(profile, size, count, rate));
        break;
      }
      case 'stop_daemon':
        only(step, ['op'], where);
        lines.push('step_stop_daemon');
        break;
      case 'run_test':
        only(step, ['op', 'id', 'user', 'limit', 'grace', 'mems', 'ignore_term', 'hold', 'rate'], where);
        runTest(step, where);
        break;
      case 'wait':
        only(step, ['op', 'seconds'], where);
        lines.push(`sleep ${num(step.seconds, where, 'seconds')}`);
        break;
      case 'wait_tests':
        only(step, ['op'], where);
        lines.push(`step_wait_tests ${check(`${n}-wait_tests`)}`);
        break;
      default:
        fail(where, `unknown op ${JSON.stringify(op)}`);
    }
  });

  lines.push('scenario_finish');

  const exp = sc.expect ?? {};
  const v1Keys = ['killed', 'survived', 'escalated', 'kills', 'dmesg', 'no_kernel_oom'];
  const v2Keys = ['timely', 'slack', 'protected', 'kill_format'];
  only(exp, sc.version >= 2 ? [...v1Keys, ...v2Keys] : v1Keys, `${file} expect`);
  const child = (ref, what) => {
    const m = /^([A-Za-z0-9_-]+)\.(\d+)$/.exec(ref);
    const t = m && tests.get(m[1]);
    if (!t || Number(m[2]) >= t.n) fail(`${file} expect.${what}`, `${ref} names no child of a run_test`);
    return { id: m[1], idx: Number(m[2]), ...t };
  };
  for (const ref of exp.killed ?? []) {
    const c = child(ref, 'killed');
    lines.push(`expect_killed ${check(`killed-${ref}`)} ${c.id} ${c.idx} ${c.uid} ${c.limit}`);
  }
  for (const ref of exp.escalated ?? []) {
    const c = child(ref, 'escalated');
    lines.push(`expect_escalated ${check(`escalated-${ref}`)} ${c.id} ${c.idx} ${c.uid} ${c.limit}`);
  }
  for (const ref of exp.survived ?? []) {
    const c = child(ref, 'survived');
    lines.push(`expect_survived ${check(`survived-${ref}`)} ${c.id} ${c.idx}`);
  }
  if (exp.kills !== undefined) {
    lines.push(`expect_kills ${check('kills')} ${int(exp.kills, `${file} expect`, 'kills')}`);
  }
  (exp.dmesg ?? []).forEach((line, i) => {
    if (typeof line !== 'string') fail(`${file} expect.dmesg`, 'lines must be strings');
    lines.push(`expect_dmesg ${check(`dmesg-${i + 1}`)} ${q(line)}`);
  });
  if (exp.no_kernel_oom) lines.push(`expect_no_kernel_oom ${check('no_kernel_oom')}`);
  // version 2
  if (exp.slack !== undefined) num(exp.slack, `${file} expect`, 'slack');
  for (const ref of exp.timely ?? []) {
    const c = child(ref, 'timely');
    if (!c.interval) fail(`${file} expect.timely`, `${ref}: no start_daemon before its run, so no T to time it by`);
    lines.push(`skip ${check(`timely-${ref}`)} ${q('needs RSS samples over time; the QEMU runner does not sample (the simulator and device runners do)')}`);
  }
  if (exp.protected !== undefined && typeof exp.protected !== 'boolean') fail(`${file} expect`, 'protected must be true or false');
  if (exp.protected) {
    lines.push(`expect_protected_root ${check('protected-root')}`);
    lines.push(`expect_protected_daemon ${check('protected-daemon')}`);
  }
  if (exp.kill_format !== undefined && typeof exp.kill_format !== 'boolean') fail(`${file} expect`, 'kill_format must be true or false');
  if (exp.kill_format) lines.push(`expect_kill_format ${check('kill_format')}`);

  lines.push('scenario_cleanup');
  return { name: sc.name, script: lines.join('\n') + '\n', checks };
}

function main() {
  const args = process.argv.slice(2);
  const out = args.pop();
  const dirs = args;
  if (!dirs.length || !out) {
    console.error('usage: node gen-init.mjs SCENARIO_DIR... OUT_DIR');
    process.exit(2);
  }
  // suites.json is the suite index, not a scenario
  const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'suites.json').sort().map((f) => join(dir, f)));
  const scripts = [];
  const checks = [];
  const names = new Set();
  try {
    for (const path of files) {
      const f = path;
      let sc;
      try {
        sc = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        fail(path, `not JSON: ${e.message}`);
      }
      const c = compileScenario(sc, path);
      if (names.has(c.name)) fail(path, `scenario name ${c.name} used twice`);
      names.add(c.name);
      scripts.push(`# ${f}\n${c.script}`);
      checks.push(...c.checks);
    }
  } catch (e) {
    if (e instanceof ScenarioError) {
      console.error(`gen-init: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  // checks over the whole boot, done by /init itself
  checks.push('log.no-oops', 'log.no-kernel-oom');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'scenarios.sh'), `# generated by scripts/kernel-test/gen-init.mjs from ${dirs.join(' ')}\n${scripts.join('\n')}`);
  writeFileSync(join(out, 'checks.txt'), checks.join('\n') + '\n');
  console.log(`gen-init: ${files.length} scenarios, ${checks.length} checks`);
}

main();
