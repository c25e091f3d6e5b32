import { basename } from '../../kernel/kernel.js';
import type { ProgramMain } from '../../kernel/process.js';
import { cat, chmod, chown, cp, ln, ls, mkdir, mv, rm, rmdir, touch } from './files.js';
import { id, kill, ps, sleep, uptime } from './procs.js';
import { date, dmesg, getprop, grep, head, insmod, lsmod, printenv, reboot, rmmod, setprop, tail, uname } from './system.js';

export const TOOLS: Readonly<Record<string, ProgramMain>> = {
  cat, chmod, chown, cp, date, dmesg, getprop, grep, head, id, insmod, kill, ln, ls, lsmod, mkdir, mv, printenv, ps,
  reboot, rm, rmdir, rmmod, setprop, sleep, tail, touch, uname, uptime,
};

/** /system/bin/toolbox: one binary, dispatched on the name it was run as. */
export const toolboxMain: ProgramMain = function* (p) {
  let name = basename(p.argv[0] ?? 'toolbox');
  if (name === 'toolbox') {
    p.argv = p.argv.slice(1);
    name = p.argv[0] ?? '';
    if (!name) {
      p.out(`Toolbox!\n${Object.keys(TOOLS).join(' ')}\n`);
      return 0;
    }
  }
  const tool = TOOLS[name];
  if (!tool) {
    p.writeErr(`${name}: no such tool\n`);
    return 127;
  }
  return yield* tool(p);
};
