import { instant, type ProgramMain } from '../kernel/process.js';
import { NR_SET_MM_LIMIT } from '../modules/set-mm-limit.js';
import { resolveUser } from '../userland/users.js';
import { ENOSYS, strerror } from '../util/errno.js';
import { errText, fsErrno, parseSize, readText, syscall, writeText } from './lib.js';

const USAGE = 'usage: mmlimit set USER|UID BYTES[K|M|G] [GRACE_S] | remove USER|UID | list\n';

export const mmlimitMain: ProgramMain = instant((p) => {
  const [, cmd, who, size, graceArg] = p.argv;
  if (cmd === 'list' && p.argv.length === 2) {
    try {
      p.out(readText(p, '/proc/mm_limits'));
      return 0;
    } catch (e) {
      p.writeErr(`mmlimit: /proc/mm_limits: ${errText(e)}\n`);
      return 1;
    }
  }
  const setting = cmd === 'set' && (p.argv.length === 4 || p.argv.length === 5);
  const removing = cmd === 'remove' && p.argv.length === 3;
  if (!setting && !removing) {
    p.writeErr(USAGE);
    return 1;
  }
  const uid = resolveUser(who!);
  if (uid === undefined) {
    p.writeErr(`mmlimit: unknown user ${who}\n`);
    return 1;
  }
  const bytes = setting ? parseSize(size!) : 0;
  const grace = graceArg === undefined ? 0 : Number(graceArg);
  if (bytes === undefined || (setting && bytes === 0) || !Number.isInteger(grace) || grace < 0) {
    p.writeErr(USAGE);
    return 1;
  }
  let ret = syscall(p, NR_SET_MM_LIMIT, uid, bytes, grace);
  if (ret === -ENOSYS) {
    try {
      writeText(p, '/proc/mm_limits', `${uid} ${bytes} ${grace}\n`);
      ret = 0;
    } catch (e) {
      ret = -fsErrno(e);
    }
  }
  if (ret < 0) {
    p.writeErr(`mmlimit: set_mm_limit: ${strerror(-ret)}\n`);
    return 1;
  }
  return 0;
});
