import { CharDevInode, DirInode, FileInode, SymlinkInode, type Inode } from '../fs/inode.js';
import { NullFile, type OpenFile } from '../fs/open-file.js';
import { createProcFs, devKmsg } from '../fs/procfs.js';
import type { Kernel } from '../kernel/kernel.js';
import { buildProgramElf } from '../payload/elf-writer.js';
import { TOOLS } from '../programs/toolbox/index.js';
import { latin1Encode } from '../util/bytes.js';
import { AID_ROOT, AID_SHELL, AID_SYSTEM } from './users.js';

const ROOT = { uid: AID_ROOT, gid: AID_ROOT };
const SYSTEM = { uid: AID_SYSTEM, gid: AID_SYSTEM };
const SHELL = { uid: AID_SHELL, gid: AID_SHELL };

/** /data on first boot; later boots keep whatever the previous ones left. */
export function createDataPartition(time: number): DirInode {
  const data = new DirInode(0o771, SYSTEM, time);
  const dir = (parent: DirInode, name: string, perm: number, owner: { uid: number; gid: number }) => {
    const d = new DirInode(perm, owner, time);
    parent.entries.set(name, d);
    return d;
  };
  const misc = dir(data, 'misc', 0o1771, { uid: AID_SYSTEM, gid: 9998 });
  dir(misc, 'adb', 0o2750, { uid: AID_SYSTEM, gid: 2000 });
  const local = dir(data, 'local', 0o751, SHELL);
  dir(local, 'tmp', 0o771, SHELL);
  for (const name of ['app', 'data', 'dalvik-cache', 'system', 'app-lib', 'user']) dir(data, name, 0o771, SYSTEM);
  dir(data, 'property', 0o700, ROOT);
  dir(data, 'anr', 0o775, SYSTEM);
  dir(data, 'tombstones', 0o771, SYSTEM);
  return data;
}

const dev = (kernel: Kernel, time: number, perm: number, open: (write: boolean) => OpenFile) => new CharDevInode(perm, ROOT, time, open);

const zeroFile = (): OpenFile => ({ read: (max) => new Uint8Array(Math.min(max, 65536)), write() {}, close() {} });

/** Everything but /data is rebuilt at every boot: rootfs, /system (read-only), /dev, /proc, /sys. */
export function populateRootFs(kernel: Kernel, data: DirInode, buildProp: string): void {
  const time = kernel.wallSeconds();
  const root = kernel.vfs.root;
  const put = (parent: DirInode, name: string, inode: Inode) => {
    parent.entries.set(name, inode);
    return inode;
  };
  const dir = (parent: DirInode, name: string, perm = 0o755, owner = ROOT) => put(parent, name, new DirInode(perm, owner, time)) as DirInode;
  const file = (parent: DirInode, name: string, content: Uint8Array | string, perm = 0o644, owner = ROOT) => {
    const f = new FileInode(perm, owner, time);
    f.setChunks([typeof content === 'string' ? latin1Encode(content) : content]);
    return put(parent, name, f) as FileInode;
  };
  const link = (parent: DirInode, name: string, target: string) => put(parent, name, new SymlinkInode(target, ROOT, time));

  root.entries.set('data', data);
  dir(root, 'acct');
  dir(root, 'cache', 0o770, { uid: AID_SYSTEM, gid: 2001 });
  dir(root, 'config', 0o500);
  link(root, 'd', '/sys/kernel/debug');
  link(root, 'etc', '/system/etc');
  link(root, 'sdcard', '/storage/sdcard');
  link(root, 'vendor', '/system/vendor');
  dir(root, 'mnt', 0o755, { uid: AID_ROOT, gid: AID_SYSTEM });
  dir(root, 'root', 0o700);
  const storage = dir(root, 'storage', 0o751, { uid: AID_ROOT, gid: 1028 });
  dir(storage, 'sdcard', 0o775, { uid: AID_ROOT, gid: 1015 });
  file(root, 'init', buildProgramElf('init', ''), 0o750);
  file(root, 'init.rc', 'on early-init\n    start ueventd\n', 0o750);
  file(root, 'default.prop', 'ro.secure=0\nro.allow.mock.location=1\nro.debuggable=1\npersist.sys.usb.config=adb\n', 0o644);
  const sbin = dir(root, 'sbin', 0o750);
  file(sbin, 'adbd', buildProgramElf('adbd', ''), 0o750);
  file(sbin, 'healthd', buildProgramElf('healthd', ''), 0o750);
  link(sbin, 'ueventd', '../init');

  const sys = dir(root, 'sys');
  for (const name of ['block', 'bus', 'class', 'dev', 'devices', 'firmware', 'fs', 'power']) dir(sys, name);
  const kernelDir = dir(sys, 'kernel');
  dir(kernelDir, 'debug', 0o700);
  dir(sys, 'module');

  const devDir = dir(root, 'dev');
  put(devDir, 'null', dev(kernel, time, 0o666, () => new NullFile()));
  put(devDir, 'zero', dev(kernel, time, 0o666, zeroFile));
  put(devDir, 'kmsg', dev(kernel, time, 0o600, (write) => devKmsg(kernel, write)));
  put(devDir, 'random', dev(kernel, time, 0o666, zeroFile));
  put(devDir, 'urandom', dev(kernel, time, 0o666, zeroFile));
  put(devDir, 'tty', dev(kernel, time, 0o666, () => new NullFile()));
  put(devDir, 'binder', dev(kernel, time, 0o666, () => new NullFile()));
  dir(devDir, 'socket', 0o755);
  dir(devDir, 'pts', 0o755);

  const system = dir(root, 'system');
  const bin = dir(system, 'bin');
  file(bin, 'toolbox', buildProgramElf('toolbox', ''), 0o755);
  file(bin, 'mksh', buildProgramElf('sh', ''), 0o755);
  link(bin, 'sh', 'mksh');
  for (const tool of Object.keys(TOOLS)) link(bin, tool, 'toolbox');
  const xbin = dir(system, 'xbin');
  file(xbin, 'su', buildProgramElf('su', ''), 0o6755);
  const etc = dir(system, 'etc');
  file(etc, 'hosts', '127.0.0.1\t\t    localhost\n::1\t\t\t    ip6-localhost\n');
  file(etc, 'mkshrc', '# mksh startup\n');
  for (const name of ['app', 'framework', 'lib', 'media', 'fonts', 'usr', 'vendor']) dir(system, name);
  file(system, 'build.prop', buildProp);
  markReadOnly(system);

  root.entries.set('proc', createProcFs(kernel, () => kernel.modules));
}

function markReadOnly(inode: Inode): void {
  inode.readOnly = true;
  if (inode instanceof DirInode) for (const child of inode.entries.values()) markReadOnly(child);
}
