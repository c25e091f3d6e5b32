import { ENOSYS } from '../util/errno.js';
import type { Task } from './task.js';

export type SyscallHandler = (caller: Task, args: readonly number[]) => number;

/** sys_call_table: unimplemented numbers return -ENOSYS; modules patch entries in and out. */
export class SyscallTable {
  private readonly entries = new Map<number, SyscallHandler>();

  install(nr: number, handler: SyscallHandler): void {
    this.entries.set(nr, handler);
  }

  remove(nr: number, handler: SyscallHandler): void {
    if (this.entries.get(nr) === handler) this.entries.delete(nr);
  }

  has(nr: number): boolean {
    return this.entries.has(nr);
  }

  call(caller: Task, nr: number, args: readonly number[]): number {
    const handler = this.entries.get(nr);
    return handler ? handler(caller, args) : -ENOSYS;
  }
}
