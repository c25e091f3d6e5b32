import { FsError } from '../device-api.js';
import { isDir } from '../fs/inode.js';
import { sys, type Blocker } from '../kernel/process.js';
import { statusToShellCode } from '../kernel/signals.js';
import { errnoOf, strerror } from '../util/errno.js';
import type { Shell } from './interpreter.js';

export class ExitRequest {
  constructor(readonly code: number) {}
}

type Builtin = (sh: Shell, argv: string[]) => Generator<Blocker, number, unknown>;

const simple = (fn: (sh: Shell, argv: string[]) => number): Builtin =>
  function* (sh, argv) {
    return fn(sh, argv);
  };

function unescape(s: string): { text: string; stop: boolean } {
  let stop = false;
  const text = s.replace(/\\([\\abcefnrtv0]|0[0-7]{0,3})/g, (_, c: string) => {
    if (c === 'c') {
      stop = true;
      return '';
    }
    if (c.startsWith('0')) return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
    return ({ '\\': '\\', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[c] ?? c;
  });
  return { text, stop };
}

/** The mksh builtins that matter on the emulator; everything else is a program in /system/bin. */
export const BUILTINS: Record<string, Builtin> = {
  ':': simple(() => 0),
  true: simple(() => 0),
  false: simple(() => 1),
  echo: simple((sh, argv) => {
    let i = 1;
    let newline = true;
    let escapes = true;
    for (; i < argv.length && /^-[neE]+$/.test(argv[i]!); i++) {
      if (argv[i]!.includes('n')) newline = false;
      if (argv[i]!.includes('E')) escapes = false;
    }
    let out = argv.slice(i).join(' ');
    if (escapes) {
      const u = unescape(out);
      out = u.text;
      if (u.stop) newline = false;
    }
    const errno = sh.p.write(1, newline ? `${out}\n` : out);
    if (errno) {
      sh.error(`echo: write error: ${strerror(errno)}`);
      return 1;
    }
    return 0;
  }),
  cd: simple((sh, argv) => {
    const target = argv[1] ?? sh.vars.get('HOME') ?? '/';
    const dest = target === '-' ? (sh.vars.get('OLDPWD') ?? sh.p.task.cwd) : target;
    try {
      const r = sh.p.kernel.vfs.resolve(dest, sh.p.task.cwd, true, sh.p.cred);
      if (!isDir(r.inode)) throw new FsError('ENOTDIR', 'Not a directory');
      sh.vars.set('OLDPWD', sh.p.task.cwd);
      sh.p.task.cwd = r.path;
      sh.vars.set('PWD', r.path);
      return 0;
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      sh.error(`cd: ${dest}: ${strerror(errnoOf(e.code))}`);
      return 2;
    }
  }),
  pwd: simple((sh) => {
    sh.p.out(`${sh.p.task.cwd}\n`);
    return 0;
  }),
  exit: simple((sh, argv) => {
    throw new ExitRequest(argv[1] === undefined ? sh.status : Number(argv[1]) & 0xff);
  }),
  export: simple((sh, argv) => {
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (eq >= 0) sh.vars.set(name, a.slice(eq + 1));
      sh.exported.add(name);
    }
    if (argv.length === 1) for (const n of [...sh.exported].sort()) sh.p.out(`export ${n}=${sh.vars.get(n) ?? ''}\n`);
    return 0;
  }),
  unset: simple((sh, argv) => {
    for (const n of argv.slice(1)) {
      sh.vars.delete(n);
      sh.exported.delete(n);
    }
    return 0;
  }),
  set: simple(() => 0),
  wait: function* (sh, argv) {
    let status = 0;
    if (argv[1]) {
      const r = yield* sys.wait(Number(argv[1]));
      return r ? statusToShellCode(r.status) : 127;
    }
    for (const child of [...sh.p.task.children]) {
      child.autoReap = false;
      if (child.zombie) continue;
      const r = yield* sys.wait(child.pid);
      if (r) status = statusToShellCode(r.status);
    }
    return status;
  },
};
