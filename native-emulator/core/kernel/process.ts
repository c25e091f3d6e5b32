import { FsError } from '../device-api.js';
import { utf8Encode } from '../util/bytes.js';
import { EBADF, EPIPE, errnoOf } from '../util/errno.js';
import type { Kernel } from './kernel.js';
import { exitedStatus } from './signals.js';
import type { Task } from './task.js';

/** What a program yields when it must block (or may be killed while it waits). */
export type Blocker =
  | { op: 'sleep'; ns: number }
  | { op: 'read'; fd: number; max?: number }
  | { op: 'wait'; pid?: number }
  | { op: 'touch'; pages: number }
  | { op: 'pause' }
  | { op: 'yield' };

export interface WaitResult {
  pid: number;
  status: number;
}

export type ProgramBody = Generator<Blocker, number, unknown>;
export type ProgramMain = (p: Process) => ProgramBody;

const BLOCKED: unique symbol = Symbol('blocked');

const WCHAN: Record<Blocker['op'], string> = {
  sleep: 'hrtimer_nanosleep',
  read: 'pipe_wait',
  wait: 'do_wait',
  touch: '',
  pause: 'sys_pause',
  yield: '',
};

/** A running program: drives its generator on the kernel's timers, blocking and waking as the task does. */
export class Process {
  private body: ProgramBody | null = null;
  private cancelWait: (() => void) | null = null;

  constructor(readonly kernel: Kernel, readonly task: Task, public argv: string[]) {}

  get dead(): boolean {
    return this.task.zombie || this.task.exiting;
  }

  get cred(): { uid: number; gid: number } {
    return { uid: this.task.uid, gid: this.task.gid };
  }

  get cwd(): string {
    return this.task.cwd;
  }

  env(name: string): string | undefined {
    return this.task.env.get(name);
  }

  /** Starts main at the next scheduler turn. */
  start(main: ProgramMain): void {
    this.body = main(this);
    this.task.state = 'R';
    this.kernel.timers.schedule(0, () => this.resume(undefined));
  }

  /** The task died: stop driving it. */
  abort(): void {
    this.cancelWait?.();
    this.cancelWait = null;
    this.body = null;
  }

  private resume(value: unknown): void {
    this.cancelWait = null;
    const body = this.body;
    if (!body || this.dead) return;
    this.task.state = 'R';
    this.task.wchan = '';
    this.kernel.currentPid = this.task.pid;
    for (;;) {
      let step: IteratorResult<Blocker, number>;
      try {
        step = body.next(value);
      } catch (e) {
        if (this.dead) return;
        this.writeErr(`${this.argv[0] ?? this.task.comm}: ${e instanceof Error ? e.message : String(e)}\n`);
        this.kernel.exitTask(this.task, exitedStatus(1));
        return;
      }
      if (this.dead) return;
      if (step.done) {
        this.kernel.exitTask(this.task, exitedStatus(step.value));
        return;
      }
      const outcome = this.handle(step.value);
      if (outcome === BLOCKED) return;
      value = outcome.value;
    }
  }

  private block(op: Blocker['op'], cancel: () => void): typeof BLOCKED {
    this.task.state = 'S';
    this.task.wchan = WCHAN[op];
    this.cancelWait = cancel;
    return BLOCKED;
  }

  private handle(b: Blocker): { value: unknown } | typeof BLOCKED {
    switch (b.op) {
      case 'sleep': {
        const id = this.kernel.timers.schedule(b.ns, () => this.resume(undefined));
        return this.block('sleep', () => this.kernel.timers.cancel(id));
      }
      case 'yield': {
        const id = this.kernel.timers.schedule(0, () => this.resume(undefined));
        return this.block('yield', () => this.kernel.timers.cancel(id));
      }
      case 'pause':
        return this.block('pause', () => {});
      case 'touch':
        return { value: this.kernel.touchPages(this.task, b.pages) };
      case 'read': {
        const f = this.task.fds.get(b.fd);
        if (!f) return { value: null };
        let r;
        try {
          r = f.file.read(b.max ?? 65536);
        } catch {
          return { value: null };
        }
        if (r === 'eof') return { value: null };
        if (r !== 'again') return { value: r };
        if (!f.file.waitReadable) return { value: null };
        const unsubscribe = f.file.waitReadable(() => {
          this.kernel.timers.schedule(0, () => this.retry(b));
        });
        this.block('read', unsubscribe);
        this.task.wchan = f.file.wchan ?? WCHAN.read;
        return BLOCKED;
      }
      case 'wait': {
        const result = this.kernel.reapChild(this.task, b.pid);
        if (result !== 'again') return { value: result };
        const wake = () => this.kernel.timers.schedule(0, () => this.retry(b));
        this.task.childWaiters.add(wake);
        return this.block('wait', () => this.task.childWaiters.delete(wake));
      }
    }
  }

  private retry(b: Blocker): void {
    if (!this.body || this.dead) return;
    this.cancelWait?.();
    this.cancelWait = null;
    const outcome = this.handle(b);
    if (outcome !== BLOCKED) this.resume(outcome.value);
  }

  /** write(2): 0, or the errno it failed with. */
  write(fd: number, data: Uint8Array | string): number {
    if (this.dead) return EPIPE;
    const f = this.task.fds.get(fd);
    if (!f) return EBADF;
    try {
      f.file.write(typeof data === 'string' ? utf8Encode(data) : data);
      return 0;
    } catch (e) {
      if (e instanceof FsError) return errnoOf(e.code);
      throw e;
    }
  }

  out(s: string): void {
    this.write(1, s);
  }

  writeErr(s: string): void {
    this.write(2, s);
  }
}


/** Typed wrappers so programs read as `const data = yield* sys.read(0)`. */
export const sys = {
  *sleep(ns: number): Generator<Blocker, void, unknown> {
    yield { op: 'sleep', ns };
  },
  *read(fd: number, max?: number): Generator<Blocker, Uint8Array | null, unknown> {
    return (yield { op: 'read', fd, max }) as Uint8Array | null;
  },
  *wait(pid?: number): Generator<Blocker, WaitResult | null, unknown> {
    return (yield { op: 'wait', pid }) as WaitResult | null;
  },
  *touch(pages: number): Generator<Blocker, boolean, unknown> {
    return (yield { op: 'touch', pages }) as boolean;
  },
  *pause(): Generator<Blocker, void, unknown> {
    yield { op: 'pause' };
  },
  *yieldNow(): Generator<Blocker, void, unknown> {
    yield { op: 'yield' };
  },
};

/** A program that never blocks. */
export const instant = (fn: (p: Process) => number): ProgramMain =>
  function* (p) {
    return fn(p);
  };
