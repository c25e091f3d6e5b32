import { describe, expect, it } from 'vitest';
import { VERMAGIC } from '../kernel/version.js';
import { buildModuleElf } from '../payload/elf-writer.js';
import { seedBench } from '../testing/seed-harness.js';
import { latin1Encode } from '../util/bytes.js';
import { parseElf, parseModinfo } from './elf.js';

function push(b: ReturnType<typeof seedBench>, path: string, bytes: Uint8Array) {
  const w = b.device.fs.createWriter(path, 0o644);
  w.write(bytes);
  w.commit(1_592_000_000);
}

/** A little-endian ELF64 relocatable like an x86_64 build of the C module: .modinfo, __ksymtab_strings, .symtab. */
function elf64Module(modinfo: string[], exports: string[], undefinedSyms: string[]): Uint8Array {
  const strtab = ['', ...undefinedSyms, ...exports].join('\0') + '\0';
  const strOffsets = [...undefinedSyms, ...exports].map((s) => strtab.indexOf(`\0${s}\0`) + 1);
  const symtab = new Uint8Array(24 * (1 + undefinedSyms.length + exports.length));
  const sv = new DataView(symtab.buffer);
  strOffsets.forEach((off, i) => {
    const o = 24 * (i + 1);
    sv.setUint32(o, off, true);
    sv.setUint8(o + 4, 0x10);
    sv.setUint16(o + 6, i < undefinedSyms.length ? 0 : 1, true);
  });
  const sections = [
    { name: '.text', type: 1, flags: 6, data: new Uint8Array(700) },
    { name: '.modinfo', type: 1, flags: 2, data: latin1Encode(modinfo.map((s) => `${s}\0`).join('')) },
    { name: '__ksymtab_strings', type: 1, flags: 2, data: latin1Encode(exports.map((s) => `${s}\0`).join('')) },
    { name: '.symtab', type: 2, flags: 0, data: symtab, link: 5 },
    { name: '.strtab', type: 3, flags: 0, data: latin1Encode(strtab) },
  ];
  const shstr = `\0${[...sections.map((s) => s.name), '.shstrtab'].join('\0')}\0`;
  const all = [...sections, { name: '.shstrtab', type: 3, flags: 0, data: latin1Encode(shstr) }];
  let offset = 64;
  const offsets = all.map((s) => {
    const o = offset;
    offset += s.data.length;
    return o;
  });
  const shoff = Math.ceil(offset / 8) * 8;
  const out = new Uint8Array(shoff + 64 * (all.length + 1));
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 1, true);
  dv.setUint16(18, 62, true);
  dv.setBigUint64(0x28, BigInt(shoff), true);
  dv.setUint16(0x3a, 64, true);
  dv.setUint16(0x3c, all.length + 1, true);
  dv.setUint16(0x3e, all.length, true);
  all.forEach((s, i) => {
    out.set(s.data, offsets[i]!);
    const h = shoff + 64 * (i + 1);
    dv.setUint32(h, shstr.indexOf(`\0${s.name}\0`) + 1, true);
    dv.setUint32(h + 4, s.type, true);
    dv.setBigUint64(h + 8, BigInt(s.flags), true);
    dv.setBigUint64(h + 24, BigInt(offsets[i]!), true);
    dv.setBigUint64(h + 32, BigInt(s.data.length), true);
    dv.setUint32(h + 40, 'link' in s ? (s.link as number) : 0, true);
  });
  return out;
}

