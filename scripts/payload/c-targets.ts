// Builds the C payload for a device: the three kernel modules and the four
// static programs of resources/.  Node built-ins only.
//
//   host          modules against the installed kernel headers
//                 (/lib/modules/<ABI>/build; linux-headers-amd64 on Debian),
//                 programs with gcc -static
//   goldfish-arm  modules against a goldfish 3.4 kernel tree in $KDIR with
//                 ARCH=arm CROSS_COMPILE=arm-linux-gnueabi-, programs with
//                 arm-linux-gnueabi-gcc -static
//
// A missing toolchain or kernel tree is a PayloadError whose message says
// what to install or set; the programs are built before the modules, so a
// goldfish build without $KDIR still leaves them in outDir (err.written).

import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CTarget = 'host' | 'goldfish-arm';

export const C_MODULES = ['mylimit', 'set_mm_limit', 'oom'] as const;
export const C_PROGRAMS = ['oom', 'test', 'mmlimit', 'memsample'] as const;

/** A build problem with a message for people, not a stack trace. */
export class PayloadError extends Error {
  constructor(
    message: string,
    /** files that were written before the failure */
    readonly written: string[] = [],
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Toolchain {
  cc: string;
  makeArgs: string[]; // extra make arguments for the module build
  ccHint: string;
}

const TOOLCHAINS: Record<CTarget, Toolchain> = {
  host: {
    cc: 'gcc',
    makeArgs: [],
    ccHint: 'apt-get install --no-install-recommends gcc make libc6-dev',
  },
  'goldfish-arm': {
    cc: 'arm-linux-gnueabi-gcc',
    makeArgs: ['ARCH=arm', 'CROSS_COMPILE=arm-linux-gnueabi-'],
    ccHint: 'apt-get install --no-install-recommends gcc-arm-linux-gnueabi libc6-dev-armel-cross make',
  },
};

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return ok();
      const out = `${stdout}${stderr}`.trim().split('\n').slice(-25).join('\n');
      const code = (err as NodeJS.ErrnoException).code;
      fail(
        code === 'ENOENT'
          ? new PayloadError(`${cmd} not found`)
          : new PayloadError(`${cmd} ${args.join(' ')} failed:\n${out}`),
      );
    });
  });
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, cmd)));
}

/** A configured kernel tree or headers dir: a Makefile and a .config. */
function isKernelTree(dir: string): boolean {
  return existsSync(join(dir, 'Makefile')) && existsSync(join(dir, '.config'));
}

/**
 * The host's kernel headers: $KDIR, else /lib/modules/$(uname -r)/build,
 * else the newest /usr/src/linux-headers-<ABI> of an installed
 * linux-headers-<arch> package (the running kernel may not be Debian's).
 */
export function findHostKdir(): string {
  const fromEnv = process.env.KDIR;
  if (fromEnv) {
    if (!isKernelTree(fromEnv)) throw new PayloadError(`KDIR=${fromEnv} is not a configured kernel tree or headers dir`);
    return fromEnv;
  }
  const candidates: string[] = [];
  candidates.push(`/lib/modules/${release()}/build`); // uname -r
  const abis = existsSync('/usr/src')
    ? readdirSync('/usr/src')
        .filter((d) => /^linux-headers-.*-(amd64|arm64|686|686-pae|cloud-amd64)$/.test(d))
        .map((d) => d.slice('linux-headers-'.length))
        .sort(compareVersions)
        .reverse()
    : [];
  for (const abi of abis) candidates.push(`/lib/modules/${abi}/build`, `/usr/src/linux-headers-${abi}`);
  const found = candidates.find(isKernelTree);
  if (!found) {
    throw new PayloadError(
      'no kernel headers for the host modules: install them with\n' +
        '  apt-get install --no-install-recommends linux-headers-amd64\n' +
        'or set KDIR=/path/to/a/configured/kernel/tree',
    );
  }
  return found;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function goldfishKdir(): string {
  const kdir = process.env.KDIR;
  const how =
    'goldfish-arm kernel modules need a configured and built goldfish 3.4 kernel tree:\n' +
    '  git clone (AOSP) kernel/goldfish, branch android-goldfish-3.4\n' +
    '  make ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- goldfish_armv7_defconfig\n' +
    '  make ARCH=arm CROSS_COMPILE=arm-linux-gnueabi- -j2\n' +
    'then set KDIR=/path/to/that/tree and build again (see resources/README.md).';
  if (!kdir) throw new PayloadError(`KDIR is not set. ${how}`);
  if (!isKernelTree(kdir)) throw new PayloadError(`KDIR=${kdir} is not a configured kernel tree. ${how}`);
  return kdir;
}

async function buildPrograms(target: CTarget, outDir: string): Promise<string[]> {
  const tc = TOOLCHAINS[target];
  if (!onPath(tc.cc)) throw new PayloadError(`${tc.cc} is not installed: ${tc.ccHint}`);
  // -B: outDir may hold binaries of the other target, newer than the sources
  await run('make', ['-s', '-B', '-C', join(REPO_ROOT, 'resources', 'programs'), `CC=${tc.cc}`, `OUT=${outDir}`]);
  return C_PROGRAMS.map((p) => join(outDir, p));
}

async function buildModules(target: CTarget, outDir: string, kdir: string): Promise<string[]> {
  const tc = TOOLCHAINS[target];
  // Build in a scratch copy: the source tree stays clean and parallel builds
  // for different targets do not share objects.
  const work = mkdtempSync(join(tmpdir(), `goldfish-oom-${target}-`));
  try {
    cpSync(join(REPO_ROOT, 'resources', 'modules'), work, { recursive: true });
    for (const m of ['oom', 'set_mm_limit']) {
      // each dependent builds mylimit first (its Module.symvers)
      await run('make', ['-s', '-C', join(work, m), `KDIR=${kdir}`, ...tc.makeArgs]);
    }
    return C_MODULES.map((m) => {
      const dest = join(outDir, `${m}.ko`);
      copyFileSync(join(work, m, `${m}.ko`), dest);
      return dest;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Build mylimit.ko set_mm_limit.ko oom.ko and the static programs oom test
 * mmlimit memsample for @target into @outDir.  Returns the files written.
 */
export async function buildCPayload(target: CTarget, outDir: string): Promise<string[]> {
  if (target !== 'host' && target !== 'goldfish-arm') {
    throw new PayloadError(`unknown C target ${String(target)}: use host or goldfish-arm`);
  }
  if (!onPath('make')) throw new PayloadError(`make is not installed: ${TOOLCHAINS[target].ccHint}`);
  outDir = resolve(outDir);
  mkdirSync(outDir, { recursive: true });

  const programs = await buildPrograms(target, outDir);
  let kdir: string;
  try {
    kdir = target === 'host' ? findHostKdir() : goldfishKdir();
  } catch (e) {
    if (e instanceof PayloadError) {
      throw new PayloadError(`${e.message}\nThe programs were built: ${programs.join(' ')}`, programs);
    }
    throw e;
  }
  const modules = await buildModules(target, outDir, kdir);
  return [...modules, ...programs];
}
