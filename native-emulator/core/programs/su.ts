import type { ProgramMain } from '../kernel/process.js';
import { shMain } from '../shell/sh.js';
import { AID_ROOT, AID_SHELL, resolveUser } from '../userland/users.js';

/** The emulator's su: `su [UID|NAME] [-c CMD]` or `su [UID] COMMAND [ARGS...]`; root and shell only. */
export const suMain: ProgramMain = function* (p) {
  const caller = p.task.uid;
  if (caller !== AID_ROOT && caller !== AID_SHELL) {
    p.writeErr(`su: uid ${caller} not allowed to su\n`);
    return 1;
  }
  const args = p.argv.slice(1);
  let uid = AID_ROOT;
  let gid = AID_ROOT;
  if (args[0] !== undefined && args[0] !== '-c' && args[0] !== '-') {
    const [u, g] = args[0].split(',');
    const resolved = resolveUser(u!);
    if (resolved !== undefined) {
      uid = resolved;
      gid = g !== undefined ? (resolveUser(g) ?? resolved) : resolved;
      args.shift();
    }
  }
  if (args[0] === '-') args.shift();
  p.task.uid = uid;
  p.task.gid = gid;
  if (args[0] === '-c') p.argv = ['sh', '-c', args.slice(1).join(' ')];
  else if (args.length > 0) p.argv = ['sh', '-c', args.join(' ')];
  else p.argv = ['sh'];
  return yield* shMain(p);
};
