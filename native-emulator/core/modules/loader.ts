import type { Kernel } from '../kernel/kernel.js';
import { KERN_ERR, KERN_WARNING } from '../kernel/printk.js';
import { VERMAGIC } from '../kernel/version.js';
import { EAGAIN, EEXIST, EINVAL, ENOENT, ENOEXEC, EPERM } from '../util/errno.js';
import { ElfError, ET_REL, parseElf, parseModinfo, sectionStrings, type ElfFile } from './elf.js';
import type { ModuleDef, ModuleInstance } from './module-def.js';

export interface LoadedModule {
  readonly name: string;
  readonly size: number;
  readonly def: ModuleDef;
  readonly instance: ModuleInstance;
  /** Modules using this one, most recent first (as the kernel's source_list prints them). */
  readonly users: string[];
  readonly uses: readonly string[];
  readonly taints: string;
  readonly address: number;
}

const GPL_COMPATIBLE = new Set(['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']);
const MODULE_AREA = 0xbf000000;

/** kernel/module.c in miniature: init_module/delete_module on top of the simulator's module implementations. */
export class ModuleLoader {
  private readonly loaded: LoadedModule[] = [];
  private readonly instances = new Map<string, ModuleInstance>();
  /** Every symbol any module is known to export, by name → exporting module. */
  private readonly exporters = new Map<string, string>();
  private nextAddress = MODULE_AREA;

  constructor(private readonly kernel: Kernel, private readonly defs: readonly ModuleDef[]) {
    for (const d of defs) for (const s of d.exports) this.exporters.set(s, d.name);
  }

  list(): readonly LoadedModule[] {
    return this.loaded;
  }

  instance<T extends ModuleInstance>(name: string): T | undefined {
    return this.instances.get(name) as T | undefined;
  }

  isLoaded(name: string): boolean {
    return this.instances.has(name);
  }

  /** init_module(image, params): 0 or -errno, with the kernel's dmesg lines. */
  load(image: Uint8Array, params: string, caller: { uid: number }): number {
    if (caller.uid !== 0) return -EPERM;
    let elf: ElfFile;
    try {
      elf = parseElf(image);
    } catch (e) {
      if (e instanceof ElfError) return -ENOEXEC;
      throw e;
    }
    if (elf.type !== ET_REL) return -ENOEXEC;
    const modinfo = parseModinfo(elf.section('.modinfo'));
    const name = modinfo.get('name') ?? thisModuleName(elf);
    if (!name) {
      this.kernel.log(KERN_WARNING, 'No module found in object');
      return -ENOEXEC;
    }
    let taints = '';
    const vermagic = modinfo.get('vermagic');
    if (vermagic === undefined) {
      this.kernel.log(KERN_WARNING, `${name}: no version magic, forcing load: kernel tainted.`);
      taints += 'F';
    } else if (vermagic.trim() !== VERMAGIC.trim()) {
      this.kernel.log(KERN_ERR, `${name}: version magic '${vermagic}' should be '${VERMAGIC}'`);
      this.kernel.log(KERN_WARNING, `${name}: bad vermagic: kernel tainted.`);
      taints += 'F';
    }
    const license = modinfo.get('license') ?? 'unspecified';
    if (!GPL_COMPATIBLE.has(license)) {
      this.kernel.log(KERN_WARNING, `${name}: module license '${license}' taints kernel.`);
      taints += 'P';
    }
    if (this.instances.has(name)) return -EEXIST;

    const exported = sectionStrings(elf.section('__ksymtab_strings'));
    for (const s of exported) if (!this.exporters.has(s)) this.exporters.set(s, name);
    const undefinedSyms = elf.symbols().filter((s) => s.shndx === 0 && s.name !== '' && s.bind !== 0).map((s) => s.name);
    const def = this.defs.find((d) => d.name === name);
    const needed = new Set<string>();
    const missing: string[] = [];
    const wanted = undefinedSyms.length > 0 || elf.sections.some((s) => s.name === '.symtab') ? undefinedSyms : (def?.imports ?? []);
    for (const sym of wanted) {
      const owner = this.exporters.get(sym);
      if (!owner || owner === name) continue;
      if (this.instances.has(owner)) needed.add(owner);
      else missing.push(sym);
    }
    if (missing.length > 0) {
      for (const sym of missing) this.kernel.log(KERN_WARNING, `${name}: Unknown symbol ${sym} (err 0)`);
      return -ENOENT;
    }
    if (!def) {
      this.kernel.log(KERN_ERR, `${name}: no simulator implementation for this module (known: ${this.defs.map((d) => d.name).join(', ')})`);
      return -EINVAL;
    }
    for (const dep of def.depends) if (this.instances.has(dep)) needed.add(dep);

    for (const param of params.split(/\s+/).filter(Boolean)) {
      const key = param.split('=')[0]!;
      if (!def.params.includes(key)) {
        this.kernel.log(KERN_WARNING, `${name}: Unknown parameter \`${key}'`);
        return -ENOENT;
      }
    }

    if (taints.includes('F')) this.kernel.tainted |= 2;
    if (taints.includes('P')) this.kernel.tainted |= 1;
    const size = allocSize(elf) || def.coreSize;
    const uses = [...needed];
    const instance = def.init(this.kernel, this);
    if (typeof instance === 'number') return instance;
    for (const dep of uses) this.loaded.find((m) => m.name === dep)?.users.unshift(name);
    const mod: LoadedModule = { name, size, def, instance, users: [], uses, taints, address: this.nextAddress };
    this.nextAddress += Math.ceil(size / 4096) * 4096 + 0x2000;
    this.loaded.unshift(mod);
    this.instances.set(name, instance);
    return 0;
  }

  /** delete_module(name): 0 or -errno. */
  unload(name: string, caller: { uid: number }): number {
    if (caller.uid !== 0) return -EPERM;
    const i = this.loaded.findIndex((m) => m.name === name);
    if (i === -1) return -ENOENT;
    const mod = this.loaded[i]!;
    if (mod.users.length > 0) return -EAGAIN;
    mod.instance.exit();
    this.loaded.splice(i, 1);
    this.instances.delete(name);
    for (const dep of mod.uses) {
      const d = this.loaded.find((m) => m.name === dep);
      if (d) d.users.splice(d.users.indexOf(name), 1);
    }
    return 0;
  }

  /** /proc/modules */
  procModules(): string {
    return this.loaded
      .map((m) => {
        const users = m.users.length ? m.users.map((u) => `${u},`).join('') : '-';
        return `${m.name} ${m.size} ${m.users.length} ${users} Live 0x${m.address.toString(16)}${m.taints ? ` (${m.taints})` : ''}\n`;
      })
      .join('');
  }
}

function allocSize(elf: ElfFile): number {
  return elf.sections.filter((s) => s.flags & 2 && s.name !== '.modinfo' && !s.name.startsWith('__versions')).reduce((n, s) => n + s.size, 0);
}

function thisModuleName(elf: ElfFile): string | undefined {
  const data = elf.section('.gnu.linkonce.this_module');
  if (!data) return undefined;
  const offset = elf.bits === 64 ? 24 : 12;
  let end = offset;
  while (end < data.length && data[end] !== 0 && end - offset < 56) end++;
  const name = String.fromCharCode(...data.subarray(offset, end));
  return /^[A-Za-z0-9_]+$/.test(name) ? name : undefined;
}
