import { PAGES_PER_MIB, PAGE_SIZE } from '../kernel/mm.js';
import { sys, type ProgramMain, type Process } from '../kernel/process.js';
import { SIGTERM } from '../kernel/signals.js';
import { resolveUser, userName } from '../userland/users.js';
import { strerror } from '../util/errno.js';
import { getopt, parseSize, readText } from './lib.js';
import { mmSetLimit } from './mmlimit.js';

/** resources/programs/test.c, as docs/device-interface.md specifies it. */
export const testMain: ProgramMain = function* (p) {
  const usage = () => {
    p.writeErr(`usage: ${p.argv[0] ?? 'test'} [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...\n`);
    return 2;
  };
  const { opts, rest, bad } = getopt(p.argv, 'ghr', 'i');
  const num = (v: string | undefined, dflt: number, re: RegExp) => (v === undefined ? dflt : re.test(v) ? Number(v) : NaN);
  const grace = num(opts.get('g'), 0, /^\d+$/);
  const hold = num(opts.get('h'), 3, /^(\d+\.?\d*|\.\d+)$/);
  const rate = num(opts.get('r'), 20, /^(\d+\.?\d*|\.\d+)$/);
  if (bad || rest.length < 3 || Number.isNaN(grace) || Number.isNaN(hold) || Number.isNaN(rate)) return usage();
  const name = rest[0]!;
  const uid = resolveUser(name, passwd(p));
  if (uid === undefined) {
    p.writeErr(`test: unknown user ${name}\n`);
    return 1;
  }
  const limit = parseSize(rest[1]!);
  if (limit === undefined) {
    p.writeErr(`test: bad LIMIT ${rest[1]}\n`);
    return 2;
  }
  p.out(`pw->uid=${uid}, pw->name=${userName(uid)}\n@@@uid: ${uid}\n@@@pid: ${p.task.pid}\n`);

  const ret = mmSetLimit(p, uid, limit, grace >>> 0, 'auto');
  if (ret < 0) p.writeErr(`test: set_mm_limit: ${strerror(-ret)} (errno=${-ret})\n`);

  const pids: number[] = [];
  for (const arg of rest.slice(2)) {
    let mem = parseSize(arg);
    if (mem === undefined) {
      p.writeErr(`test: bad MEM ${arg}\n`);
      mem = 0;
    }
    const m = mem;
    pids.push(p.kernel.fork(p.task, (c) => child(c, uid, m, rate, hold, opts.has('i'))).pid);
  }
  for (;;) {
    const r = yield* sys.wait();
    if (r === null) break;
    const idx = pids.indexOf(r.pid);
    const sig = r.status & 0x7f;
    const how = sig !== 0 ? `signal=${sig}` : `exit=${(r.status >> 8) & 0xff}`;
    p.out(`child process end: pid=${r.pid}, idx=${idx === -1 ? pids.length : idx}, ${how}\n`);
  }
  return 0;
};

function* child(c: Process, uid: number, mem: number, rate: number, hold: number, ignoreTerm: boolean) {
  c.task.uid = uid;
  c.task.gid = uid;
  if (ignoreTerm) c.task.dispositions.set(SIGTERM, 'ignore');
  c.out(`child process start malloc: pid=${c.task.pid}, uid=${uid}, mem=${mem}\n`);
  const pages = Math.ceil(mem / PAGE_SIZE);
  c.kernel.growVm(c.task, pages);
  const stepNs = rate > 0 ? 1e9 / rate : 0;
  for (let done = 0; done < pages; ) {
    const step = Math.min(PAGES_PER_MIB, pages - done);
    if (!(yield* sys.touch(step))) return 1;
    done += step;
    // test.c sleeps until start + done/rate after every step, the last one included
    if (rate > 0) yield* sys.sleep(Math.round((stepNs * step) / PAGES_PER_MIB));
  }
  c.out(`child process finish malloc: pid=${c.task.pid}, uid=${uid}, mem=${mem}\n`);
  yield* sys.sleep(Math.round(hold * 1e9));
  return 0;
}

function passwd(p: Process): string | undefined {
  try {
    return readText(p, '/etc/passwd');
  } catch {
    return undefined;
  }
}
