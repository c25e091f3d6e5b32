import { FsError } from '../device-api.js';
import { Pipe, SharedFile } from '../fs/open-file.js';
import { resolveExecutable } from '../kernel/exec.js';
import { sys, type Blocker, type Process } from '../kernel/process.js';
import { statusToShellCode } from '../kernel/signals.js';
import { latin1Decode } from '../util/bytes.js';
import { errnoOf, strerror } from '../util/errno.js';
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand } from './ast.js';
import { BUILTINS, ExitRequest } from './builtins.js';
import { expandWord } from './expand.js';
import { ShellSyntaxError } from './lexer.js';
import { parse } from './parser.js';

type Run<T = number> = Generator<Blocker, T, unknown>;
type FdTable = Map<number, SharedFile>;

export interface ShellInit {
  argv0: string;
  positional: string[];
  vars?: Map<string, string>;
  exported?: Set<string>;
  topPid?: number;
}

/** mksh, as far as the emulator's users need it. Runs inside the shell's own process. */
export class Shell {
  readonly vars: Map<string, string>;
  readonly exported: Set<string>;
  status = 0;
  lastBackground = 0;
  readonly argv0: string;
  readonly positional: string[];
  private readonly topPid: number;

  constructor(readonly p: Process, init: ShellInit) {
    this.argv0 = init.argv0;
    this.positional = init.positional;
    this.vars = new Map(init.vars ?? p.task.env);
    this.exported = new Set(init.exported ?? p.task.env.keys());
    this.topPid = init.topPid ?? p.task.pid;
  }

  error(msg: string): void {
    this.p.writeErr(`${this.argv0}: ${msg}\n`);
  }

