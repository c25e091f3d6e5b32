import { FsError } from '../device-api.js';
import type { Kernel } from '../kernel/kernel.js';
import { PAGE_SIZE } from '../kernel/mm.js';
import { KERN_INFO } from '../kernel/printk.js';
import { oomAdjOf, oomBadness } from '../kernel/oom-kill.js';
import type { Task } from '../kernel/task.js';
import { LINUX_BANNER, UTS_RELEASE } from '../kernel/version.js';
import type { ModuleLoader } from '../modules/loader.js';
import { latin1Decode, latin1Encode, utf8Encode } from '../util/bytes.js';
import { DynamicDirInode, GeneratedInode, SymlinkInode, type Inode } from './inode.js';
import type { OpenFile, ReadResult } from './open-file.js';

const ROOT_OWNER = { uid: 0, gid: 0 };
const kb = (pages: number) => pages * (PAGE_SIZE / 1024);
const line = (label: string, kB: number) => `${`${label}:`.padEnd(16)}${String(kB).padStart(8)} kB\n`;

const STATE_NAMES: Record<string, string> = { R: 'R (running)', S: 'S (sleeping)', D: 'D (disk sleep)', T: 'T (stopped)', Z: 'Z (zombie)' };

/** /proc generated from the kernel model on every open. */
export function createProcFs(kernel: Kernel, modules: () => ModuleLoader | undefined): DynamicDirInode {
  const now = () => kernel.wallSeconds();
  const file = (gen: () => string, perm = 0o444, write?: (data: Uint8Array) => void): GeneratedInode =>
    new GeneratedInode(perm, ROOT_OWNER, now(), () => latin1Encode(gen()), write);

  const statics: Record<string, () => Inode> = {
    meminfo: () => file(() => meminfo(kernel)),
    uptime: () => file(() => {
      const up = kernel.uptimeNs() / 1e9;
      return `${up.toFixed(2)} ${(up * 0.93).toFixed(2)}\n`;
    }),
    version: () => file(() => `${LINUX_BANNER}\n`),
    modules: () => file(() => modules()?.procModules() ?? ''),
    loadavg: () => file(() => `0.00 0.01 0.05 1/${kernel.tasks.size} ${Math.max(...kernel.tasks.keys())}\n`),
    cpuinfo: () => file(() => CPUINFO),
    cmdline: () => file(() => 'qemu.gles=0 qemu=1 console=ttyS0 android.qemud=ttyS1 android.checkjni=1 ndns=1\n'),
    filesystems: () => file(() => 'nodev\tsysfs\nnodev\trootfs\nnodev\tproc\nnodev\ttmpfs\n\text4\nnodev\tdevpts\n'),
    kmsg: () => new GeneratedInode(0o400, ROOT_OWNER, now(), () => new Uint8Array(0), undefined, () => kmsgStream(kernel)),
    self: () => new SymlinkInode(String(kernel.currentPid ?? 1), ROOT_OWNER, now()),
    sys: () => procSys(kernel, file),
  };

  const root = new DynamicDirInode(
    0o555,
    ROOT_OWNER,
    now(),
    () => [...Object.keys(statics), ...kernel.procEntries.keys(), ...[...kernel.tasks.keys()].map(String)],
    (name) => {
      const fixed = kernel.procEntries.get(name);
      if (fixed) return fixed;
      if (Object.hasOwn(statics, name)) return statics[name]!();
      if (/^\d+$/.test(name)) {
        const task = kernel.tasks.get(Number(name));
        return task ? pidDir(kernel, task) : undefined;
      }
      return undefined;
    },
  );
  return root;
}

/** /proc/sys: the few sysctls tools read (what tells one boot from another, the taint flags). */
function procSys(kernel: Kernel, file: (gen: () => string) => GeneratedInode): DynamicDirInode {
  const dir = (entries: Record<string, () => Inode>) =>
    new DynamicDirInode(0o555, ROOT_OWNER, kernel.wallSeconds(), () => Object.keys(entries), (name) => (Object.hasOwn(entries, name) ? entries[name]!() : undefined));
  const random = { boot_id: () => file(() => `${kernel.bootId}\n`) };
  const kernelDir = { random: () => dir(random), tainted: () => file(() => `${kernel.tainted}\n`), osrelease: () => file(() => `${UTS_RELEASE}\n`) };
  return dir({ kernel: () => dir(kernelDir) });
}

