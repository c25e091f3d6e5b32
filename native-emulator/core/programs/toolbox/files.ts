import { FsError, type FileStat } from '../../device-api.js';
import { S_IFDIR, S_IFLNK, S_IFMT, SymlinkInode, isDir } from '../../fs/inode.js';
import { joinPath } from '../../fs/vfs.js';
import { sys, instant, type ProgramMain, type Process } from '../../kernel/process.js';
import { resolveUser, userName } from '../../userland/users.js';
import { lsDate } from '../../util/civil-time.js';
import { errText, getopt, openFd } from '../lib.js';

const fail = (p: Process, cmd: string, path: string, e: unknown): number => {
  p.writeErr(`${cmd}: ${path}: ${errText(e)}\n`);
  return 1;
};

function modeString(mode: number): string {
  const type = (mode & S_IFMT) === S_IFDIR ? 'd' : (mode & S_IFMT) === S_IFLNK ? 'l' : (mode & S_IFMT) === 0o020000 ? 'c' : '-';
  let s = type;
  for (const shift of [6, 3, 0]) {
    const bits = (mode >> shift) & 7;
    s += bits & 4 ? 'r' : '-';
    s += bits & 2 ? 'w' : '-';
    s += bits & 1 ? 'x' : '-';
  }
  return s;
}

function longLine(p: Process, name: string, st: FileStat, fullPath: string): string {
  const owner = userName(st.uid).padEnd(8);
  const group = userName(st.gid).padEnd(8);
  const date = lsDate(st.mtime);
  const type = st.mode & S_IFMT;
  if (type === S_IFLNK) {
    const r = p.kernel.vfs.tryResolve(fullPath, p.cwd, false, p.cred);
    const target = r?.inode instanceof SymlinkInode ? r.inode.target : '?';
    return `${modeString(st.mode)} ${owner} ${group}          ${date} ${name} -> ${target}`;
  }
  if (type === S_IFDIR) return `${modeString(st.mode)} ${owner} ${group}          ${date} ${name}`;
  if (type === 0o020000) return `${modeString(st.mode)} ${owner} ${group}   1,   3 ${date} ${name}`;
  return `${modeString(st.mode)} ${owner} ${group} ${String(st.size).padStart(8)} ${date} ${name}`;
}

export const ls: ProgramMain = instant((p) => {
  const { opts, rest, bad } = getopt(p.argv, '', 'lasdRFZ1');
  if (bad) {
    p.writeErr(`ls: Unknown option '-${bad}'. Aborting.\n`);
    return 1;
  }
  const long = opts.has('l');
  const all = opts.has('a');
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const lines: string[] = [];
  for (const target of targets) {
    let st: FileStat;
    try {
      st = p.kernel.vfs.stat(target, p.cwd, long, p.cred);
      if ((st.mode & S_IFMT) === S_IFLNK && target.endsWith('/')) st = p.kernel.vfs.stat(target, p.cwd, false, p.cred);
    } catch (e) {
      p.writeErr(`${target}: ${errText(e)}\n`);
      status = 1;
      continue;
    }
    const followed = (st.mode & S_IFMT) === S_IFLNK ? p.kernel.vfs.tryResolve(target, p.cwd, true, p.cred) : undefined;
    const listDir = !opts.has('d') && ((st.mode & S_IFMT) === S_IFDIR || (!long && followed && isDir(followed.inode)));
    if (!listDir) {
      lines.push(long ? longLine(p, target, st, target) : target);
      continue;
    }
    try {
      const entries = p.kernel.vfs.list(target, p.cwd, p.cred).filter((e) => all || !e.name.startsWith('.'));
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (targets.length > 1) lines.push(`${target}:`);
      for (const e of entries) lines.push(long ? longLine(p, e.name, e.stat, joinPath(target, e.name)) : e.name);
    } catch (e) {
      p.writeErr(`${target}: ${errText(e)}\n`);
      status = 1;
    }
  }
  if (lines.length) p.out(`${lines.join('\n')}\n`);
  return status;
});