  variable(name: string): string | undefined {
    switch (name) {
      case '?': return String(this.status);
      case '$': return String(this.topPid);
      case '!': return this.lastBackground ? String(this.lastBackground) : '';
      case '#': return String(this.positional.length);
      case '0': return this.argv0;
      case '@':
      case '*': return this.positional.join(' ');
      case 'PWD': return this.p.task.cwd;
    }
    if (/^[1-9]$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  environment(extra?: Map<string, string>): Map<string, string> {
    const env = new Map<string, string>();
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env.set(name, v);
    }
    for (const [k, v] of extra ?? []) env.set(k, v);
    return env;
  }

  /** Parses and runs source; syntax errors print as mksh does. Throws ExitRequest on `exit`. */
  *runSource(src: string): Run {
    let list: List;
    try {
      list = parse(src);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.error(e.message);
      this.status = 1;
      return this.status;
    }
    return yield* this.runList(list);
  }

  *runList(list: List): Run {
    for (const item of list) {
      if (item.background) this.startBackground(item);
      else this.status = yield* this.runAndOr(item);
    }
    return this.status;
  }

  private *runAndOr(item: AndOr): Run {
    let status = yield* this.runPipeline(item.first);
    for (const { op, pipeline } of item.rest) {
      this.status = status;
      if ((op === '&&') === (status === 0)) status = yield* this.runPipeline(pipeline);
    }
    return status;
  }

  private startBackground(item: AndOr): void {
    const single = item.rest.length === 0 && item.first.commands.length === 1 && !item.first.negate ? item.first.commands[0]! : null;
    let pid: number | undefined;
    if (single?.type === 'simple') pid = this.spawnSimple(single, this.currentFds(), true);
    else pid = this.forkShell(this.currentFds(), (sub) => sub.runAndOr({ ...item, background: false }));
    if (pid !== undefined) {
      const task = this.p.kernel.findTask(pid);
      if (task) task.autoReap = true;
      this.lastBackground = pid;
    }
    this.status = 0;
  }

  private currentFds(): FdTable {
    return new Map(this.p.task.fds);
  }

  private *runPipeline(pl: Pipeline): Run {
    let status: number;
    if (pl.commands.length === 1) {
      status = yield* this.runCommand(pl.commands[0]!);
    } else {
      const pids: number[] = [];
      let input: SharedFile | null = null;
      pl.commands.forEach((cmd, i) => {
        const fds = this.currentFds();
        if (input) fds.set(0, input);
        let pipe: Pipe | null = null;
        if (i < pl.commands.length - 1) {
          pipe = new Pipe();
          fds.set(1, new SharedFile(pipe.writeEnd));
        }
        const pid = cmd.type === 'simple' ? this.spawnSimple(cmd, fds, true) : this.forkShell(fds, (sub) => sub.runCommand(cmd));
        if (pid !== undefined) pids.push(pid);
        if (pipe) fds.get(1)!.release();
        input?.release();
        input = pipe ? new SharedFile(pipe.readEnd) : null;
      });
      status = 0;
      for (const pid of pids) {
        const r = yield* sys.wait(pid);
        status = r ? statusToShellCode(r.status) : 127;
      }
    }
    return pl.negate ? (status === 0 ? 1 : 0) : status;
  }

  /** A command in this process (builtins, assignments) or in a waited-for child (programs, subshells). */
  *runCommand(cmd: Command): Run {
    if (cmd.type === 'subshell') {
      const pid = this.forkShell(this.currentFds(), (sub) => sub.runSubshell(cmd.body, cmd.redirects));
      const r = yield* sys.wait(pid);
      return r ? statusToShellCode(r.status) : 1;
    }
    const argv = this.expandArgs(cmd);
    if (argv.length === 0) {
      const redirected = this.redirect(cmd.redirects, this.currentFds());
      if (!redirected) return 1;
      for (const f of redirected.opened) f.release();
      for (const a of cmd.assigns) this.vars.set(a.name, this.expandValue(a.value));
      return 0;
    }
    const builtin = BUILTINS[argv[0]!];
    if (builtin) return yield* this.runBuiltinHere(builtin, argv, cmd.redirects);
    const pid = this.spawnSimple(cmd, this.currentFds(), false, argv);
    if (pid === undefined) return this.status;
    const r = yield* sys.wait(pid);
    return r ? statusToShellCode(r.status) : 127;
  }

  private *runSubshell(body: List, redirects: Redirect[]): Run {
    const redirected = this.redirect(redirects, this.currentFds());
    if (!redirected) return 1;
    this.installFds(redirected.fds, redirected.opened);
    try {
      return yield* this.runList(body);
    } catch (e) {
      if (e instanceof ExitRequest) return e.code;
      throw e;
    }
  }

  private *runBuiltinHere(builtin: (typeof BUILTINS)[string], argv: string[], redirects: Redirect[]): Run {
    const redirected = this.redirect(redirects, this.currentFds());
    if (!redirected) return 1;
    const task = this.p.task;
    const saved = new Map(task.fds);
    task.fds.clear();
    for (const [fd, f] of redirected.fds) task.fds.set(fd, f);
    try {
      return yield* builtin(this, argv);
    } finally {
      task.fds.clear();
      for (const [fd, f] of saved) task.fds.set(fd, f);
      for (const f of redirected.opened) f.release();
    }
  }

  private expandArgs(cmd: SimpleCommand): string[] {
    const ctx = { variable: (n: string) => this.variable(n), vfs: this.p.kernel.vfs, cwd: this.p.task.cwd, cred: this.p.cred };
    return cmd.words.flatMap((w) => expandWord(w, ctx));
  }

  private expandValue(word: SimpleCommand['words'][number]): string {
    const ctx = { variable: (n: string) => this.variable(n), vfs: this.p.kernel.vfs, cwd: this.p.task.cwd, cred: this.p.cred };
    return expandWord(word.map((part) => ({ ...part, quoted: true })), ctx).join(' ');
  }

  /** Opens the redirections on top of base; undefined (after printing) when one fails. */
  private redirect(redirects: Redirect[], base: FdTable): { fds: FdTable; opened: SharedFile[] } | undefined {
    const fds = new Map(base);
    const opened: SharedFile[] = [];
    for (const r of redirects) {
      if (r.op === 'dup') {
        const src = fds.get(r.target);
        if (!src) {
          this.error(`${r.target}: bad file descriptor`);
          opened.forEach((f) => f.release());
          return undefined;
        }
        fds.set(r.fd, src);
        continue;
      }
      const path = this.expandValue(r.target);
      try {
        const file = this.p.kernel.vfs.open(
          path,
          r.op === '<' ? { read: true } : { write: true, create: true, truncate: r.op === '>', append: r.op === '>>' },
          0o666,
          this.p.cred,
          this.p.task.cwd,
        );
        const shared = new SharedFile(file);
        opened.push(shared);
        fds.set(r.fd, shared);
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
        this.error(`can't ${r.op === '<' ? 'open' : 'create'} ${path}: ${strerror(errnoOf(e.code))}`);
        opened.forEach((f) => f.release());
        return undefined;
      }
    }
    return { fds, opened };
  }

  private installFds(fds: FdTable, opened: SharedFile[]): void {
    const task = this.p.task;
    for (const [fd, f] of fds) if (task.fds.get(fd) !== f) this.p.kernel.setFd(task, fd, f.acquire());
    for (const fd of [...task.fds.keys()]) if (!fds.has(fd)) this.p.kernel.closeFd(task, fd);
    for (const f of opened) f.release();
  }

  /** Runs body in a forked copy of this shell with the given fds; returns the child's pid. */
  private forkShell(fds: FdTable, body: (sub: Shell) => Run): number {
    const parent = this;
    const child = this.p.kernel.fork(this.p.task, function* (c) {
      const sub = new Shell(c, { argv0: parent.argv0, positional: [...parent.positional], vars: parent.vars, exported: parent.exported, topPid: parent.topPid });
      sub.status = parent.status;
      sub.installFds(fds, []);
      try {
        return yield* body(sub);
      } catch (e) {
        if (e instanceof ExitRequest) return e.code;
        throw e;
      }
    });
    return child.pid;
  }

  /** Starts a simple command as a child process; undefined (status set) when it cannot run. */
  private spawnSimple(cmd: SimpleCommand, base: FdTable, forked: boolean, expanded?: string[]): number | undefined {
    const argv = expanded ?? this.expandArgs(cmd);
    if (argv.length === 0 || BUILTINS[argv[0]!]) {
      if (!forked && argv.length === 0) return undefined;
      return this.forkShell(base, (sub) => sub.runCommand(cmd));
    }
    const redirected = this.redirect(cmd.redirects, base);
    if (!redirected) {
      this.status = 1;
      return forked ? this.forkShell(base, function* () { return 1; }) : undefined;
    }
    const extraEnv = new Map(cmd.assigns.map((a) => [a.name, this.expandValue(a.value)]));
    const fail = (code: number, msg: string): number | undefined => {
      for (const f of redirected.opened) f.release();
      const err = `${this.argv0}: ${argv[0]}: ${msg}\n`;
      if (forked) {
        return this.forkShell(redirected.fds, function* (sub) {
          sub.p.writeErr(err);
          return code;
        });
      }
      this.p.writeErr(err);
      this.status = code;
      return undefined;
    };
    const path = this.findCommand(argv[0]!);
    if (!path) return fail(127, 'not found');
    const exe = resolveExecutable(this.p.kernel, path, argv, this.p.task.cwd, this.p.cred);
    if (!exe.ok) {
      if (exe.errno === 2) return fail(127, 'not found');
      if (exe.errno === 13) return fail(126, "can't execute: Permission denied");
      return fail(126, exe.message);
    }
    const task = this.p.kernel.spawn({
      parent: this.p.task,
      argv: exe.argv,
      main: exe.main,
      comm: exe.comm,
      fds: redirected.fds,
      env: this.environment(extraEnv),
      image: exe.image,
    });
    for (const f of redirected.opened) f.release();
    return task.pid;
  }

  private findCommand(name: string): string | undefined {
    if (name.includes('/')) return name;
    for (const dir of (this.vars.get('PATH') ?? '/system/bin').split(':')) {
      if (!dir) continue;
      const candidate = `${dir}/${name}`;
      const r = this.p.kernel.vfs.tryResolve(candidate, '/', true, this.p.cred);
      if (r && r.inode.type !== 0o040000) return candidate;
    }
    return undefined;
  }

  /** Reads one line from fd 0; null at end of input. */
  *readLine(buffer: { pending: string }): Run<string | null> {
    for (;;) {
      const nl = buffer.pending.indexOf('\n');
      if (nl >= 0) {
        const line = buffer.pending.slice(0, nl);
        buffer.pending = buffer.pending.slice(nl + 1);
        return line;
      }
      const data = yield* sys.read(0);
      if (data === null) {
        if (buffer.pending === '') return null;
        const rest = buffer.pending;
        buffer.pending = '';
        return rest;
      }
      buffer.pending += latin1Decode(data);
    }
  }
}
