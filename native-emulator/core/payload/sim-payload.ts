import { VERMAGIC } from '../kernel/version.js';
import { KNOWN_MODULES } from '../modules/known-modules.js';
import { buildModuleElf, buildProgramElf } from './elf-writer.js';

export interface PayloadFile {
  /** File name on the device (and in the payload directory). */
  name: string;
  bytes: Uint8Array;
  mode: number;
}

export const PROGRAM_USAGE: Readonly<Record<string, string>> = {
  oom: 'usage: oom [-s|-p] T   (check every T seconds, T >= 1)',
  test: 'usage: test [-g GRACE_S] [-i] [-h HOLD_S] [-r MIB_PER_S] USER LIMIT MEM...',
  mmlimit: 'usage: mmlimit [-s|-p] set USER|UID BYTES[K|M|G] [GRACE_S] | [-s|-p] remove USER|UID | list',
  memsample: 'usage: memsample',
};

/** The sim target of every device file: real ELF modules with .modinfo, and ARM executables carrying the marker. */
export function buildSimPayloadFiles(): PayloadFile[] {
  const modules = KNOWN_MODULES.map((def) => ({
    name: `${def.name}.ko`,
    mode: 0o644,
    bytes: buildModuleElf({
      name: def.name,
      vermagic: VERMAGIC,
      license: 'GPL',
      depends: def.depends,
      exports: def.exports,
      imports: def.imports,
      description: def.description,
      coreSize: def.coreSize,
    }),
  }));
  const programs = Object.entries(PROGRAM_USAGE).map(([name, usage]) => ({ name, mode: 0o755, bytes: buildProgramElf(name, usage) }));
  return [...modules, ...programs];
}
