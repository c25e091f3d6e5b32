import { FsError } from '../device-api.js';
import { FileInode, isDir } from '../fs/inode.js';
import type { Cred } from '../fs/vfs.js';
import { elfBits, isElf } from '../modules/elf.js';
import { PROGRAM_MARKER } from '../payload/elf-writer.js';
import { indexOfBytes, latin1Decode, latin1Encode } from '../util/bytes.js';
import { EACCES, ENOENT, ENOEXEC, strerror } from '../util/errno.js';
import type { ImageSize, Kernel } from './kernel.js';
import type { ProgramMain } from './process.js';

export interface ProgramEntry {
  main: ProgramMain;
  image?: ImageSize;
}

export type ExecTarget =
  | { ok: true; main: ProgramMain; argv: string[]; image?: ImageSize; comm: string }
  | { ok: false; errno: number; message: string };

const MARKER = latin1Encode(PROGRAM_MARKER);
const SHELLS = new Set(['/system/bin/sh', '/system/bin/mksh', '/bin/sh']);

/** The program name a file's bytes carry after the marker, if any. */
export function programMarker(data: Uint8Array): string | undefined {
  const at = indexOfBytes(data, MARKER);
  if (at < 0) return undefined;
  let end = at + MARKER.length;
  while (end < data.length && /[A-Za-z0-9_-]/.test(String.fromCharCode(data[end]!))) end++;
  return latin1Decode(data.subarray(at + MARKER.length, end)) || undefined;
}

/**
 * execve(path, argv): what the simulator will run for this file. Files carrying the marker run the simulator's
 * implementation; `#!/system/bin/sh` and plain text run as shell scripts; any other ELF fails as on the device.
 */
export function resolveExecutable(k: Kernel, path: string, argv: string[], cwd: string, cred: Cred): ExecTarget {
  let inode;
  try {
    inode = k.vfs.resolve(path, cwd, true, cred).inode;
  } catch (e) {
    if (e instanceof FsError) return { ok: false, errno: e.code === 'EACCES' ? EACCES : ENOENT, message: strerror(e.code === 'EACCES' ? EACCES : ENOENT) };
    throw e;
  }
  if (isDir(inode) || !(inode instanceof FileInode)) return { ok: false, errno: EACCES, message: strerror(EACCES) };
  const shift = cred.uid === inode.uid ? 6 : cred.gid === inode.gid ? 3 : 0;
  const executable = cred.uid === 0 ? (inode.perm & 0o111) !== 0 : ((inode.perm >> shift) & 1) === 1;
  if (!executable) return { ok: false, errno: EACCES, message: strerror(EACCES) };

  const data = inode.data();
  const name = programMarker(data);
  const comm = path.slice(path.lastIndexOf('/') + 1);
  if (name) {
    const entry = k.programs.get(name);
    if (!entry) return { ok: false, errno: ENOEXEC, message: `not executable: unknown program ${name}` };
    return { ok: true, main: entry.main, argv, image: entry.image, comm };
  }
  const sh = k.programs.get('sh')!;
  if (data[0] === 0x23 && data[1] === 0x21) {
    const first = latin1Decode(data.subarray(0, Math.min(data.length, 256))).split('\n')[0]!.slice(2).trim();
    const interp = first.split(/\s+/)[0] ?? '';
    if (!SHELLS.has(interp)) return { ok: false, errno: ENOENT, message: strerror(ENOENT) };
    return { ok: true, main: sh.main, argv: ['sh', path, ...argv.slice(1)], image: sh.image, comm };
  }
  if (isElf(data)) return { ok: false, errno: ENOEXEC, message: `not executable: ${elfBits(data)}-bit ELF file` };
  return { ok: true, main: sh.main, argv: ['sh', path, ...argv.slice(1)], image: sh.image, comm };
}
