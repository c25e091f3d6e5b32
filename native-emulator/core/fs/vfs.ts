import { FsError, type DirEntry, type FileStat } from '../device-api.js';
import { BufferFile, type OpenFile } from './open-file.js';
import {
  CharDevInode, DirInode, DynamicDirInode, FileInode, GeneratedInode, SymlinkInode, isDir,
  type DirLike, type Inode, type Owner,
} from './inode.js';

export interface Cred {
  uid: number;
  gid: number;
}

export const ROOT: Cred = { uid: 0, gid: 0 };

export interface OpenFlags {
  read?: boolean;
  write?: boolean;
  create?: boolean;
  truncate?: boolean;
  append?: boolean;
  exclusive?: boolean;
}

interface Resolved {
  inode: Inode;
  path: string;
}

const R = 4;
const W = 2;
const X = 1;
const MAX_LINKS = 40;
/** mksh's default umask on the emulator. */
const UMASK = 0o022;

export function joinPath(cwd: string, path: string): string {
  return path.startsWith('/') ? path : cwd === '/' ? `/${path}` : `${cwd}/${path}`;
}

/** An in-memory file system with Linux semantics: modes, owners, symlinks, read-only mounts. */
export class Vfs {
  constructor(readonly root: DirInode, readonly nowSeconds: () => number) {}

  private allowed(inode: Inode, cred: Cred, want: number): boolean {
    if (cred.uid === 0) return want !== X || isDir(inode) || (inode.perm & 0o111) !== 0;
    const shift = cred.uid === inode.uid ? 6 : cred.gid === inode.gid ? 3 : 0;
    return ((inode.perm >> shift) & want) === want;
  }

  private check(inode: Inode, cred: Cred, want: number, path: string): void {
    if (!this.allowed(inode, cred, want)) throw new FsError('EACCES', `${path}: Permission denied`);
  }

