import type { SharedFile } from '../fs/open-file.js';
import type { Mm } from './mm.js';
import type { SignalDisposition } from './signals.js';
import type { Process } from './process.js';

export type TaskState = 'R' | 'S' | 'D' | 'T' | 'Z';

export interface TaskInit {
  pid: number;
  parent: Task | null;
  uid: number;
  gid: number;
  comm: string;
  cmdline: string[];
  mm: Mm | null;
  kthread?: boolean;
  startNs: number;
  pc: number;
}

/** task_struct: identity, credentials, address space, files, signals, family. */
export class Task {
  readonly pid: number;
  parent: Task | null;
  readonly children = new Set<Task>();
  uid: number;
  gid: number;
  comm: string;
  cmdline: string[];
  state: TaskState = 'S';
  mm: Mm | null;
  readonly kthread: boolean;
  readonly startNs: number;
  /** Where the task sleeps, as /proc/<pid>/wchan names it ("hrtimer_nanosleep", "pipe_wait", ...). */
  wchan = '';
  pc: number;
  sid: number;
  pgid: number;
  cwd = '/';
  env = new Map<string, string>();
  readonly fds = new Map<number, SharedFile>();
  readonly dispositions = new Map<number, SignalDisposition>();
  oomScoreAdj = 0;
  /** PF_EXITING */
  exiting = false;
  fatalSignalPending = false;
  /** Wait status once a zombie. */
  exitStatus: number | null = null;
  /** Reaped as soon as it exits (children of init, background jobs whose parent ignores SIGCHLD). */
  autoReap = false;
  process: Process | null = null;
  /** Called when a child of this task changes state (exits). */
  readonly childWaiters = new Set<() => void>();
  readonly exitListeners = new Set<(t: Task) => void>();
  /** Drifting resident size of an idle app process, pages. */
  drift: { minPages: number; maxPages: number } | null = null;

  constructor(init: TaskInit) {
    this.pid = init.pid;
    this.parent = init.parent;
    this.uid = init.uid;
    this.gid = init.gid;
    this.comm = init.comm.slice(0, 15);
    this.cmdline = init.cmdline;
    this.mm = init.mm;
    this.kthread = init.kthread ?? false;
    this.startNs = init.startNs;
    this.pc = init.pc;
    this.sid = init.parent?.sid ?? init.pid;
    this.pgid = init.parent?.pgid ?? init.pid;
  }

  get ppid(): number {
    return this.parent?.pid ?? 0;
  }

  get alive(): boolean {
    return this.state !== 'Z' && !this.exiting;
  }

  get zombie(): boolean {
    return this.state === 'Z';
  }

  /** What ps prints in NAME: argv[0], or the comm when there is no cmdline (kernel threads). */
  get displayName(): string {
    return this.cmdline[0] ?? this.comm;
  }
}
