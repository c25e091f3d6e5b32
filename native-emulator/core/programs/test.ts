import { PAGES_PER_MIB, PAGE_SIZE } from '../kernel/mm.js';
import { sys, type ProgramMain, type Process } from '../kernel/process.js';
import { SIGTERM } from '../kernel/signals.js';
import { NR_SET_MM_LIMIT } from '../modules/set-mm-limit.js';
import { resolveUser } from '../userland/users.js';
import { ENOSYS, strerror } from '../util/errno.js';
import { getopt, parseSize, readText, syscall, writeText } from './lib.js';

const USAGE = 'usage: test [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...\n';

/** The professor's test program as docs/device-interface.md specifies it. */
export const testMain: ProgramMain = function* (p) {
  const { opts, rest, bad } = getopt(p.argv, 'ghr', 'i');
  const grace = Number(opts.get('g') ?? 0);
  const hold = Number(opts.get('h') ?? 3);
  const rate = Number(opts.get('r') ?? 20);
  const limit = parseSize(rest[1] ?? '');
  const mems = rest.slice(2).map(parseSize);
  if (bad || rest.length < 3 || limit === undefined || mems.some((m) => m === undefined) || !(rate > 0) || !(hold >= 0) || !(grace >= 0)) {
    p.writeErr(USAGE);
    return 1;
  }
  const name = rest[0]!;
  const uid = resolveUser(name, passwd(p));
  if (uid === undefined) {
    p.writeErr(`test: unknown user ${name}\n`);
    return 1;
  }
  p.out(`pw->uid=${uid}, pw->name=${name}\n@@@uid: ${uid}\n@@@pid: ${p.task.pid}\n`);

  let ret = syscall(p, NR_SET_MM_LIMIT, uid, limit, grace);
  if (ret === -ENOSYS) {
    try {
      writeText(p, '/proc/mm_limits', `${uid} ${limit} ${grace}\n`);
      ret = 0;
    } catch {
      /* reported below */
    }
  }
  if (ret < 0) p.writeErr(`set_mm_limit: ${strerror(-ret)}\n`);

  for (const mem of mems as number[]) {
    p.kernel.fork(p.task, (c) => child(c, uid, mem, rate, hold, opts.has('i')));
  }
  while ((yield* sys.wait()) !== null) {
    /* reap every child */
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
  const stepNs = 1e9 / rate;
  for (let done = 0; done < pages; ) {
    const step = Math.min(PAGES_PER_MIB, pages - done);
    if (!(yield* sys.touch(step))) return 1;
    done += step;
    if (done < pages) yield* sys.sleep(Math.round((stepNs * step) / PAGES_PER_MIB));
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
