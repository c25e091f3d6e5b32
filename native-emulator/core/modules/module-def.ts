import type { Kernel } from '../kernel/kernel.js';
import type { ModuleLoader } from './loader.js';

export interface ModuleInstance {
  exit(): void;
}

/** A module the simulator implements itself; a .ko naming it runs this code. */
export interface ModuleDef {
  readonly name: string;
  readonly description: string;
  readonly depends: readonly string[];
  /** Symbols it exports (EXPORT_SYMBOL_GPL in the C sources). */
  readonly exports: readonly string[];
  /** Symbols it needs from its dependencies. */
  readonly imports: readonly string[];
  readonly params: readonly string[];
  /** lsmod Size of the simulator's own build. */
  readonly coreSize: number;
  /** module_init: an instance, or -errno. */
  init(kernel: Kernel, loader: ModuleLoader): ModuleInstance | number;
}
