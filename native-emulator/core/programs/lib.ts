import { FsError } from '../device-api.js';
import { SharedFile } from '../fs/open-file.js';
import type { Process } from '../kernel/process.js';
import { latin1Decode, latin1Encode } from '../util/bytes.js';
import { errnoOf, strerror } from '../util/errno.js';

/** Helpers programs share: syscalls, file access with the caller's credentials, number parsing. */

export const syscall = (p: Process, nr: number, ...args: number[]): number => p.kernel.syscalls.call(p.task, nr, args);

/** -errno of an FsError (so programs can print strerror). */
export const fsErrno = (e: unknown): number => {
  if (e instanceof FsError) return errnoOf(e.code);
  throw e;
};

export const errText = (e: unknown): string => strerror(fsErrno(e));

export function readText(p: Process, path: string): string {
  return latin1Decode(p.kernel.vfs.readFile(path, p.cwd, p.cred));
}

export function writeText(p: Process, path: string, text: string, append = false): void {
  const f = p.kernel.vfs.open(path, { write: true, truncate: !append, append }, 0o666, p.cred, p.cwd);
  try {
    f.write(latin1Encode(text));
  } finally {
    f.close();
  }
}

/** Opens path as a new fd of the process (for blocking reads with sys.read). */
export function openFd(p: Process, path: string): number {
  const file = p.kernel.vfs.open(path, { read: true }, 0, p.cred, p.cwd);
  let fd = 3;
  while (p.task.fds.has(fd)) fd++;
  p.task.fds.set(fd, new SharedFile(file));
  return fd;
}

/** 100000000, 100M, 64K, 1G → bytes; undefined when malformed. */
export function parseSize(s: string): number | undefined {
  const m = /^(\d+)([KkMmGg]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()] ?? 1;
  return Number(m[1]) * mult;
}

/** POSIX getopt for single-letter flags; withArg lists the letters that take a value. */
export function getopt(argv: readonly string[], withArg: string, flags: string): { opts: Map<string, string>; rest: string[]; bad?: string } {
  const opts = new Map<string, string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (withArg.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return { opts, rest: [], bad: c };
        opts.set(c, v);
        break;
      }
      if (!flags.includes(c)) return { opts, rest: [], bad: c };
      opts.set(c, '');
    }
  }
  return { opts, rest: argv.slice(i) };
}
