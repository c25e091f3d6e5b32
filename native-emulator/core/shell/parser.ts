import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand, Word } from './ast.js';
import { ShellSyntaxError, tokenize, type Token } from './lexer.js';

/** Parses a command line into a List (sequences, && ||, pipelines, subshells, redirections, &). */
export function parse(src: string): List {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (t: Token, op: string) => t.type === 'op' && t.op === op;
  const describe = (t: Token): string => (t.type === 'op' ? t.op : t.type === 'newline' ? 'newline' : t.type === 'eof' ? 'end of file' : t.type === 'word' ? t.raw : t.op);
  const skipNewlines = () => {
    while (peek().type === 'newline') pos++;
  };

  function list(terminator?: string): List {
    const out: List = [];
    for (;;) {
      skipNewlines();
      const t = peek();
      if (t.type === 'eof' || (terminator && isOp(t, terminator))) return out;
      const item = andOr();
      const sep = peek();
      if (isOp(sep, '&')) {
        item.background = true;
        pos++;
      } else if (isOp(sep, ';') || sep.type === 'newline') {
        pos++;
      } else if (!(sep.type === 'eof' || (terminator && isOp(sep, terminator)))) {
        throw new ShellSyntaxError(describe(sep));
      }
      out.push(item);
    }
  }

  function andOr(): AndOr {
    const first = pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = peek();
      if (!isOp(t, '&&') && !isOp(t, '||')) break;
      pos++;
      skipNewlines();
      rest.push({ op: (t as { op: '&&' | '||' }).op, pipeline: pipeline() });
    }
    return { first, rest, background: false };
  }

  function pipeline(): Pipeline {
    let negate = false;
    const t = peek();
    if (t.type === 'word' && t.raw === '!') {
      negate = true;
      pos++;
    }
    const commands = [command()];
    while (isOp(peek(), '|')) {
      pos++;
      skipNewlines();
      commands.push(command());
    }
    return { negate, commands };
  }

  function redirect(t: Extract<Token, { type: 'redir' }>): Redirect {
    const target = next();
    if (target.type !== 'word') throw new ShellSyntaxError(describe(target), target.type === 'eof');
    if (t.op === '>&' || t.op === '<&') {
      if (!/^\d$/.test(target.raw)) throw new ShellSyntaxError(target.raw);
      return { fd: t.fd, op: 'dup', target: Number(target.raw) };
    }
    return { fd: t.fd, op: t.op, target: target.word };
  }

  function command(): Command {
    const t = peek();
    if (isOp(t, '(')) {
      pos++;
      const body = list(')');
      if (!isOp(next(), ')')) throw new ShellSyntaxError('(', true);
      const redirects: Redirect[] = [];
      while (peek().type === 'redir') redirects.push(redirect(next() as Extract<Token, { type: 'redir' }>));
      return { type: 'subshell', body, redirects };
    }
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      const u = peek();
      if (u.type === 'redir') {
        pos++;
        cmd.redirects.push(redirect(u));
      } else if (u.type === 'word') {
        pos++;
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(u.raw);
        if (m && cmd.words.length === 0) cmd.assigns.push({ name: m[1]!, value: dropPrefix(u.word, m[0].length) });
        else cmd.words.push(u.word);
      } else break;
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      throw new ShellSyntaxError(describe(u0()), peek().type === 'eof');
    }
    return cmd;
  }
  const u0 = () => peek();

  const result = list();
  if (peek().type !== 'eof') throw new ShellSyntaxError(describe(peek()));
  return result;
}

/** The value part of NAME=value (the name is always an unquoted literal prefix). */
function dropPrefix(word: Word, n: number): Word {
  const out: Word = [];
  let skip = n;
  for (const part of word) {
    if (skip > 0 && part.kind === 'lit') {
      if (part.text.length <= skip) {
        skip -= part.text.length;
        continue;
      }
      out.push({ ...part, text: part.text.slice(skip) });
      skip = 0;
    } else out.push(part);
  }
  return out;
}
