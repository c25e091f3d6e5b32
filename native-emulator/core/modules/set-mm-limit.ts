import { FsError } from '../device-api.js';
import { GeneratedInode } from '../fs/inode.js';
import type { Kernel } from '../kernel/kernel.js';
import { KERN_INFO } from '../kernel/printk.js';
import type { Task } from '../kernel/task.js';
import { latin1Decode, latin1Encode } from '../util/bytes.js';
import { EINVAL, ENOMEM, EPERM, strerror } from '../util/errno.js';
import { limitLine } from './limit-table.js';
import type { ModuleDef, ModuleInstance } from './module-def.js';
import type { MylimitModule } from './mylimit.js';

export const NR_SET_MM_LIMIT = 381;

class SetMmLimitModule implements ModuleInstance {
  private readonly syscall = (caller: Task, args: readonly number[]) => this.set(caller, args[0] ?? 0, args[1] ?? 0, args[2] ?? 0);

  constructor(private readonly kernel: Kernel, private readonly mylimit: MylimitModule) {
    kernel.procEntries.set(
      'mm_limits',
      new GeneratedInode(0o644, { uid: 0, gid: 0 }, kernel.wallSeconds(), () => latin1Encode(this.show()), (data) => this.write(data)),
    );
    kernel.syscalls.install(NR_SET_MM_LIMIT, this.syscall);
    kernel.log(KERN_INFO, 'module load!');
  }

  private set(caller: Task, uid: number, mmMax: number, grace: number): number {
    if (caller.uid !== 0) return -EPERM;
    const ret = this.mylimit.table.set(uid >>> 0, mmMax, grace >>> 0);
    if (ret) return ret;
    this.kernel.log(KERN_INFO, ['Existing memory limitations:', ...this.mylimit.table.list().map(limitLine)].join('\n'));
    return 0;
  }

  private show(): string {
    return this.mylimit.table.list().map((l) => `${limitLine(l)}\n`).join('');
  }

  private write(data: Uint8Array): void {
    const m = /^\s*(\d+)\s+(\d+)(?:\s+(\d+))?/.exec(latin1Decode(data));
    const ret = m && data.length < 64 ? this.set(this.kernel.init, Number(m[1]), Number(m[2]), Number(m[3] ?? 0)) : -EINVAL;
    if (ret < 0) throw new FsError(ret === -EPERM ? 'EPERM' : ret === -EINVAL ? 'EINVAL' : 'ENOENT', strerror(-ret));
  }

  exit(): void {
    this.kernel.syscalls.remove(NR_SET_MM_LIMIT, this.syscall);
    this.kernel.procEntries.delete('mm_limits');
    this.kernel.log(KERN_INFO, 'module exit!');
  }
}

export const setMmLimitDef: ModuleDef = {
  name: 'set_mm_limit',
  description: 'set_mm_limit syscall (381) and /proc/mm_limits',
  depends: ['mylimit'],
  exports: [],
  imports: ['mm_limit_set', 'mm_limit_for_each'],
  params: ['sys_call_table_addr'],
  coreSize: 1084,
  init: (kernel, loader) => {
    const mylimit = loader.instance<MylimitModule>('mylimit');
    return mylimit ? new SetMmLimitModule(kernel, mylimit) : -ENOMEM;
  },
};
