import type { Scheduler } from '../clock.js';
import { bootIdFor } from './boot-id.js';
import type { DirInode, Inode } from '../fs/inode.js';
import type { SharedFile } from '../fs/open-file.js';
import { Vfs } from '../fs/vfs.js';
import { KNOWN_MODULES } from '../modules/known-modules.js';
import { ModuleLoader } from '../modules/loader.js';
import type { OomMode, ProcessSnapshot } from '../oom/decide.js';
import type { Rng } from '../time/rng.js';
import { NS_PER_S } from '../time/units.js';
import { EPERM, ESRCH } from '../util/errno.js';
import type { ProgramEntry } from './exec.js';
import { Mm, PAGE_SIZE, PhysicalMemory } from './mm.js';
import { outOfMemory } from './oom-kill.js';
import { Process, type ProgramMain, type WaitResult } from './process.js';
import { PrintkBuffer } from './printk.js';
import { SIGHUP, SIGKILL, signalledStatus, terminatesByDefault } from './signals.js';
import { SyscallTable } from './syscalls.js';
import { Task } from './task.js';
import { BootTimers } from './timers.js';

export interface KernelOptions {
  scheduler: Scheduler;
  rng: Rng;
  ramMiB: number;
  /** Wall clock (epoch seconds) at the moment this kernel boots. */
  epochSeconds: number;
  oomMode: OomMode;
  rootDir: DirInode;
  /** Uptime already elapsed when the kernel object is created (the boot it models took that long). */
  uptimeAtStartNs?: number;
  /** /proc/sys/kernel/random/boot_id: tells this boot from every other one. */
  bootId?: string;
}

export interface ImageSize {
  vmKiB: number;
  rssKiB: number;
  anonKiB: number;
}

export interface SpawnOptions {
  parent: Task;
  argv: string[];
  main: ProgramMain;
  comm?: string;
  uid?: number;
  gid?: number;
  cwd?: string;
  env?: Map<string, string>;
  /** fd → file; defaults to a copy of the parent's table. */
  fds?: Map<number, SharedFile>;
  image?: ImageSize;
}

const PID_MAX = 32768;
const RESERVED_PIDS = 300;
export const DEFAULT_IMAGE: ImageSize = { vmKiB: 2384, rssKiB: 304, anonKiB: 64 };

export class Kernel {
  readonly timers: BootTimers;
  readonly bootNs: number;
  readonly printk: PrintkBuffer;
  readonly mem: PhysicalMemory;
  readonly tasks = new Map<number, Task>();
  readonly syscalls = new SyscallTable();
  readonly vfs: Vfs;
  readonly rng: Rng;
  readonly oomMode: OomMode;
  readonly epochSeconds: number;
  readonly bootId: string;
  /** The idle task's child; parent of every orphan. */
  init!: Task;
  kthreadd!: Task;
  private lastPid = 0;
  /** Kernel-wide taint flags as /proc/sys/kernel/tainted counts them. */
  tainted = 0;
  globalOomKills = 0;
  /** The task whose program is running right now (for /proc/self). */
  currentPid: number | undefined;
  readonly modules: ModuleLoader;
  /** Build and runtime properties (getprop/setprop). */
  properties = new Map<string, string>();
  /** The device's reboot (reboot(2)); set by whoever owns the kernel. */
  onReboot: ((mode?: string) => void) | null = null;
  /** Programs the simulator implements, by marker name (toolbox, sh, oom, test, ...). */
  programs = new Map<string, ProgramEntry>();
  /** Entries modules add under /proc (mm_limits, mm_oom_check). */
  readonly procEntries = new Map<string, Inode>();

  constructor(opts: KernelOptions) {
    this.timers = new BootTimers(opts.scheduler);
    this.bootNs = opts.scheduler.now() - (opts.uptimeAtStartNs ?? 0);
    this.rng = opts.rng;
    this.oomMode = opts.oomMode;
    this.epochSeconds = opts.epochSeconds;
    this.bootId = opts.bootId ?? bootIdFor(0, 0);
    this.printk = new PrintkBuffer(() => this.uptimeNs());
    this.mem = new PhysicalMemory({ ramMiB: opts.ramMiB });
    this.vfs = new Vfs(opts.rootDir, () => this.wallSeconds());
    this.modules = new ModuleLoader(this, KNOWN_MODULES);
  }

