import { FsError } from '../device-api.js';
import { GeneratedInode } from '../fs/inode.js';
import type { Kernel } from '../kernel/kernel.js';
import { KERN_INFO } from '../kernel/printk.js';
import { SIGKILL, SIGTERM } from '../kernel/signals.js';
import type { Task } from '../kernel/task.js';
import { decideOomCheck, initialOomState, type OomCheckResult, type OomState } from '../oom/decide.js';
import { latin1Decode, latin1Encode } from '../util/bytes.js';
import { EINVAL, ENOMEM, EPERM } from '../util/errno.js';
import type { ModuleDef, ModuleInstance } from './module-def.js';
import type { MylimitModule } from './mylimit.js';

export const NR_OOM_CHECK = 382;

/** oom.ko: syscall 382 and /proc/mm_oom_check around the shared decision in oom/decide.ts. */
export class OomModule implements ModuleInstance {
  private state: OomState = initialOomState();
  checks = 0;
  kills = 0;
  private lastCheckMs = 0;
  /** Every check's result, for tests and the what-if replay. */
  onCheck: ((r: OomCheckResult) => void) | null = null;
  private readonly syscall = (caller: Task, args: readonly number[]) => this.check(caller, args[0] ?? 0);

  constructor(private readonly kernel: Kernel, private readonly mylimit: MylimitModule) {
    kernel.procEntries.set(
      'mm_oom_check',
      new GeneratedInode(0o644, { uid: 0, gid: 0 }, kernel.wallSeconds(), () => latin1Encode(`checks=${this.checks} kills=${this.kills} last_check_ms=${this.lastCheckMs}\n`), (data) => this.write(data)),
    );
    kernel.syscalls.install(NR_OOM_CHECK, this.syscall);
    kernel.log(KERN_INFO, 'module load!');
  }

  check(caller: Task, periodS: number): number {
    if (caller.uid !== 0) return -EPERM;
    if (periodS < 0) return -EINVAL;
    const result = decideOomCheck({
      processes: this.kernel.oomSnapshot(),
      limits: this.mylimit.table.list(),
      state: this.state,
      nowNs: this.kernel.uptimeNs(),
      callerPid: caller.pid,
      periodS,
      mode: this.kernel.oomMode,
    });
    this.state = result.state;
    if (result.log.length > 0) this.kernel.log(KERN_INFO, result.log.join('\n'));
    for (const s of result.signals) {
      const task = this.kernel.findTask(s.pid);
      if (task) this.kernel.deliver(task, s.signal === 'SIGKILL' ? SIGKILL : SIGTERM);
    }
    this.checks++;
    this.kills += result.kills.length;
    this.lastCheckMs = Math.floor(this.kernel.uptimeNs() / 1e6);
    this.onCheck?.(result);
    return result.signals.length;
  }

  private write(data: Uint8Array): void {
    const m = /^\s*(-?\d+)\s*$/.exec(latin1Decode(data));
    if (!m) throw new FsError('EINVAL', 'Invalid argument');
    const ret = this.check(this.kernel.init, Number(m[1]));
    if (ret < 0) throw new FsError(ret === -EPERM ? 'EPERM' : 'EINVAL', ret === -EPERM ? 'Operation not permitted' : 'Invalid argument');
  }

  exit(): void {
    this.kernel.syscalls.remove(NR_OOM_CHECK, this.syscall);
    this.kernel.procEntries.delete('mm_oom_check');
    this.kernel.log(KERN_INFO, 'module exit!');
  }
}

export const oomDef: ModuleDef = {
  name: 'oom',
  description: 'Per-uid OOM killer: syscall 382 and /proc/mm_oom_check',
  depends: ['mylimit'],
  exports: [],
  imports: ['mm_limit_for_each'],
  params: ['sys_call_table_addr'],
  coreSize: 1934,
  init: (kernel, loader) => {
    const mylimit = loader.instance<MylimitModule>('mylimit');
    return mylimit ? new OomModule(kernel, mylimit) : -ENOMEM;
  },
};