function pidDir(kernel: Kernel, task: Task): DynamicDirInode {
  const owner = { uid: task.uid, gid: task.gid };
  const file = (gen: () => string, perm = 0o444, write?: (data: Uint8Array) => void): GeneratedInode =>
    new GeneratedInode(perm, owner, kernel.wallSeconds(), () => latin1Encode(gen()), write);
  const entries: Record<string, () => Inode> = {
    status: () => file(() => status(task)),
    statm: () => file(() => {
      const mm = task.mm;
      return mm ? `${mm.totalVm} ${mm.rss} ${mm.fileRss} 2 0 ${Math.max(0, mm.totalVm - 60)} 0\n` : '0 0 0 0 0 0 0\n';
    }),
    stat: () => file(() => stat(task)),
    cmdline: () => new GeneratedInode(0o444, owner, kernel.wallSeconds(), () => utf8Encode(task.cmdline.map((a) => `${a}\0`).join(''))),
    comm: () => file(() => `${task.comm}\n`),
    wchan: () => file(() => (task.state === 'R' ? '0' : task.wchan || '0')),
    oom_score: () => file(() => `${oomBadness(kernel, task, kernel.mem.managedPages)}\n`),
    oom_adj: () => file(() => `${oomAdjOf(task.oomScoreAdj)}\n`, 0o644),
    oom_score_adj: () =>
      file(() => `${task.oomScoreAdj}\n`, 0o644, (data) => {
        const v = Number(latin1Decode(data).trim());
        if (!Number.isInteger(v) || v < -1000 || v > 1000) throw new FsError('EINVAL', 'Invalid argument');
        task.oomScoreAdj = v;
      }),
    cwd: () => new SymlinkInode(task.cwd, owner, kernel.wallSeconds()),
  };
  return new DynamicDirInode(0o555, owner, kernel.wallSeconds(), () => Object.keys(entries), (name) => entries[name]?.());
}

function meminfo(k: Kernel): string {
  const m = k.mem;
  const anon = m.taskPages;
  const cached = m.cachedPages;
  const total = m.managedPages;
  let committed = 0;
  for (const t of k.tasks.values()) if (t.mm) committed += t.mm.totalVm;
  return [
    line('MemTotal', kb(total)),
    line('MemFree', kb(Math.max(0, m.freePages))),
    line('Buffers', kb(m.buffersPages)),
    line('Cached', kb(cached)),
    line('SwapCached', 0),
    line('Active', kb(anon + Math.floor(cached / 2))),
    line('Inactive', kb(Math.ceil(cached / 2) + m.buffersPages)),
    line('Active(anon)', kb(anon)),
    line('Inactive(anon)', 0),
    line('Active(file)', kb(Math.floor(cached / 2))),
    line('Inactive(file)', kb(Math.ceil(cached / 2) + m.buffersPages)),
    line('Unevictable', 0),
    line('Mlocked', 0),
    line('SwapTotal', 0),
    line('SwapFree', 0),
    line('Dirty', 0),
    line('Writeback', 0),
    line('AnonPages', kb(anon)),
    line('Mapped', kb(Math.floor(cached / 3))),
    line('Shmem', 0),
    line('Slab', kb(m.slabPages)),
    line('SReclaimable', kb(Math.floor(m.slabPages / 3))),
    line('SUnreclaim', kb(m.slabPages - Math.floor(m.slabPages / 3))),
    line('KernelStack', 8 * k.tasks.size),
    line('PageTables', kb([...k.tasks.values()].reduce((n, t) => n + (t.mm?.ptes ?? 0), 0))),
    line('NFS_Unstable', 0),
    line('Bounce', 0),
    line('WritebackTmp', 0),
    line('CommitLimit', kb(Math.floor(total / 2))),
    line('Committed_AS', kb(committed)),
    line('VmallocTotal', 245760),
    line('VmallocUsed', 6428),
    line('VmallocChunk', 219132),
  ].join('');
}