describe('module loader', () => {
  it('loads the sim payload in order; lsmod shows sizes, use counts and users', () => {
    const b = seedBench();
    const r = b.run('cd /data/misc; insmod mylimit.ko && insmod set_mm_limit.ko && insmod oom.ko; lsmod; cat /proc/modules');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'Module                  Size  Used by\n' +
        'oom                     1934  0\n' +
        'set_mm_limit            1084  0\n' +
        'mylimit                  819  2 oom,set_mm_limit\n' +
        'oom 1934 0 - Live 0xbf006000\n' +
        'set_mm_limit 1084 0 - Live 0xbf003000\n' +
        'mylimit 819 2 oom,set_mm_limit, Live 0xbf000000\n',
    );
  });

  it('insmod of set_mm_limit.ko or oom.ko before mylimit.ko fails with Unknown symbol', () => {
    const b = seedBench();
    const r = b.run('cd /data/misc; insmod set_mm_limit.ko; echo $?; insmod oom.ko; lsmod');
    expect(r.stderr).toBe(
      "insmod: init_module 'set_mm_limit.ko' failed (No such file or directory)\n" +
        "insmod: init_module 'oom.ko' failed (No such file or directory)\n",
    );
    expect(r.stdout).toBe('255\nModule                  Size  Used by\n');
    expect(b.messages().filter((m) => m.includes('Unknown symbol'))).toEqual([
      'set_mm_limit: Unknown symbol mm_limit_set (err 0)',
      'set_mm_limit: Unknown symbol mm_limit_for_each (err 0)',
      'oom: Unknown symbol mm_limit_for_each (err 0)',
    ]);
  });

  it('rmmod refuses a module in use; unloading removes the syscalls and /proc files', () => {
    const b = seedBench();
    b.run('cd /data/misc; insmod mylimit.ko; insmod set_mm_limit.ko; insmod oom.ko; ./mmlimit set u0_a70 100M 5');
    const busy = b.run('rmmod mylimit');
    expect(busy.stderr).toBe("rmmod: delete_module 'mylimit' failed (errno 11)\n");
    expect(busy.exitCode).toBe(255);
    expect(b.run('cat /proc/mm_limits').stdout).toBe('uid=10070,mm_max=104857600,time_allow_exceed=5\n');
    const r = b.run('rmmod oom; rmmod set_mm_limit.ko; rmmod mylimit; lsmod; ls /proc/mm_limits; /data/misc/mmlimit list');
    expect(r.stdout).toBe('Module                  Size  Used by\n');
    expect(r.stderr).toBe('/proc/mm_limits: No such file or directory\nmmlimit: list failed: No such file or directory (errno=2)\n');
    expect(b.messages().filter((m) => m.startsWith('module '))).toEqual(['module load!', 'module load!', 'module load!', 'module exit!', 'module exit!', 'module exit!']);
    expect(b.run('/data/misc/mmlimit set u0_a70 100M').stderr).toBe('mmlimit: set failed: No such file or directory (errno=2)\n');
  });

  it('rejects what is not an ELF relocatable, double loads, unknown modules and parameters', () => {
    const b = seedBench();
    push(b, '/data/local/tmp/notes.ko', latin1Encode('hello'));
    push(b, '/data/local/tmp/foo.ko', buildModuleElf({ name: 'foo', vermagic: VERMAGIC, license: 'GPL', depends: [], exports: [], imports: [], description: '', coreSize: 900 }));
    const r = b.run('cd /data/local/tmp; insmod notes.ko; insmod missing.ko; insmod foo.ko; insmod /data/misc/mylimit.ko; insmod /data/misc/mylimit.ko; insmod /data/misc/oom.ko bogus=1');
    expect(r.stderr).toBe(
      "insmod: init_module 'notes.ko' failed (Exec format error)\n" +
        "insmod: can't open 'missing.ko'\n" +
        "insmod: init_module 'foo.ko' failed (Invalid argument)\n" +
        "insmod: init_module '/data/misc/mylimit.ko' failed (File exists)\n" +
        "insmod: init_module '/data/misc/oom.ko' failed (No such file or directory)\n",
    );
    expect(b.messages()).toContain('foo: no simulator implementation for this module (known: mylimit, set_mm_limit, oom)');
    expect(b.messages()).toContain("oom: Unknown parameter `bogus'");
  });

  it('loads an x86_64 ELF64 build with a foreign vermagic, logs the mismatch and taints', () => {
    const b = seedBench();
    const vermagic = '6.1.0-56-amd64 SMP preempt mod_unload modversions ';
    push(b, '/data/local/tmp/mylimit.ko', elf64Module(['license=GPL', 'name=mylimit', `vermagic=${vermagic}`], ['mm_limit_set', 'mm_limit_remove', 'mm_limit_for_each'], ['_printk']));
    push(b, '/data/local/tmp/oom.ko', elf64Module(['license=GPL', 'depends=mylimit', 'name=oom', `vermagic=${vermagic}`], [], ['_printk', 'mm_limit_for_each']));
    const early = b.run('insmod /data/local/tmp/oom.ko');
    expect(early.stderr).toContain('(No such file or directory)');
    const r = b.run('insmod /data/local/tmp/mylimit.ko && insmod /data/local/tmp/oom.ko && cat /proc/modules');
    expect(r.stdout).toMatch(/^oom 700 0 - Live 0x[0-9a-f]+ \(F\)\nmylimit 747 1 oom, Live 0xbf000000 \(F\)\n$/);
    expect(b.messages()).toContain(`mylimit: version magic '${vermagic}' should be '${VERMAGIC}'`);
    expect(b.messages()).toContain('mylimit: bad vermagic: kernel tainted.');
    expect(b.messages()).toContain('oom: Unknown symbol mm_limit_for_each (err 0)');
    expect(b.device.kernel.tainted).not.toBe(0);
  });

  it('the payload modules are ELF32 ARM relocatables whose .modinfo names them', () => {
    const b = seedBench();
    const elf = parseElf(b.device.fs.readFile('/data/misc/oom.ko'));
    expect([elf.bits, elf.type, elf.machine]).toEqual([32, 1, 40]);
    const info = parseModinfo(elf.section('.modinfo'));
    expect(Object.fromEntries(info)).toMatchObject({ name: 'oom', depends: 'mylimit', vermagic: VERMAGIC, license: 'GPL' });
    expect(elf.symbols().filter((s) => s.shndx === 0 && s.name).map((s) => s.name)).toEqual(['mm_limit_for_each']);
  });
});
