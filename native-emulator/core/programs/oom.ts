import { NullFile, SharedFile } from '../fs/open-file.js';
import { sys, type ProgramMain, type Process } from '../kernel/process.js';
import { NR_OOM_CHECK } from '../modules/oom-module.js';
import { ENOSYS } from '../util/errno.js';
import { syscall, writeText } from './lib.js';
import { viaFlag, type MmVia } from './mmlimit.js';

/** common.c's mm_oom_check: syscall 382, or /proc/mm_oom_check where it answers ENOSYS (-s / -p force one). */
function oomCheck(p: Process, period: number, via: MmVia): void {
  if (via !== 'proc') {
    const ret = syscall(p, NR_OOM_CHECK, period);
    if (ret >= 0 || ret !== -ENOSYS || via === 'syscall') return;
  }
  try {
    writeText(p, '/proc/mm_oom_check', `${period}\n`);
  } catch {
    /* neither the syscall nor /proc: keep sleeping, as the daemon's loop does */
  }
}

/** `oom [-s|-p] T` (resources/programs/oom.c): daemon(0,0), then one check and sleep(T) forever. */
export const oomMain: ProgramMain = function* (p) {
  const { via, next } = viaFlag(p.argv);
  const arg = next === p.argv.length - 1 ? p.argv[next]! : '';
  const period = /^\d+$/.test(arg) ? Number(arg) : 0;
  if (period < 1 || period > 86400) {
    p.writeErr(`usage: ${p.argv[0] ?? 'oom'} [-s|-p] T   (check every T seconds, T >= 1)\n`);
    return 2;
  }
  p.out('oom begin to work\n');
  p.kernel.fork(p.task, function* (d) {
    d.task.sid = d.task.pgid = d.task.pid;
    d.task.cwd = '/';
    for (const fd of [0, 1, 2]) d.kernel.setFd(d.task, fd, new SharedFile(new NullFile()));
    for (;;) {
      oomCheck(d, period, via);
      yield* sys.sleep(period * 1e9);
    }
  });
  return 0;
};
