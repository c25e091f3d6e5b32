import type { OpenFile } from './open-file.js';
import { concatBytes } from '../util/bytes.js';

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

let nextIno = 1;
export const allocIno = (): number => nextIno++;

export interface Owner {
  uid: number;
  gid: number;
}

abstract class InodeBase {
  readonly ino = allocIno();
  uid: number;
  gid: number;
  mtime: number;
  atime: number;
  ctime: number;
  /** Lives on a read-only mount (/system). */
  readOnly = false;
  abstract readonly type: number;

  constructor(public perm: number, owner: Owner, time: number) {
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.mtime = this.atime = this.ctime = time;
  }

  get mode(): number {
    return this.type | (this.perm & 0o7777);
  }

  size(): number {
    return 0;
  }
}

export class DirInode extends InodeBase {
  readonly type = S_IFDIR;
  readonly entries = new Map<string, Inode>();
  lookup(name: string): Inode | undefined {
    return this.entries.get(name);
  }
  names(): string[] {
    return [...this.entries.keys()];
  }
  override size(): number {
    return 4096;
  }
}

/** File data as a chunk list: pushes of 50+ MiB never become one string or one copy until read. */
export class FileInode extends InodeBase {
  readonly type = S_IFREG;
  chunks: Uint8Array[] = [];
  private length = 0;

  override size(): number {
    return this.length;
  }
  data(): Uint8Array {
    if (this.chunks.length !== 1) this.chunks = [concatBytes(this.chunks)];
    return this.chunks[0]!;
  }
  setChunks(chunks: Uint8Array[]): void {
    this.chunks = chunks;
    this.length = chunks.reduce((n, c) => n + c.length, 0);
  }
  append(data: Uint8Array): void {
    this.chunks.push(data.slice());
    this.length += data.length;
  }
  truncate(): void {
    this.setChunks([]);
  }
}

export class SymlinkInode extends InodeBase {
  readonly type = S_IFLNK;
  constructor(readonly target: string, owner: Owner, time: number) {
    super(0o777, owner, time);
  }
  override size(): number {
    return this.target.length;
  }
}

/** A character device (/dev/null, /dev/kmsg, ...). */
export class CharDevInode extends InodeBase {
  readonly type = S_IFCHR;
  constructor(perm: number, owner: Owner, time: number, readonly openFile: (write: boolean) => OpenFile) {
    super(perm, owner, time);
  }
}

/** A /proc file: content generated at open, optional write handler, optional streaming open (/proc/kmsg). */
export class GeneratedInode extends InodeBase {
  readonly type = S_IFREG;
  constructor(
    perm: number,
    owner: Owner,
    time: number,
    readonly generate: () => Uint8Array,
    readonly writeHandler?: (data: Uint8Array) => void,
    readonly openStream?: () => OpenFile,
  ) {
    super(perm, owner, time);
  }
}

/** A directory whose entries are computed (/proc, /proc/<pid>). */
export class DynamicDirInode extends InodeBase {
  readonly type = S_IFDIR;
  constructor(
    perm: number,
    owner: Owner,
    time: number,
    readonly names: () => string[],
    readonly lookup: (name: string) => Inode | undefined,
  ) {
    super(perm, owner, time);
  }
}

export type Inode = DirInode | FileInode | SymlinkInode | CharDevInode | GeneratedInode | DynamicDirInode;
export type DirLike = DirInode | DynamicDirInode;

export const isDir = (i: Inode): i is DirLike => i.type === S_IFDIR;
