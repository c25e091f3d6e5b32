/**
 * The seam between the simulated device (kernel, VFS, shell) and whatever exposes it
 * (the ADB daemon in native-emulator/core/adb, tests). Pure types: no Node, no DOM.
 */

export type Errno = 'ENOENT' | 'EACCES' | 'EPERM' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EINVAL' | 'ENOSPC' | 'EROFS' | 'EIO';

export class FsError extends Error {
  constructor(readonly code: Errno, message: string) {
    super(message);
    this.name = 'FsError';
  }
}

export interface FileStat {
  /** st_mode including the file type bits (S_IFREG 0o100000, S_IFDIR 0o040000, S_IFLNK 0o120000, S_IFCHR 0o020000). */
  mode: number;
  size: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (device wall clock). */
  mtime: number;
  atime: number;
  ctime: number;
  ino: number;
  nlink: number;
  dev: number;
}

export interface DirEntry {
  name: string;
  stat: FileStat;
}

/** A file being written by a push; nothing is visible at `path` until commit(). */
export interface FileWriter {
  write(chunk: Uint8Array): void;
  /** Makes the file appear atomically with this mtime (seconds). Throws FsError. */
  commit(mtime: number): void;
  /** Drops everything written; leaves no file behind. */
  abort(): void;
}

export interface DeviceFs {
  /** stat (follows links) or lstat; throws FsError(ENOENT) when missing. */
  stat(path: string, opts?: { lstat?: boolean }): FileStat;
  list(path: string): DirEntry[];
  readFile(path: string): Uint8Array;
  /** Creates missing parent directories itself (as adbd does). Throws FsError on a bad target. */
  createWriter(path: string, mode: number): FileWriter;
}

export interface ShellIo {
  stdout(data: Uint8Array): void;
  stderr(data: Uint8Array): void;
  /** Called once, after the last stdout/stderr byte. */
  exit(code: number): void;
}

export interface ShellHandle {
  writeStdin(data: Uint8Array): void;
  closeStdin(): void;
  /** The host closed the stream: hang up the session (SIGHUP to its processes); no more io callbacks. */
  hangup(): void;
}

export interface ShellRequest {
  /** null: an interactive shell reading commands from stdin. */
  command: string | null;
  /** Environment additions from the client (e.g. TERM). */
  env?: Record<string, string>;
  /** pty: echo and prompt as an interactive terminal would. */
  pty?: boolean;
}

export type DeviceState = 'booting' | 'device' | 'offline';

export interface DeviceApi {
  readonly state: DeviceState;
  /** Build properties for the CNXN banner and getprop (ro.product.name, ro.product.model, ro.product.device, ...). */
  properties(): Readonly<Record<string, string>>;
  readonly fs: DeviceFs;
  spawnShell(request: ShellRequest, io: ShellIo): ShellHandle;
  /** Simulated reboot: state goes offline, then booting, then device; /data is kept. */
  reboot(mode?: string): void;
  /** The emulator's adbd already runs as root: root: answers "adbd is already running as root". */
  readonly runsAsRoot: boolean;
  onStateChange(listener: (state: DeviceState) => void): () => void;
}
