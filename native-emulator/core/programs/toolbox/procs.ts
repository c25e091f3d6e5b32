import { PAGE_SIZE } from '../../kernel/mm.js';
import { instant, sys, type ProgramMain } from '../../kernel/process.js';
import { MAX_SIGNAL, SIGNAL_NAMES, SIGTERM, parseSignal } from '../../kernel/signals.js';
import { AID_SHELL, userName } from '../../userland/users.js';
import { strerror } from '../../util/errno.js';
import { hms } from '../../util/format.js';

/** Android 4.x/5.x toolbox ps (the seed's Fig. 11 layout: WCHAN as a symbol). */
export const ps: ProgramMain = instant((p) => {
  const filters = p.argv.slice(1).filter((a) => !a.startsWith('-'));
  const lines = ['USER     PID   PPID  VSIZE  RSS     WCHAN    PC         NAME'];
  for (const t of [...p.kernel.tasks.values()].sort((a, b) => a.pid - b.pid)) {
    const name = t.displayName;
    if (filters.length && !filters.some((f) => f === String(t.pid) || name.includes(f) || t.comm === f)) continue;
    const vsize = t.mm ? (t.mm.totalVm * PAGE_SIZE) / 1024 : 0;
    const rss = t.mm ? (t.mm.rss * PAGE_SIZE) / 1024 : 0;
    const wchan = (t.state === 'R' ? '0' : t.wchan || '0').slice(0, 10).padStart(10);
    const pc = (t.mm ? t.pc : 0).toString(16).padStart(8, '0');
    lines.push(`${userName(t.uid).padEnd(9)} ${String(t.pid).padEnd(5)} ${String(t.ppid).padEnd(5)} ${String(vsize).padEnd(6)} ${String(rss).padEnd(5)} ${wchan} ${pc} ${t.state} ${name}`);
  }
  p.out(`${lines.join('\n')}\n`);
  return 0;
});

export const kill: ProgramMain = instant((p) => {
  const args = p.argv.slice(1);
  if (args[0] === '-l') {
    const out: string[] = [];
    for (let s = 1; s <= MAX_SIGNAL; s++) out.push(`${String(s).padStart(2)} ${SIGNAL_NAMES[s]}`);
    p.out(`${out.join('\n')}\n`);
    return 0;
  }
  let sig = SIGTERM;
  if (args[0] === '-s' && args[1]) {
    const s = parseSignal(args[1]);
    if (s === undefined) {
      p.writeErr(`kill: unknown signal '${args[1]}'\n`);
      return 1;
    }
    sig = s;
    args.splice(0, 2);
  } else if (args[0]?.startsWith('-')) {
    const s = parseSignal(args[0].slice(1));
    if (s === undefined) {
      p.writeErr(`kill: unknown signal '${args[0].slice(1)}'\n`);
      return 1;
    }
    sig = s;
    args.shift();
  }
  if (!args.length) {
    p.writeErr('usage: kill [-s signal | -signal] pid ...\n');
    return 1;
  }
  let status = 0;
  for (const a of args) {
    const ret = /^-?\d+$/.test(a) ? p.kernel.kill(Number(a), sig, p.task) : -3;
    if (ret < 0) {
      p.writeErr(`kill: pid ${a}: ${strerror(-ret)}\n`);
      status = 1;
    }
  }
  return status;
});

export const sleep: ProgramMain = function* (p) {
  const s = Number(p.argv[1]);
  if (p.argv.length !== 2 || !(s >= 0)) {
    p.writeErr('sleep <time>\n');
    return 1;
  }
  yield* sys.sleep(Math.round(s * 1e9));
  return 0;
};

export const uptime: ProgramMain = instant((p) => {
  const up = p.kernel.uptimeNs() / 1e9;
  p.out(`up time: ${hms(up)}, idle time: ${hms(up * 0.93)}, sleep time: ${hms(0)}\n`);
  return 0;
});

export const id: ProgramMain = instant((p) => {
  const { uid, gid } = p.cred;
  let line = `uid=${uid}(${userName(uid)}) gid=${gid}(${userName(gid)})`;
  if (uid === AID_SHELL) line += ' groups=1003(graphics),1004(input),1007(log),1009(mount),1011(adb),1015(sdcard_rw),1028(sdcard_r),3001(net_bt_admin),3002(net_bt),3003(inet),3006(net_bw_stats)';
  p.out(`${line}\n`);
  return 0;
});
