import { latin1Decode } from '../util/bytes.js';

/** Just enough of ELF (32 and 64 bit, little-endian) to load a kernel module or recognise an executable. */

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const SHT_SYMTAB = 2;
export const SHF_ALLOC = 2;
export const EM_ARM = 40;

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
}

export interface ElfSymbol {
  name: string;
  shndx: number;
  bind: number;
}

export interface ElfFile {
  bits: 32 | 64;
  type: number;
  machine: number;
  sections: ElfSection[];
  section(name: string): Uint8Array | undefined;
  symbols(): ElfSymbol[];
}

export class ElfError extends Error {}

export const isElf = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

/** The ELF class of an executable for mksh's "not executable: 32-bit ELF file". */
export const elfBits = (b: Uint8Array): number => (b[4] === 2 ? 64 : 32);

export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes) || bytes.length < 52) throw new ElfError('not an ELF file');
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : 0;
  if (bits === 0) throw new ElfError('bad ELF class');
  if (bytes[5] !== 1) throw new ElfError('not little-endian');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const word = (o: number) => (bits === 64 ? Number(view.getBigUint64(o, true)) : u32(o));
  const inRange = (o: number, n: number) => o >= 0 && n >= 0 && o + n <= bytes.length;

  const type = u16(16);
  const machine = u16(18);
  const shoff = word(bits === 64 ? 0x28 : 0x20);
  const shentsize = u16(bits === 64 ? 0x3a : 0x2e);
  const shnum = u16(bits === 64 ? 0x3c : 0x30);
  const shstrndx = u16(bits === 64 ? 0x3e : 0x32);
  if (shnum > 0 && (!inRange(shoff, shnum * shentsize) || shentsize < (bits === 64 ? 64 : 40))) {
    throw new ElfError('section headers out of range');
  }

  const raw = Array.from({ length: shnum }, (_, i) => {
    const o = shoff + i * shentsize;
    return bits === 64
      ? { nameOff: u32(o), type: u32(o + 4), flags: word(o + 8), offset: word(o + 24), size: word(o + 32), link: u32(o + 40) }
      : { nameOff: u32(o), type: u32(o + 4), flags: u32(o + 8), offset: u32(o + 16), size: u32(o + 20), link: u32(o + 24) };
  });
  const body = (s: { type: number; offset: number; size: number }): Uint8Array =>
    s.type === 8 || !inRange(s.offset, s.size) ? new Uint8Array(0) : bytes.subarray(s.offset, s.offset + s.size);
  const shstr = raw[shstrndx] ? body(raw[shstrndx]!) : new Uint8Array(0);
  const cstr = (table: Uint8Array, off: number): string => {
    let end = off;
    while (end < table.length && table[end] !== 0) end++;
    return latin1Decode(table.subarray(off, end));
  };
  const sections: ElfSection[] = raw.map((s) => ({ name: cstr(shstr, s.nameOff), type: s.type, flags: s.flags, offset: s.offset, size: s.size, link: s.link }));

  return {
    bits,
    type,
    machine,
    sections,
    section(name) {
      const s = sections.find((x) => x.name === name);
      return s ? body(s) : undefined;
    },
    symbols() {
      const symtab = sections.find((s) => s.type === SHT_SYMTAB);
      if (!symtab) return [];
      const strtab = sections[symtab.link];
      const strings = strtab ? body(strtab) : new Uint8Array(0);
      const data = body(symtab);
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const size = bits === 64 ? 24 : 16;
      const out: ElfSymbol[] = [];
      for (let o = size; o + size <= data.length; o += size) {
        const nameOff = dv.getUint32(o, true);
        const info = bits === 64 ? dv.getUint8(o + 4) : dv.getUint8(o + 12);
        const shndx = bits === 64 ? dv.getUint16(o + 6, true) : dv.getUint16(o + 14, true);
        out.push({ name: cstr(strings, nameOff), shndx, bind: info >> 4 });
      }
      return out;
    },
  };
}

/** NUL-separated strings of a section (.modinfo, __ksymtab_strings). */
export function sectionStrings(data: Uint8Array | undefined): string[] {
  if (!data) return [];
  return latin1Decode(data).split('\0').filter((s) => s.length > 0);
}

export function parseModinfo(data: Uint8Array | undefined): Map<string, string> {
  const info = new Map<string, string>();
  for (const entry of sectionStrings(data)) {
    const eq = entry.indexOf('=');
    if (eq > 0 && !info.has(entry.slice(0, eq))) info.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return info;
}
