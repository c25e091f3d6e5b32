/**
 * A small, honest DeviceApi for protocol tests: files in a Map, and a shell that knows only
 * `echo [...] [>&2]`, `exit N`, `cat [FILE...]` (no FILE: copies stdin), `sleep S` (on the scheduler), `ls [DIR]`,
 * `true`, `false`; statements separated by `;` or newlines. The simulated device is tested through the same seam.
 */
import type { Scheduler } from '../../clock.js';
import {
  type DeviceApi,
  type DeviceFs,
  type DeviceState,
  type DirEntry,
  type FileStat,
  type FileWriter,
  FsError,
  type ShellHandle,
  type ShellIo,
  type ShellRequest,
} from '../../device-api.js';
import { concatBytes, decodeUtf8, encodeUtf8 } from '../bytes.js';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

interface Node {
  kind: 'file' | 'dir';
  data: Uint8Array;
  mode: number;
  mtime: number;
  ino: number;
}

export interface MemoryDeviceOptions {
  scheduler: Scheduler;
  /** Device wall clock at boot, seconds (default 1_592_000_000). */
  epochSeconds?: number;
  properties?: Record<string, string>;
  /** How long a reboot keeps the device offline, then booting (ns). */
  rebootOfflineNs?: number;
  rebootBootNs?: number;
  runsAsRoot?: boolean;
}

export class MemoryDevice implements DeviceApi {
  private stateValue: DeviceState = 'device';
  private readonly listeners = new Set<(s: DeviceState) => void>();
  private readonly nodes = new Map<string, Node>();
  private readonly sessions = new Set<Session>();
  private nextIno = 100;
  readonly runsAsRoot: boolean;
  readonly fs: DeviceFs;
  readonly scheduler: Scheduler;
  reboots = 0;

  constructor(private readonly options: MemoryDeviceOptions) {
    this.scheduler = options.scheduler;
    this.runsAsRoot = options.runsAsRoot ?? true;
    for (const dir of ['/', '/data', '/data/local', '/data/local/tmp', '/data/misc', '/sdcard', '/system', '/proc']) {
      this.nodes.set(dir, this.node('dir', 0o771));
    }
    this.nodes.set('/system/build.prop', this.node('file', 0o644, encodeUtf8('ro.product.name=sdk\n')));
    this.fs = new MemoryFs(this);
  }

  get state(): DeviceState {
    return this.stateValue;
  }

  properties(): Readonly<Record<string, string>> {
    return {
      'ro.product.name': 'sdk_gphone_x86_64',
      'ro.product.model': 'Goldfish OOM sim',
      'ro.product.device': 'generic_x86_64',
      ...this.options.properties,
    };
  }

  /** Seconds on the device wall clock. */
  wallSeconds(): number {
    return (this.options.epochSeconds ?? 1_592_000_000) + Math.floor(this.scheduler.now() / 1e9);
  }

  node(kind: Node['kind'], mode: number, data: Uint8Array = new Uint8Array(0)): Node {
    return { kind, data, mode, mtime: this.wallSeconds(), ino: this.nextIno++ };
  }

  get files(): Map<string, Node> {
    return this.nodes;
  }

  spawnShell(request: ShellRequest, io: ShellIo): ShellHandle {
    if (this.stateValue !== 'device') throw new Error('device offline');
    const session = new Session(this, request, io, () => this.sessions.delete(session));
    this.sessions.add(session);
    session.start();
    return session;
  }

  reboot(): void {
    this.reboots++;
    for (const s of [...this.sessions]) s.hangup();
    this.setState('offline');
    this.scheduler.schedule(this.options.rebootOfflineNs ?? 200e6, () => {
      this.setState('booting');
      this.scheduler.schedule(this.options.rebootBootNs ?? 300e6, () => this.setState('device'));
    });
  }

