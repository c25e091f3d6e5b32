import { concatBytes, latin1Encode } from '../util/bytes.js';
import { EM_ARM, ET_EXEC, ET_REL, SHF_ALLOC, SHT_SYMTAB } from '../modules/elf.js';

/** Writes small little-endian ARM ELF32 files: relocatable modules and marker-carrying executables. */

interface SectionSpec {
  name: string;
  type: number;
  flags: number;
  data: Uint8Array;
  link?: number;
  info?: number;
  entsize?: number;
  align?: number;
}

const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_EXECINSTR = 4;

function strtab(names: readonly string[]): { data: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  let s = '\0';
  for (const n of names) {
    offsets.push(s.length);
    s += `${n}\0`;
  }
  return { data: latin1Encode(s), offsets };
}

function writeElf32(type: number, sections: SectionSpec[], programHeader: boolean): Uint8Array {
  const all: SectionSpec[] = [{ name: '', type: 0, flags: 0, data: new Uint8Array(0) }, ...sections];
  const shstr = strtab([...all.slice(1).map((s) => s.name), '.shstrtab']);
  all.push({ name: '.shstrtab', type: SHT_STRTAB, flags: 0, data: shstr.data });
  const nameOffsets = [0, ...shstr.offsets];

  const ehsize = 52;
  const phsize = programHeader ? 32 : 0;
  let offset = ehsize + phsize;
  const offsets: number[] = [];
  for (const s of all) {
    const align = s.align ?? 4;
    offset = Math.ceil(offset / align) * align;
    offsets.push(offset);
    if (s.type !== SHT_NOBITS) offset += s.data.length;
  }
  const shoff = Math.ceil(offset / 4) * 4;
  const out = new Uint8Array(shoff + all.length * 40);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  dv.setUint16(16, type, true);
  dv.setUint16(18, EM_ARM, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, programHeader ? 0x8000 + offsets[1]! : 0, true);
  dv.setUint32(28, programHeader ? ehsize : 0, true);
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0x05000000, true);
  dv.setUint16(40, ehsize, true);
  dv.setUint16(42, programHeader ? 32 : 0, true);
  dv.setUint16(44, programHeader ? 1 : 0, true);
  dv.setUint16(46, 40, true);
  dv.setUint16(48, all.length, true);
  dv.setUint16(50, all.length - 1, true);
  if (programHeader) {
    dv.setUint32(ehsize, 1, true);
    dv.setUint32(ehsize + 4, 0, true);
    dv.setUint32(ehsize + 8, 0x8000, true);
    dv.setUint32(ehsize + 12, 0x8000, true);
    dv.setUint32(ehsize + 16, offset, true);
    dv.setUint32(ehsize + 20, offset, true);
    dv.setUint32(ehsize + 24, 5, true);
    dv.setUint32(ehsize + 28, 0x1000, true);
  }
  all.forEach((s, i) => {
    if (s.type !== SHT_NOBITS) out.set(s.data, offsets[i]!);
    const h = shoff + i * 40;
    dv.setUint32(h, nameOffsets[i]!, true);
    dv.setUint32(h + 4, s.type, true);
    dv.setUint32(h + 8, s.flags, true);
    dv.setUint32(h + 12, programHeader && i > 0 && s.flags & SHF_ALLOC ? 0x8000 + offsets[i]! : 0, true);
    dv.setUint32(h + 16, i === 0 ? 0 : offsets[i]!, true);
    dv.setUint32(h + 20, s.data.length, true);
    dv.setUint32(h + 24, s.link ?? 0, true);
    dv.setUint32(h + 28, s.info ?? 0, true);
    dv.setUint32(h + 32, i === 0 ? 0 : (s.align ?? 4), true);
    dv.setUint32(h + 36, s.entsize ?? 0, true);
  });
  return out;
}

/** Deterministic filler that looks like ARM code (a run of `mov r0, r0` with variations). */
function codeFiller(length: number, salt: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x9e3779b9 ^ salt;
  for (let i = 0; i + 3 < length; i += 4) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.set([x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0x0f, 0xe1], i);
  }
  return out;
}

export interface ModuleSpec {
  name: string;
  vermagic: string;
  license: string;
  depends: readonly string[];
  exports: readonly string[];
  imports: readonly string[];
  description: string;
  /** Sum of the SHF_ALLOC sections: what lsmod shows as Size. */
  coreSize: number;
}

export function buildModuleElf(spec: ModuleSpec): Uint8Array {
  const modinfo = latin1Encode(
    [`license=${spec.license}`, `description=${spec.description}`, `depends=${spec.depends.join(',')}`, `name=${spec.name}`, `vermagic=${spec.vermagic}`]
      .map((s) => `${s}\0`)
      .join(''),
  );
  const ksymtabStrings = latin1Encode(spec.exports.map((s) => `${s}\0`).join(''));
  const thisModule = new Uint8Array(64);
  thisModule.set(latin1Encode(spec.name), 12);

  const symbolNames = [...spec.exports, ...spec.imports, 'init_module', 'cleanup_module'];
  const str = strtab(symbolNames);
  const symtab = new Uint8Array(16 * (symbolNames.length + 1));
  const sdv = new DataView(symtab.buffer);
  symbolNames.forEach((_, i) => {
    const o = 16 * (i + 1);
    const defined = i < spec.exports.length || i >= spec.exports.length + spec.imports.length;
    sdv.setUint32(o, str.offsets[i]!, true);
    sdv.setUint32(o + 4, defined ? i * 16 : 0, true);
    sdv.setUint8(o + 12, (1 << 4) | (defined ? 2 : 0));
    sdv.setUint16(o + 14, defined ? 1 : 0, true);
  });

  const fixed = ksymtabStrings.length + thisModule.length;
  const textSize = Math.max(16, spec.coreSize - fixed);
  const sections: SectionSpec[] = [
    { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: codeFiller(textSize, spec.name.length) },
    { name: '.modinfo', type: SHT_PROGBITS, flags: SHF_ALLOC, data: modinfo, align: 1 },
    { name: '__ksymtab_strings', type: SHT_PROGBITS, flags: SHF_ALLOC, data: ksymtabStrings, align: 1 },
    { name: '.gnu.linkonce.this_module', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, data: thisModule },
    { name: '.symtab', type: SHT_SYMTAB, flags: 0, data: symtab, link: 6, info: 1, entsize: 16 },
    { name: '.strtab', type: SHT_STRTAB, flags: 0, data: str.data, align: 1 },
  ];
  return writeElf32(ET_REL, sections, false);
}

export const PROGRAM_MARKER = 'GOLDFISH-OOM-PROGRAM:';

/** A small static ARM executable whose .rodata carries the marker the simulator recognises. */
export function buildProgramElf(name: string, usage: string): Uint8Array {
  const rodata = latin1Encode(`${PROGRAM_MARKER}${name}\0${usage}\0`);
  const text = codeFiller(8192, name.charCodeAt(0));
  return writeElf32(
    ET_EXEC,
    [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, data: text },
      { name: '.rodata', type: SHT_PROGBITS, flags: SHF_ALLOC, data: concatBytes([rodata]), align: 4 },
    ],
    true,
  );
}
