import type { ModuleDef } from './module-def.js';
import { mylimitDef } from './mylimit.js';
import { oomDef } from './oom-module.js';
import { setMmLimitDef } from './set-mm-limit.js';

export const KNOWN_MODULES: readonly ModuleDef[] = [mylimitDef, setMmLimitDef, oomDef];