  onStateChange(listener: (state: DeviceState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Used by the edge to stop the device (e.g. SIGTERM): it goes offline for good. */
  powerOff(): void {
    for (const s of [...this.sessions]) s.hangup();
    this.setState('offline');
  }

  private setState(state: DeviceState): void {
    this.stateValue = state;
    for (const l of [...this.listeners]) l(state);
  }
}

function normalize(path: string): string {
  if (!path.startsWith('/')) throw new FsError('ENOENT', `${path}: relative paths are not supported`);
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

class MemoryFs implements DeviceFs {
  constructor(private readonly dev: MemoryDevice) {}

  private get(path: string): Node {
    const p = normalize(path);
    const node = this.dev.files.get(p);
    if (!node) {
      const parent = this.dev.files.get(parentOf(p));
      if (parent && parent.kind !== 'dir') throw new FsError('ENOTDIR', `${path}: Not a directory`);
      throw new FsError('ENOENT', `${path}: No such file or directory`);
    }
    return node;
  }

  private statOf(node: Node): FileStat {
    return {
      mode: (node.kind === 'dir' ? S_IFDIR : S_IFREG) | node.mode,
      size: node.kind === 'dir' ? 4096 : node.data.length,
      uid: 0,
      gid: 0,
      mtime: node.mtime,
      atime: node.mtime,
      ctime: node.mtime,
      ino: node.ino,
      nlink: node.kind === 'dir' ? 2 : 1,
      dev: 0xfd00,
    };
  }

  stat(path: string): FileStat {
    return this.statOf(this.get(path));
  }

  list(path: string): DirEntry[] {
    const dir = normalize(path);
    const node = this.get(dir);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', `${path}: Not a directory`);
    const prefix = dir === '/' ? '/' : dir + '/';
    const entries: DirEntry[] = [];
    for (const [p, n] of this.dev.files) {
      if (p !== dir && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) {
        entries.push({ name: p.slice(prefix.length), stat: this.statOf(n) });
      }
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  readFile(path: string): Uint8Array {
    const node = this.get(path);
    if (node.kind === 'dir') throw new FsError('EISDIR', `${path}: Is a directory`);
    return node.data;
  }

  createWriter(path: string, mode: number): FileWriter {
    const p = normalize(path);
    if (p === '/') throw new FsError('EISDIR', 'Is a directory');
    const existing = this.dev.files.get(p);
    if (existing?.kind === 'dir') throw new FsError('EISDIR', `${path}: Is a directory`);
    // mkdir -p of the parents, as adbd does before opening the file.
    const missing: string[] = [];
    for (let dir = parentOf(p); ; dir = parentOf(dir)) {
      const n = this.dev.files.get(dir);
      if (n && n.kind !== 'dir') throw new FsError('ENOTDIR', `${dir}: Not a directory`);
      if (n) break;
      missing.push(dir);
      if (dir === '/') break;
    }
    for (const dir of missing.reverse()) this.dev.files.set(dir, this.dev.node('dir', 0o771));
    const chunks: Uint8Array[] = [];
    let open = true;
    return {
      write: (chunk) => {
        if (!open) throw new FsError('EINVAL', 'writer closed');
        chunks.push(chunk);
      },
      commit: (mtime) => {
        if (!open) throw new FsError('EINVAL', 'writer closed');
        open = false;
        const node = this.dev.node('file', mode & 0o7777, concatBytes(chunks.length ? chunks : [new Uint8Array(0)]));
        node.mtime = mtime;
        this.dev.files.set(p, node);
      },
      abort: () => {
        open = false;
        chunks.length = 0;
      },
    };
  }
}

/** One shell process: runs statements in order; sleep and stdin reads suspend it. */
class Session implements ShellHandle {
  private statements: string[] = [];
  private status = 0;
  private dead = false;
  private timer: number | undefined;
  /** Set while `cat` copies stdin, or the interactive shell waits for a line. */
  private stdinWaiter: ((data: Uint8Array | null) => void) | undefined;
  private stdinClosed = false;
  private lineBuffer = '';

  constructor(
    private readonly dev: MemoryDevice,
    private readonly request: ShellRequest,
    private readonly io: ShellIo,
    private readonly onEnd: () => void,
  ) {}

  start(): void {
    if (this.request.command === null) {
      this.prompt();
      this.stdinWaiter = (d) => this.interactiveInput(d);
      return;
    }
    this.statements = splitStatements(this.request.command);
    this.run();
  }

  writeStdin(data: Uint8Array): void {
    if (!this.dead) this.stdinWaiter?.(data);
  }

  closeStdin(): void {
    if (this.dead || this.stdinClosed) return;
    this.stdinClosed = true;
    this.stdinWaiter?.(null);
  }

  hangup(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.timer !== undefined) this.dev.scheduler.cancel(this.timer);
    this.onEnd();
  }

  private out(text: string): void {
    if (!this.dead) this.io.stdout(encodeUtf8(text));
  }

  private err(text: string): void {
    if (!this.dead) this.io.stderr(encodeUtf8(text));
  }

  private prompt(): void {
    if (this.request.pty) this.out('generic_x86_64:/ # ');
  }

  private interactiveInput(data: Uint8Array | null): void {
    if (data === null) return this.finish(this.status);
    this.lineBuffer += decodeUtf8(data);
    let nl: number;
    while ((nl = this.lineBuffer.indexOf('\n')) >= 0 && !this.dead) {
      const line = this.lineBuffer.slice(0, nl).replace(/\r$/, '');
      this.lineBuffer = this.lineBuffer.slice(nl + 1);
      if (this.request.pty) this.out(line + '\r\n');
      this.statements.push(...splitStatements(line));
    }
    this.stdinWaiter = undefined;
    this.run();
  }

  private finish(code: number): void {
    if (this.dead) return;
    this.io.exit(code);
    this.dead = true;
    this.onEnd();
  }

  /** Runs statements until one suspends or they run out. */
  private run(): void {
    while (!this.dead) {
      const statement = this.statements.shift();
      if (statement === undefined) break;
      if (this.exec(statement) === 'suspended') return;
    }
    if (this.dead) return;
    if (this.request.command === null) {
      this.prompt();
      if (this.stdinClosed) return this.finish(this.status);
      this.stdinWaiter = (d) => this.interactiveInput(d);
      return;
    }
    this.finish(this.status);
  }

  private exec(statement: string): 'done' | 'suspended' {
    const words = tokenize(statement);
    const [cmd, ...args] = words;
    if (cmd === undefined) return 'done';
    switch (cmd) {
      case 'true':
        this.status = 0;
        return 'done';
      case 'false':
        this.status = 1;
        return 'done';
      case 'echo': {
        const toStderr = args[args.length - 1] === '>&2';
        const text = (toStderr ? args.slice(0, -1) : args).join(' ') + '\n';
        if (toStderr) this.err(text);
        else this.out(text);
        this.status = 0;
        return 'done';
      }
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number.parseInt(args[0], 10) & 0xff;
        this.statements = [];
        this.finish(Number.isNaN(code) ? 2 : code);
        return 'done';
      }
      case 'sleep': {
        const seconds = Number.parseFloat(args[0] ?? '');
        if (!Number.isFinite(seconds) || seconds < 0) {
          this.err(`sleep: invalid number '${args[0] ?? ''}'\n`);
          this.status = 1;
          return 'done';
        }
        this.timer = this.dev.scheduler.schedule(seconds * 1e9, () => {
          this.timer = undefined;
          this.status = 0;
          this.run();
        });
        return 'suspended';
      }
      case 'cat':
        if (args.length === 0) return this.catStdin();
        this.status = 0;
        for (const file of args) {
          try {
            const data = this.dev.fs.readFile(file);
            if (!this.dead) this.io.stdout(data);
          } catch (e) {
            this.err(`cat: ${file}: ${e instanceof FsError ? describe(e.code) : String(e)}\n`);
            this.status = 1;
          }
        }
        return 'done';
      case 'ls': {
        const dir = args[0] ?? '/';
        try {
          const st = this.dev.fs.stat(dir);
          if ((st.mode & 0o170000) !== S_IFDIR) this.out(dir + '\n');
          else for (const e of this.dev.fs.list(dir)) this.out(e.name + '\n');
          this.status = 0;
        } catch (e) {
          this.err(`ls: ${dir}: ${e instanceof FsError ? describe(e.code) : String(e)}\n`);
          this.status = 1;
        }
        return 'done';
      }
      default:
        this.err(`/system/bin/sh: ${cmd}: inaccessible or not found\n`);
        this.status = 127;
        return 'done';
    }
  }

  private catStdin(): 'done' | 'suspended' {
    if (this.stdinClosed) {
      this.status = 0;
      return 'done';
    }
    this.stdinWaiter = (data) => {
      if (data === null) {
        this.stdinWaiter = undefined;
        this.status = 0;
        this.run();
      } else if (!this.dead) this.io.stdout(data);
    };
    return 'suspended';
  }
}

function describe(code: string): string {
  return code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : code;
}

function splitStatements(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = undefined;
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === ';' || ch === '\n') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function tokenize(statement: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  let quote: string | undefined;
  for (const ch of statement) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur = (cur ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur = cur ?? '';
    } else if (ch === ' ' || ch === '\t') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}
