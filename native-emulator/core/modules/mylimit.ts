import type { Kernel } from '../kernel/kernel.js';
import { KERN_INFO } from '../kernel/printk.js';
import { LimitTable } from './limit-table.js';
import type { ModuleDef, ModuleInstance } from './module-def.js';

export class MylimitModule implements ModuleInstance {
  readonly table = new LimitTable();
  constructor(private readonly kernel: Kernel) {
    kernel.log(KERN_INFO, 'module load!');
  }
  exit(): void {
    this.kernel.log(KERN_INFO, 'module exit!');
  }
}

export const mylimitDef: ModuleDef = {
  name: 'mylimit',
  description: 'Per-uid memory limit table',
  depends: [],
  exports: ['mm_limit_set', 'mm_limit_remove', 'mm_limit_for_each'],
  imports: [],
  params: [],
  coreSize: 819,
  init: (kernel) => new MylimitModule(kernel),
};