  /** Walks path; the last component's symlink is followed when follow. */
  resolve(path: string, cwd = '/', follow = true, cred: Cred = ROOT): Resolved {
    let links = 0;
    const walk = (p: string, base: string[], followLast: boolean): { stack: DirLike[]; names: string[]; inode: Inode } => {
      const parts = p.split('/').filter((s) => s.length > 0 && s !== '.');
      let names = p.startsWith('/') ? [] : [...base];
      let stack: DirLike[] = [this.root];
      for (const n of names) {
        const next = stack[stack.length - 1]!.lookup(n);
        if (!next || !isDir(next)) throw new FsError('ENOENT', `${p}: No such file or directory`);
        stack.push(next);
      }
      let inode: Inode = stack[stack.length - 1]!;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const dir = stack[stack.length - 1]!;
        if (part === '..') {
          if (stack.length > 1) {
            stack.pop();
            names.pop();
          }
          inode = stack[stack.length - 1]!;
          continue;
        }
        this.check(dir, cred, X, p);
        const child = dir.lookup(part);
        if (!child) throw new FsError('ENOENT', `${p}: No such file or directory`);
        const last = i === parts.length - 1;
        if (child instanceof SymlinkInode && (!last || followLast)) {
          if (++links > MAX_LINKS) throw new FsError('EINVAL', `${p}: Too many symbolic links`);
          const target = walk(child.target, names, true);
          if (!last && !isDir(target.inode)) throw new FsError('ENOTDIR', `${p}: Not a directory`);
          if (isDir(target.inode)) {
            stack = target.stack;
            names = target.names;
          }
          inode = target.inode;
          if (last) return { stack, names, inode };
          continue;
        }
        if (!last && !isDir(child)) throw new FsError('ENOTDIR', `${p}: Not a directory`);
        inode = child;
        if (isDir(child)) {
          stack.push(child);
          names.push(part);
        } else if (last) {
          return { stack, names: [...names, part], inode };
        }
      }
      return { stack, names, inode };
    };
    const cwdNames = cwd.split('/').filter((s) => s.length > 0);
    const r = walk(path, cwdNames, follow);
    return { inode: r.inode, path: `/${r.names.join('/')}` };
  }

  tryResolve(path: string, cwd = '/', follow = true, cred: Cred = ROOT): Resolved | undefined {
    try {
      return this.resolve(path, cwd, follow, cred);
    } catch (e) {
      if (e instanceof FsError) return undefined;
      throw e;
    }
  }

  /** The directory that will hold path's last component, and that component. */
  parentOf(path: string, cwd = '/', cred: Cred = ROOT): { dir: DirLike; name: string; dirPath: string } {
    const abs = joinPath(cwd, path).replace(/\/+$/, '');
    const slash = abs.lastIndexOf('/');
    const name = abs.slice(slash + 1);
    const dirPath = abs.slice(0, slash) || '/';
    const { inode, path: canon } = this.resolve(dirPath, '/', true, cred);
    if (!isDir(inode)) throw new FsError('ENOTDIR', `${path}: Not a directory`);
    if (name === '' || name === '.' || name === '..') throw new FsError('EINVAL', `${path}: Invalid argument`);
    return { dir: inode, name, dirPath: canon };
  }

  private writableDir(dir: DirLike, cred: Cred, path: string): DirInode {
    if (!(dir instanceof DirInode)) throw new FsError('EACCES', `${path}: Permission denied`);
    if (dir.readOnly) throw new FsError('EROFS', `${path}: Read-only file system`);
    this.check(dir, cred, W | X, path);
    return dir;
  }

  statOf(inode: Inode): FileStat {
    return {
      mode: inode.mode,
      size: inode.size(),
      uid: inode.uid,
      gid: inode.gid,
      mtime: inode.mtime,
      atime: inode.atime,
      ctime: inode.ctime,
      ino: inode.ino,
      nlink: isDir(inode) ? 2 : 1,
      dev: inode instanceof GeneratedInode || inode instanceof DynamicDirInode ? 3 : 0xb301,
    };
  }

  stat(path: string, cwd = '/', lstat = false, cred: Cred = ROOT): FileStat {
    return this.statOf(this.resolve(path, cwd, !lstat, cred).inode);
  }

  list(path: string, cwd = '/', cred: Cred = ROOT): DirEntry[] {
    const { inode } = this.resolve(path, cwd, true, cred);
    if (!isDir(inode)) throw new FsError('ENOTDIR', `${path}: Not a directory`);
    this.check(inode, cred, R, path);
    const out: DirEntry[] = [];
    for (const name of inode.names()) {
      const child = inode.lookup(name);
      if (child) out.push({ name, stat: this.statOf(child) });
    }
    return out;
  }

  mkdir(path: string, perm: number, owner: Owner, cwd = '/', cred: Cred = ROOT): DirInode {
    const { dir, name } = this.parentOf(path, cwd, cred);
    if (dir.lookup(name)) throw new FsError('EEXIST', `${path}: File exists`);
    const d = this.writableDir(dir, cred, path);
    const child = new DirInode(perm & ~UMASK, owner, this.nowSeconds());
    d.entries.set(name, child);
    d.mtime = this.nowSeconds();
    return child;
  }

  mkdirs(path: string, perm: number, owner: Owner, cwd = '/', cred: Cred = ROOT): void {
    const abs = joinPath(cwd, path);
    let p = '';
    for (const part of abs.split('/').filter(Boolean)) {
      p += `/${part}`;
      const r = this.tryResolve(p, '/', true, cred);
      if (!r) this.mkdir(p, perm, owner, '/', cred);
      else if (!isDir(r.inode)) throw new FsError('ENOTDIR', `${p}: Not a directory`);
    }
  }

  symlink(target: string, path: string, owner: Owner, cwd = '/'): void {
    const { dir, name } = this.parentOf(path, cwd);
    if (dir.lookup(name)) throw new FsError('EEXIST', `${path}: File exists`);
    (dir as DirInode).entries.set(name, new SymlinkInode(target, owner, this.nowSeconds()));
  }

  open(path: string, flags: OpenFlags, perm: number, cred: Cred, cwd = '/'): OpenFile {
    let resolved = this.tryResolve(path, cwd, true, cred);
    if (!resolved) {
      if (!flags.create) this.resolve(path, cwd, true, cred);
      const { dir, name } = this.parentOf(path, cwd, cred);
      const d = this.writableDir(dir, cred, path);
      const file = new FileInode(perm & ~UMASK, cred, this.nowSeconds());
      d.entries.set(name, file);
      resolved = { inode: file, path };
    } else if (flags.create && flags.exclusive) {
      throw new FsError('EEXIST', `${path}: File exists`);
    }
    const inode = resolved.inode;
    if (isDir(inode)) {
      if (flags.write) throw new FsError('EISDIR', `${path}: Is a directory`);
      throw new FsError('EISDIR', `${path}: Is a directory`);
    }
    if (flags.read) this.check(inode, cred, R, path);
    if (flags.write) {
      if (inode.readOnly) throw new FsError('EROFS', `${path}: Read-only file system`);
      this.check(inode, cred, W, path);
    }
    if (inode instanceof CharDevInode) return inode.openFile(!!flags.write);
    if (inode instanceof GeneratedInode) {
      if (inode.openStream && flags.read) return inode.openStream();
      const handler = inode.writeHandler;
      if (flags.write && !handler) throw new FsError('EACCES', `${path}: Permission denied`);
      return new BufferFile(flags.read ? inode.generate() : new Uint8Array(0), handler);
    }
    if (inode instanceof FileInode) {
      if (flags.write && flags.truncate) inode.truncate();
      const now = this.nowSeconds();
      return new BufferFile(flags.read ? inode.data() : new Uint8Array(0), (data) => {
        inode.append(data);
        inode.mtime = now;
      });
    }
    throw new FsError('EINVAL', `${path}: Invalid argument`);
  }

  readFile(path: string, cwd = '/', cred: Cred = ROOT): Uint8Array {
    const { inode } = this.resolve(path, cwd, true, cred);
    if (isDir(inode)) throw new FsError('EISDIR', `${path}: Is a directory`);
    this.check(inode, cred, R, path);
    if (inode instanceof FileInode) return inode.data();
    if (inode instanceof GeneratedInode) return inode.generate();
    if (inode instanceof CharDevInode) return new Uint8Array(0);
    throw new FsError('EINVAL', `${path}: Invalid argument`);
  }

  /** Creates or replaces a regular file with these chunks (no copy). */
  writeFile(path: string, chunks: Uint8Array[], perm: number, owner: Owner, cwd = '/', cred: Cred = ROOT): FileInode {
    const { dir, name } = this.parentOf(path, cwd, cred);
    const existing = dir.lookup(name);
    if (existing && isDir(existing)) throw new FsError('EISDIR', `${path}: Is a directory`);
    const d = this.writableDir(dir, cred, path);
    const file = new FileInode(perm, owner, this.nowSeconds());
    file.setChunks(chunks);
    d.entries.set(name, file);
    d.mtime = this.nowSeconds();
    return file;
  }

  unlink(path: string, cwd = '/', cred: Cred = ROOT): void {
    const { dir, name } = this.parentOf(path, cwd, cred);
    const child = dir.lookup(name);
    if (!child) throw new FsError('ENOENT', `${path}: No such file or directory`);
    if (isDir(child)) throw new FsError('EISDIR', `${path}: Is a directory`);
    this.writableDir(dir, cred, path).entries.delete(name);
  }

  rmdir(path: string, cwd = '/', cred: Cred = ROOT): void {
    const { dir, name } = this.parentOf(path, cwd, cred);
    const child = dir.lookup(name);
    if (!child) throw new FsError('ENOENT', `${path}: No such file or directory`);
    if (!isDir(child)) throw new FsError('ENOTDIR', `${path}: Not a directory`);
    if (child.names().length > 0) throw new FsError('ENOTEMPTY', `${path}: Directory not empty`);
    const d = this.writableDir(dir, cred, path);
    if (!(child instanceof DirInode)) throw new FsError('EACCES', `${path}: Permission denied`);
    d.entries.delete(name);
  }

  rename(from: string, to: string, cwd = '/', cred: Cred = ROOT): void {
    const src = this.parentOf(from, cwd, cred);
    const inode = src.dir.lookup(src.name);
    if (!inode) throw new FsError('ENOENT', `${from}: No such file or directory`);
    let dst = this.parentOf(to, cwd, cred);
    const existing = dst.dir.lookup(dst.name);
    if (existing && isDir(existing)) dst = this.parentOf(`${joinPath(cwd, to)}/${src.name}`, '/', cred);
    const srcDir = this.writableDir(src.dir, cred, from);
    const dstDir = this.writableDir(dst.dir, cred, to);
    srcDir.entries.delete(src.name);
    dstDir.entries.set(dst.name, inode);
  }

  /** Puts an inode at path (used to build /proc, /dev and the boot image). */
  attach(path: string, inode: Inode): void {
    const { dir, name } = this.parentOf(path);
    (dir as DirInode).entries.set(name, inode);
  }
}