function status(t: Task): string {
  const mm = t.mm;
  const ids = (v: number) => `${v}\t${v}\t${v}\t${v}`;
  const lines = [
    `Name:\t${t.comm}`,
    `State:\t${STATE_NAMES[t.state] ?? t.state}`,
    `Tgid:\t${t.pid}`,
    `Pid:\t${t.pid}`,
    `PPid:\t${t.ppid}`,
    'TracerPid:\t0',
    `Uid:\t${ids(t.uid)}`,
    `Gid:\t${ids(t.gid)}`,
    `FDSize:\t32`,
    'Groups:\t',
  ];
  if (mm) {
    const v = (label: string, kB: number) => `${label}:\t${String(kB).padStart(8)} kB`;
    lines.push(
      v('VmPeak', kb(mm.totalVm)), v('VmSize', kb(mm.totalVm)), v('VmLck', 0), v('VmPin', 0), v('VmHWM', kb(mm.rss)),
      v('VmRSS', kb(mm.rss)), v('VmData', kb(Math.max(0, mm.totalVm - 400))), v('VmStk', 136), v('VmExe', 148),
      v('VmLib', 1456), v('VmPTE', kb(mm.ptes)), v('VmSwap', 0),
    );
  }
  const ignored = [...t.dispositions].filter(([, d]) => d === 'ignore').reduce((m, [s]) => m | (1 << (s - 1)), 0);
  const cap = t.uid === 0 ? 'ffffffffffffffff' : '0000000000000000';
  lines.push(
    'Threads:\t1', 'SigQ:\t0/6735', 'SigPnd:\t0000000000000000', 'ShdPnd:\t0000000000000000',
    'SigBlk:\t0000000000000000', `SigIgn:\t${(ignored >>> 0).toString(16).padStart(16, '0')}`, 'SigCgt:\t0000000000000000',
    'CapInh:\t0000000000000000', `CapPrm:\t${cap}`, `CapEff:\t${cap}`, 'CapBnd:\tffffffffffffffff',
    'Cpus_allowed:\t1', 'Cpus_allowed_list:\t0', 'voluntary_ctxt_switches:\t1', 'nonvoluntary_ctxt_switches:\t0',
  );
  return `${lines.join('\n')}\n`;
}

function stat(t: Task): string {
  const mm = t.mm;
  const ticks = Math.floor(t.startNs / 1e7);
  const flags = t.kthread ? 0x00208040 : 0x00400100;
  const f = [
    t.pid, `(${t.comm})`, t.state, t.ppid, t.pgid, t.sid, 0, -1, flags, 120, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1, 0, ticks,
    (mm?.totalVm ?? 0) * PAGE_SIZE, mm?.rss ?? 0, 4294967295, mm ? 32768 : 0, mm ? 65536 : 0, mm ? 0xbe8a1c50 : 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, mm ? 98304 : 0, mm ? 99500 : 0, mm ? 110592 : 0,
  ];
  return `${f.join(' ')}\n`;
}

/** Blocks a kernel-log reader until printk writes; returns the cancel. */
function wakeOnPrintk(k: Kernel, wake: () => void): () => void {
  const off = k.printk.onWrite(() => {
    off();
    wake();
  });
  return off;
}

/** /proc/kmsg: a consuming reader that blocks until printk writes. */
function kmsgStream(k: Kernel): OpenFile {
  return {
    wchan: 'do_syslog',
    read(max): ReadResult {
      const out = k.printk.consume(max);
      return out.length > 0 ? out : 'again';
    },
    write() {
      throw new FsError('EINVAL', 'Invalid argument');
    },
    waitReadable: (wake) => wakeOnPrintk(k, wake),
    close() {},
  };
}

/** /dev/kmsg: structured records; a reader overtaken by the ring skips to the oldest record left. */
export function devKmsg(k: Kernel, forWrite: boolean): OpenFile {
  let seq = k.printk.firstSeq();
  return {
    wchan: 'devkmsg_read',
    read(): ReadResult {
      let r = k.printk.readRecord(seq);
      if (r.kind === 'lost') {
        seq = k.printk.firstSeq();
        r = k.printk.readRecord(seq);
      }
      if (r.kind === 'empty' || r.kind === 'lost') return 'again';
      seq++;
      return latin1Encode(r.line);
    },
    write(data) {
      if (!forWrite) throw new FsError('EINVAL', 'Invalid argument');
      const text = latin1Decode(data).replace(/\n$/, '');
      const m = /^<(\d)>(.*)$/s.exec(text);
      k.log(m ? Number(m[1]) : KERN_INFO, m ? m[2]! : text);
    },
    waitReadable: (wake) => wakeOnPrintk(k, wake),
    close() {},
  };
}

const CPUINFO = `Processor\t: ARMv7 Processor rev 0 (v7l)
BogoMIPS\t: 531.66
Features\t: swp half thumb fastmult vfp edsp neon vfpv3 tls
CPU implementer\t: 0x41
CPU architecture: 7
CPU variant\t: 0x0
CPU part\t: 0xc08
CPU revision\t: 0

Hardware\t: Goldfish
Revision\t: 0000
Serial\t\t: 0000000000000000
`;