/** cat: files or stdin; blocking files (/proc/kmsg, pipes) are read as they fill. */
export const cat: ProgramMain = function* (p) {
  const files = p.argv.slice(1).filter((a) => a !== '-u');
  let status = 0;
  for (const path of files.length ? files : ['-']) {
    let fd = 0;
    if (path !== '-') {
      try {
        const st = p.kernel.vfs.stat(path, p.cwd, false, p.cred);
        if ((st.mode & S_IFMT) === S_IFDIR) throw new FsError('EISDIR', 'Is a directory');
        fd = openFd(p, path);
      } catch (e) {
        status = fail(p, 'cat', path, e);
        continue;
      }
    }
    for (;;) {
      const data = yield* sys.read(fd);
      if (data === null) break;
      p.write(1, data);
    }
    if (fd !== 0) p.kernel.closeFd(p.task, fd);
  }
  return status;
};

export const mkdir: ProgramMain = instant((p) => {
  const { opts, rest } = getopt(p.argv, 'm', 'p');
  if (!rest.length) {
    p.writeErr('usage: mkdir [-p] <target> ...\n');
    return 1;
  }
  const perm = opts.has('m') ? parseInt(opts.get('m')!, 8) : 0o777;
  let status = 0;
  for (const dir of rest) {
    try {
      if (opts.has('p')) p.kernel.vfs.mkdirs(dir, perm, p.cred, p.cwd, p.cred);
      else p.kernel.vfs.mkdir(dir, perm, p.cred, p.cwd, p.cred);
    } catch (e) {
      status = fail(p, 'mkdir', dir, e);
    }
  }
  return status;
});

function removeTree(p: Process, path: string): void {
  const r = p.kernel.vfs.resolve(path, p.cwd, false, p.cred);
  if (isDir(r.inode)) {
    for (const e of p.kernel.vfs.list(path, p.cwd, p.cred)) removeTree(p, joinPath(path, e.name));
    p.kernel.vfs.rmdir(path, p.cwd, p.cred);
  } else p.kernel.vfs.unlink(path, p.cwd, p.cred);
}

export const rm: ProgramMain = instant((p) => {
  const { opts, rest, bad } = getopt(p.argv, '', 'rRfdv');
  if (bad || !rest.length) {
    p.writeErr('usage: rm [-rR] [-f] <target> ...\n');
    return 1;
  }
  const recursive = opts.has('r') || opts.has('R');
  let status = 0;
  for (const path of rest) {
    try {
      const r = p.kernel.vfs.resolve(path, p.cwd, false, p.cred);
      if (isDir(r.inode) && !recursive) throw new FsError('EISDIR', 'Is a directory');
      removeTree(p, path);
    } catch (e) {
      if (opts.has('f') && e instanceof FsError && e.code === 'ENOENT') continue;
      status = fail(p, 'rm', path, e);
    }
  }
  return status;
});

export const rmdir: ProgramMain = instant((p) => {
  let status = 0;
  for (const path of p.argv.slice(1)) {
    try {
      p.kernel.vfs.rmdir(path, p.cwd, p.cred);
    } catch (e) {
      status = fail(p, 'rmdir', path, e);
    }
  }
  return status;
});

function copyInto(p: Process, src: string, dst: string, move: boolean): void {
  const vfs = p.kernel.vfs;
  const target = vfs.tryResolve(dst, p.cwd, true, p.cred);
  const dest = target && isDir(target.inode) ? joinPath(dst, src.slice(src.replace(/\/+$/, '').lastIndexOf('/') + 1)) : dst;
  if (move) {
    vfs.rename(src, dest, p.cwd, p.cred);
    return;
  }
  const srcInode = vfs.resolve(src, p.cwd, true, p.cred).inode;
  if (isDir(srcInode)) throw new FsError('EISDIR', 'Is a directory');
  const data = vfs.readFile(src, p.cwd, p.cred);
  vfs.writeFile(dest, [data.slice()], srcInode.perm, p.cred, p.cwd, p.cred);
}