  uptimeNs(): number {
    return this.timers.now() - this.bootNs;
  }

  wallSeconds(): number {
    return this.epochSeconds + Math.floor(this.uptimeNs() / NS_PER_S);
  }

  log(level: number, text: string): void {
    this.printk.log(level, text);
  }

  private allocPid(): number {
    for (let i = 0; i < PID_MAX; i++) {
      let pid = this.lastPid + 1;
      if (pid >= PID_MAX) pid = RESERVED_PIDS;
      this.lastPid = pid;
      if (!this.tasks.has(pid)) return pid;
    }
    throw new Error('out of pids');
  }

  /** Registers a task; used for kernel threads and the boot image. */
  createTask(init: Omit<ConstructorParameters<typeof Task>[0], 'pid' | 'startNs' | 'pc'> & { pid?: number }): Task {
    const pid = init.pid ?? this.allocPid();
    if (init.pid !== undefined) this.lastPid = Math.max(this.lastPid, pid);
    const task = new Task({ ...init, pid, startNs: this.uptimeNs(), pc: 0xb6f00000 + (this.rng.nextU32() & 0xfffff) * 4 });
    this.tasks.set(pid, task);
    init.parent?.children.add(task);
    if (task.mm) this.mem.taskPages += task.mm.rss + task.mm.ptes;
    return task;
  }

  imageMm(image: ImageSize): Mm {
    const page = (kib: number) => Math.ceil(kib / 4);
    return new Mm({ totalVm: page(image.vmKiB), anonRss: page(image.anonKiB), fileRss: page(image.rssKiB - image.anonKiB) });
  }

  /** fork() + execve(): a new task running main. */
  spawn(opts: SpawnOptions): Task {
    const parent = opts.parent;
    const task = this.createTask({
      parent,
      uid: opts.uid ?? parent.uid,
      gid: opts.gid ?? parent.gid,
      comm: opts.comm ?? basename(opts.argv[0] ?? 'sh'),
      cmdline: opts.argv,
      mm: this.imageMm(opts.image ?? DEFAULT_IMAGE),
    });
    task.cwd = opts.cwd ?? parent.cwd;
    task.env = new Map(opts.env ?? parent.env);
    task.oomScoreAdj = parent.oomScoreAdj;
    if (opts.fds) for (const [fd, f] of opts.fds) task.fds.set(fd, f.acquire());
    else for (const [fd, f] of parent.fds) task.fds.set(fd, f.acquire());
    const proc = new Process(this, task, opts.argv);
    task.process = proc;
    proc.start(opts.main);
    return task;
  }

  /** fork(): the child runs main with the parent's identity, files and a copy of its address space. */
  fork(parent: Task, main: ProgramMain): Task {
    const task = this.createTask({
      parent,
      uid: parent.uid,
      gid: parent.gid,
      comm: parent.comm,
      cmdline: [...parent.cmdline],
      mm: parent.mm ? parent.mm.clone() : null,
    });
    task.cwd = parent.cwd;
    task.env = new Map(parent.env);
    task.oomScoreAdj = parent.oomScoreAdj;
    task.sid = parent.sid;
    task.pgid = parent.pgid;
    for (const [sig, d] of parent.dispositions) task.dispositions.set(sig, d);
    for (const [fd, f] of parent.fds) task.fds.set(fd, f.acquire());
    const proc = new Process(this, task, [...(parent.process?.argv ?? parent.cmdline)]);
    task.process = proc;
    proc.start(main);
    return task;
  }

  closeFd(task: Task, fd: number): void {
    const f = task.fds.get(fd);
    if (f) {
      task.fds.delete(fd);
      f.release();
    }
  }

  setFd(task: Task, fd: number, file: SharedFile): void {
    this.closeFd(task, fd);
    task.fds.set(fd, file);
  }

  /** do_exit(): release files and memory, become a zombie, hand the children to init, tell the parent. */
  exitTask(task: Task, status: number): void {
    if (task.zombie || task.exiting) return;
    task.exiting = true;
    task.process?.abort();
    for (const fd of [...task.fds.keys()]) this.closeFd(task, fd);
    this.dropMm(task);
    task.state = 'Z';
    task.exitStatus = status;
    task.wchan = '';
    for (const child of [...task.children]) {
      task.children.delete(child);
      child.parent = this.init;
      this.init.children.add(child);
      if (child.zombie) this.reap(child);
    }
    for (const l of [...task.exitListeners]) l(task);
    const parent = task.parent;
    if (!parent || parent === this.init || parent.kthread || task.autoReap || parent.zombie) {
      this.reap(task);
      return;
    }
    const waiters = [...parent.childWaiters];
    parent.childWaiters.clear();
    for (const w of waiters) w();
  }

