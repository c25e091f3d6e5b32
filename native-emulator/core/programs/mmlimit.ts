import { instant, type ProgramMain, type Process } from '../kernel/process.js';
import { NR_SET_MM_LIMIT } from '../modules/set-mm-limit.js';
import { resolveUser } from '../userland/users.js';
import { ENOSYS, strerror } from '../util/errno.js';
import { fsErrno, parseSize, readText, syscall, writeText } from './lib.js';

const USAGE =
  'usage: mmlimit [-s|-p] set USER|UID BYTES[K|M|G] [GRACE_S]\n' +
  '       mmlimit [-s|-p] remove USER|UID\n' +
  '       mmlimit list\n';

/** How a program reaches the kernel (common.h's enum mm_via): the syscall, then /proc on ENOSYS. */
export type MmVia = 'auto' | 'syscall' | 'proc';

/** common.c's mm_set_limit: 0 or -errno. */
export function mmSetLimit(p: Process, uid: number, bytes: number, grace: number, via: MmVia): number {
  if (via !== 'proc') {
    const ret = syscall(p, NR_SET_MM_LIMIT, uid, bytes, grace);
    if (ret === 0 || ret !== -ENOSYS || via === 'syscall') return ret;
  }
  try {
    writeText(p, '/proc/mm_limits', `${uid} ${bytes} ${grace}\n`);
    return 0;
  } catch (e) {
    return -fsErrno(e);
  }
}

/** The leading -s / -p of oom and mmlimit. */
export function viaFlag(argv: readonly string[]): { via: MmVia; next: number } {
  if (argv[1] === '-s') return { via: 'syscall', next: 2 };
  if (argv[1] === '-p') return { via: 'proc', next: 2 };
  return { via: 'auto', next: 1 };
}

/** resources/programs/mmlimit.c */
export const mmlimitMain: ProgramMain = instant((p) => {
  const usage = () => {
    p.writeErr(USAGE);
    return 2;
  };
  const argv = p.argv;
  const { via, next } = viaFlag(argv);
  let a = next;
  if (a >= argv.length) return usage();
  const op = argv[a++]!;
  if (op === 'list') {
    if (a !== argv.length) return usage();
    try {
      p.out(readText(p, '/proc/mm_limits'));
      return 0;
    } catch (e) {
      const errno = fsErrno(e);
      p.writeErr(`mmlimit: list failed: ${strerror(errno)} (errno=${errno})\n`);
      return 1;
    }
  }
  const uid = a < argv.length ? resolveUser(argv[a]!) : undefined;
  if (uid === undefined) {
    p.writeErr(`mmlimit: unknown user ${argv[a] ?? ''}\n`);
    return 2;
  }
  a++;
  let bytes = 0;
  let grace = 0;
  if (op === 'set') {
    const left = argv.length - a;
    const size = left >= 1 && left <= 2 ? parseSize(argv[a]!) : undefined;
    if (size === undefined) return usage();
    bytes = size;
    if (left === 2) {
      if (!/^\d+$/.test(argv[a + 1]!)) return usage();
      grace = Number(argv[a + 1]) >>> 0;
    }
  } else if (op !== 'remove' || a !== argv.length) {
    return usage();
  }
  const ret = mmSetLimit(p, uid, bytes, grace, via);
  if (ret < 0) {
    p.writeErr(`mmlimit: ${op} failed: ${strerror(-ret)} (errno=${-ret})\n`);
    return 1;
  }
  return 0;
});
