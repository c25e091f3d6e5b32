import { NullFile, SharedFile } from '../fs/open-file.js';
import { sys, type ProgramMain } from '../kernel/process.js';
import { NR_OOM_CHECK } from '../modules/oom-module.js';
import { ENOSYS } from '../util/errno.js';
import { syscall, writeText } from './lib.js';

/** `oom T`: the seed's daemon. daemon(0,0), then syscall(382, T) and sleep(T) forever. */
export const oomMain: ProgramMain = function* (p) {
  const period = Number(p.argv[1]);
  if (p.argv.length < 2 || !Number.isInteger(period) || period <= 0) {
    p.writeErr('usage: oom T\n');
    return 1;
  }
  p.out('oom begin to work\n');
  p.kernel.fork(p.task, function* (d) {
    d.task.sid = d.task.pgid = d.task.pid;
    d.task.cwd = '/';
    for (const fd of [0, 1, 2]) d.kernel.setFd(d.task, fd, new SharedFile(new NullFile()));
    for (;;) {
      if (syscall(d, NR_OOM_CHECK, period) === -ENOSYS) {
        try {
          writeText(d, '/proc/mm_oom_check', `${period}\n`);
        } catch {
          /* neither the syscall nor /proc: keep sleeping, as the seed's loop does */
        }
      }
      yield* sys.sleep(period * 1e9);
    }
  });
  return 0;
};