  private dropMm(task: Task): void {
    if (!task.mm) return;
    this.mem.taskPages -= task.mm.rss + task.mm.ptes;
    task.mm = null;
  }

  private reap(task: Task): void {
    this.tasks.delete(task.pid);
    task.parent?.children.delete(task);
  }

  /** wait4(): a zombie child's status, null without (matching) children (ECHILD), 'again' to block. */
  reapChild(parent: Task, pid?: number): WaitResult | null | 'again' {
    let any = false;
    for (const child of parent.children) {
      if (pid !== undefined && pid > 0 && child.pid !== pid) continue;
      any = true;
      if (child.zombie) {
        this.reap(child);
        return { pid: child.pid, status: child.exitStatus ?? 0 };
      }
    }
    return any ? 'again' : null;
  }

  /** kill(): 0 or -errno. sender undefined: the kernel itself. */
  kill(pid: number, sig: number, sender?: Task): number {
    const task = this.tasks.get(pid);
    if (!task) return -ESRCH;
    if (sender && sender.uid !== 0 && sender.uid !== task.uid) return -EPERM;
    this.deliver(task, sig);
    return 0;
  }

  deliver(task: Task, sig: number): void {
    if (sig === 0 || task.zombie || task.exiting || task.kthread) return;
    if (task === this.init) return;
    if (sig === SIGKILL) {
      task.fatalSignalPending = true;
      this.exitTask(task, signalledStatus(SIGKILL));
      return;
    }
    const disposition = task.dispositions.get(sig) ?? 'default';
    if (disposition === 'ignore' || !terminatesByDefault(sig)) return;
    this.exitTask(task, signalledStatus(sig));
  }

  /** SIGHUP to every task of a session (the host hung up). */
  hangup(sid: number): void {
    for (const t of [...this.tasks.values()]) if (t.sid === sid && !t.kthread) this.deliver(t, SIGHUP);
  }

  /** Reserves address space; overcommit means no physical page is used yet. */
  growVm(task: Task, pages: number): void {
    if (!task.mm) return;
    const before = task.mm.ptes;
    task.mm.totalVm = Math.max(0, task.mm.totalVm + pages);
    this.mem.taskPages += task.mm.ptes - before;
  }

  /** Faults in pages; may run the kernel OOM killer. false if the task died or nothing could be freed. */
  touchPages(task: Task, pages: number): boolean {
    for (let attempt = 0; attempt < 1000; attempt++) {
      if (!task.mm || task.zombie || task.exiting) return false;
      if (this.mem.reclaim(pages)) {
        task.mm.anonRss += pages;
        this.mem.taskPages += pages;
        return true;
      }
      if (!outOfMemory(this, task)) {
        this.deliver(task, SIGKILL);
        return false;
      }
    }
    return false;
  }

  /** Changes resident anon pages without reclaim or OOM: idle app drift. Returns whether it fit. */
  adjustRss(task: Task, deltaPages: number): boolean {
    if (!task.mm) return false;
    const delta = Math.max(deltaPages, -task.mm.anonRss);
    if (delta > 0 && !this.mem.reclaim(delta)) return false;
    task.mm.anonRss += delta;
    this.mem.taskPages += delta;
    return true;
  }

  /** The task list as the per-uid OOM decision sees it. */
  oomSnapshot(): ProcessSnapshot[] {
    const out: ProcessSnapshot[] = [];
    for (const t of this.tasks.values()) {
      if (t.kthread) continue;
      out.push({
        pid: t.pid,
        uid: t.uid,
        rss: t.mm ? t.mm.rss * PAGE_SIZE : 0,
        comm: t.comm,
        hasMm: t.mm !== null,
        alive: !t.zombie,
        exiting: t.exiting,
        signalled: t.fatalSignalPending,
      });
    }
    return out;
  }

  findTask(pid: number): Task | undefined {
    return this.tasks.get(pid);
  }

  shutdown(): void {
    this.timers.shutdown();
    for (const t of this.tasks.values()) t.process?.abort();
  }
}

export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
