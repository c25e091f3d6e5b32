import { sys, type ProgramMain } from '../kernel/process.js';
import { latin1Decode } from '../util/bytes.js';
import { ExitRequest } from './builtins.js';
import { Shell } from './interpreter.js';
import { ShellSyntaxError } from './lexer.js';
import { parse } from './parser.js';

/**
 * /system/bin/sh: `sh -c CMD [ARGV0 ARGS...]`, `sh FILE [ARGS...]`, or commands from stdin
 * (`-i`: interactive, with the emulator's `root@generic:/ # ` prompt).
 */
export const shMain: ProgramMain = function* (p) {
  const argv = p.argv;
  let i = 1;
  let command: string | undefined;
  let interactive = false;
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    const flag = argv[i]!;
    if (flag === '-c') command = argv[++i] ?? '';
    else if (flag === '-i') interactive = true;
  }
  const argv0 = argv[0] === 'sh' || !argv[0] ? 'sh' : argv[0];
  if (command !== undefined) {
    const sh = new Shell(p, { argv0: argv[i] ?? argv0, positional: argv.slice(i + 1) });
    return yield* runTop(sh, command);
  }
  if (i < argv.length) {
    const script = argv[i]!;
    let text: string;
    try {
      text = latin1Decode(p.kernel.vfs.readFile(script, p.cwd, p.cred));
    } catch {
      p.writeErr(`${argv0}: ${script}: can't open\n`);
      return 127;
    }
    const sh = new Shell(p, { argv0: script, positional: argv.slice(i + 1) });
    return yield* runTop(sh, text);
  }

  const sh = new Shell(p, { argv0, positional: [] });
  const buffer = { pending: '' };
  let source = '';
  for (;;) {
    if (interactive) p.out(source ? '> ' : prompt(sh));
    const line = yield* sh.readLine(buffer);
    if (line === null) break;
    source += `${line}\n`;
    try {
      parse(source);
    } catch (e) {
      if (e instanceof ShellSyntaxError && e.incomplete) continue;
    }
    const src = source;
    source = '';
    try {
      yield* sh.runSource(src);
    } catch (e) {
      if (e instanceof ExitRequest) return e.code;
      throw e;
    }
    yield* sys.yieldNow();
  }
  return sh.status;
};

function* runTop(sh: Shell, src: string) {
  try {
    return yield* sh.runSource(src);
  } catch (e) {
    if (e instanceof ExitRequest) return e.code;
    throw e;
  }
}

function prompt(sh: Shell): string {
  const uid = sh.p.task.uid;
  const user = uid === 0 ? 'root' : uid === 2000 ? 'shell' : String(uid);
  return `${user}@generic:${sh.p.task.cwd} ${uid === 0 ? '#' : '$'} `;
}
