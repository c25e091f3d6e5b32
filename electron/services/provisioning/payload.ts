import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const MODULE_NAMES = ['mylimit', 'set_mm_limit', 'oom'] as const;
export const PROGRAM_NAMES = ['oom', 'test', 'mmlimit', 'memsample'] as const;

/** The dependency table of docs/device-interface.md, used when a .ko carries no `depends=`. */
const DOC_DEPENDS: Record<string, string[]> = { mylimit: [], set_mm_limit: ['mylimit'], oom: ['mylimit'] };

export interface PayloadModule {
  name: string;
  file: string;
  path: string;
  size: number;
  vermagic?: string;
  depends: string[];
  machine?: string;
}

export interface PayloadProgram {
  name: string;
  file: string;
  path: string;
  size: number;
  machine?: string;
}

export interface Payload {
  dir: string;
  modules: PayloadModule[];
  programs: PayloadProgram[];
}

const MACHINES: Record<number, string> = { 3: 'x86', 40: 'arm', 62: 'x86_64', 183: 'arm64' };

/** ELF e_machine as an architecture name; undefined when not ELF. */
export function elfMachine(bytes: Uint8Array): string | undefined {
  if (bytes.length < 20 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return undefined;
  const little = bytes[5] === 1;
  const machine = little ? bytes[18] | (bytes[19] << 8) : (bytes[18] << 8) | bytes[19];
  return MACHINES[machine] ?? `elf-machine-${machine}`;
}

/** The `key=value` strings of a module's .modinfo (found by scanning: every key is NUL-terminated). */
export function modinfo(bytes: Uint8Array): Record<string, string> {
  const text = Buffer.from(bytes).toString('latin1');
  const info: Record<string, string> = {};
  for (const key of ['vermagic', 'depends', 'name', 'license']) {
    const match = new RegExp(`(?:^|\\0)${key}=([^\\0]*)\\0`).exec(text);
    if (match) info[key] = match[1];
  }
  return info;
}

/** Reads a payload folder: the three modules and the four programs, with what their bytes say. */
export function readPayload(dir: string): Payload {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(`cannot read the payload folder ${dir}: ${(error as Error).message}`);
  }
  const missing: string[] = [];
  const modules: PayloadModule[] = [];
  for (const name of MODULE_NAMES) {
    const file = `${name}.ko`;
    if (!names.includes(file)) {
      missing.push(file);
      continue;
    }
    const path = join(dir, file);
    const bytes = readFileSync(path);
    const info = modinfo(bytes);
    const depends = info.depends !== undefined ? info.depends.split(',').filter(Boolean) : DOC_DEPENDS[name];
    modules.push({ name, file, path, size: bytes.length, vermagic: info.vermagic, depends, machine: elfMachine(bytes) });
  }
  const programs: PayloadProgram[] = [];
  for (const name of PROGRAM_NAMES) {
    if (!names.includes(name)) {
      missing.push(name);
      continue;
    }
    const path = join(dir, name);
    const bytes = readFileSync(path);
    programs.push({ name, file: name, path, size: statSync(path).size, machine: elfMachine(bytes) });
  }
  if (missing.length) throw new Error(`the payload folder ${dir} lacks ${missing.join(', ')}`);
  return { dir, modules, programs };
}

/** Modules in dependency order (dependencies first); throws on a cycle or a dependency outside the payload. */
export function insmodOrder(modules: Array<{ name: string; depends: string[] }>): string[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`module dependency cycle: ${[...path, name].join(' → ')}`);
    const module = byName.get(name);
    if (!module) throw new Error(`${path[path.length - 1]} depends on ${name}, which is not in the payload`);
    state.set(name, 'visiting');
    for (const dep of module.depends) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const module of [...modules].sort((a, b) => a.name.localeCompare(b.name))) visit(module.name, []);
  return order;
}

/** The device's architecture family from `uname -m` or the ABI. */
export function deviceArch(unameM?: string, abi?: string): string | undefined {
  const text = `${unameM ?? ''} ${abi ?? ''}`;
  if (/aarch64|arm64/.test(text)) return 'arm64';
  if (/arm/.test(text)) return 'arm';
  if (/x86_64|amd64/.test(text)) return 'x86_64';
  if (/i[3-6]86|x86/.test(text)) return 'x86';
  return undefined;
}

/** Problems that make a payload unfit for a device, found before anything is pushed. */
export function payloadMismatches(payload: Payload, device: { kernel?: string; arch?: string }): string[] {
  const problems: string[] = [];
  for (const module of payload.modules) {
    const release = module.vermagic?.split(' ')[0];
    if (!module.vermagic) problems.push(`${module.file} has no vermagic`);
    else if (device.kernel && release !== device.kernel) problems.push(`${module.file} was built for kernel ${release}, the device runs ${device.kernel}`);
    if (device.arch && module.machine && module.machine !== device.arch) problems.push(`${module.file} is for ${module.machine}, the device is ${device.arch}`);
  }
  for (const program of payload.programs) {
    if (device.arch && program.machine && program.machine !== device.arch && !(device.arch === 'arm64' && program.machine === 'arm') && !(device.arch === 'x86_64' && program.machine === 'x86')) {
      problems.push(`${program.file} is for ${program.machine}, the device is ${device.arch}`);
    }
  }
  return problems;
}