const copyLike = (name: string, move: boolean): ProgramMain =>
  instant((p) => {
    const args = p.argv.slice(1).filter((a) => !/^-[fpriv]+$/.test(a));
    if (args.length < 2) {
      p.writeErr(`usage: ${name} <source...> <destination>\n`);
      return 1;
    }
    const dst = args.pop()!;
    let status = 0;
    for (const src of args) {
      try {
        copyInto(p, src, dst, move);
      } catch (e) {
        status = fail(p, name, src, e);
      }
    }
    return status;
  });

export const cp = copyLike('cp', false);
export const mv = copyLike('mv', true);

export const chmod: ProgramMain = instant((p) => {
  const args = p.argv.slice(1).filter((a) => a !== '-R');
  if (args.length < 2) {
    p.writeErr('Usage: chmod [OPTION] <MODE> <FILE>\n');
    return 10;
  }
  const [mode, ...files] = args;
  if (!/^[0-7]{1,4}$/.test(mode!)) {
    p.writeErr('Bad mode\n');
    return 10;
  }
  let status = 0;
  for (const f of files) {
    try {
      const { inode } = p.kernel.vfs.resolve(f, p.cwd, true, p.cred);
      if (p.cred.uid !== 0 && p.cred.uid !== inode.uid) throw new FsError('EPERM', 'Operation not permitted');
      if (inode.readOnly) throw new FsError('EROFS', 'Read-only file system');
      inode.perm = parseInt(mode!, 8);
      inode.ctime = p.kernel.wallSeconds();
    } catch (e) {
      p.writeErr(`Unable to chmod ${f}: ${errText(e)}\n`);
      status = 10;
    }
  }
  return status;
});

export const chown: ProgramMain = instant((p) => {
  const args = p.argv.slice(1).filter((a) => a !== '-R');
  if (args.length < 2) {
    p.writeErr('Usage: chown <USER>[:GROUP] <FILE1> [FILE2] ...\n');
    return 10;
  }
  const [spec, ...files] = args;
  const [u, g] = spec!.split(/[:.]/);
  const uid = resolveUser(u!);
  const gid = g === undefined ? undefined : resolveUser(g);
  if (uid === undefined || (g !== undefined && gid === undefined)) {
    p.writeErr(`No such ${uid === undefined ? 'user' : 'group'} '${uid === undefined ? u : g}'\n`);
    return 10;
  }
  let status = 0;
  for (const f of files) {
    try {
      if (p.cred.uid !== 0) throw new FsError('EPERM', 'Operation not permitted');
      const { inode } = p.kernel.vfs.resolve(f, p.cwd, true, p.cred);
      if (inode.readOnly) throw new FsError('EROFS', 'Read-only file system');
      inode.uid = uid;
      if (gid !== undefined) inode.gid = gid;
    } catch (e) {
      p.writeErr(`Unable to chown ${f}: ${errText(e)}\n`);
      status = 10;
    }
  }
  return status;
});

export const touch: ProgramMain = instant((p) => {
  let status = 0;
  for (const f of p.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    try {
      const r = p.kernel.vfs.tryResolve(f, p.cwd, true, p.cred);
      if (r) r.inode.mtime = p.kernel.wallSeconds();
      else p.kernel.vfs.open(f, { write: true, create: true }, 0o666, p.cred, p.cwd).close();
    } catch (e) {
      status = fail(p, 'touch', f, e);
    }
  }
  return status;
});

export const ln: ProgramMain = instant((p) => {
  const { opts, rest } = getopt(p.argv, '', 'sf');
  if (!opts.has('s') || rest.length !== 2) {
    p.writeErr('Usage: ln -s <target> <name>\n');
    return 1;
  }
  try {
    p.kernel.vfs.symlink(rest[0]!, rest[1]!, p.cred, p.cwd);
    return 0;
  } catch (e) {
    return fail(p, 'ln', rest[1]!, e);
  }
});

