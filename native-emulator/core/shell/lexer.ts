import type { Word, WordPart } from './ast.js';

export type Token =
  | { type: 'word'; word: Word; raw: string }
  | { type: 'op'; op: string }
  | { type: 'redir'; fd: number; op: '>' | '>>' | '<' | '>&' | '<&' }
  | { type: 'newline' }
  | { type: 'eof' };

export class ShellSyntaxError extends Error {
  constructor(readonly near: string, readonly incomplete = false) {
    super(`syntax error: '${near}' unexpected`);
  }
}

const OPERATORS = ['&&', '||', ';;', ';', '&', '|', '(', ')'];
const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isSpecialVar = (c: string | undefined) => c !== undefined && /[?$!#@*0-9-]/.test(c);

/** mksh-like tokeniser: quotes, escapes, $VAR/${VAR}/$?, operators, n>, n>>, n>&m, comments. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      tokens.push({ type: 'newline' });
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const redir = /^(\d?)(>>|>&|<&|>|<)/.exec(src.slice(i, i + 3));
    if (redir) {
      const op = redir[2] as '>' | '>>' | '<' | '>&' | '<&';
      const fd = redir[1] ? Number(redir[1]) : op.startsWith('<') ? 0 : 1;
      tokens.push({ type: 'redir', fd, op });
      i += redir[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', op });
      i += op.length;
      continue;
    }
    const start = i;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last && last.kind === 'lit' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'lit', text, quoted });
    };
    const dollar = (quoted: boolean): void => {
      const n = src[i + 1];
      if (n === '{') {
        const end = src.indexOf('}', i + 2);
        if (end < 0) throw new ShellSyntaxError('${', true);
        parts.push({ kind: 'var', name: src.slice(i + 2, end), quoted });
        i = end + 1;
      } else if (isSpecialVar(n)) {
        parts.push({ kind: 'var', name: n!, quoted });
        i += 2;
      } else if (isNameChar(n) && !/[0-9]/.test(n!)) {
        let j = i + 1;
        while (isNameChar(src[j])) j++;
        parts.push({ kind: 'var', name: src.slice(i + 1, j), quoted });
        i = j;
      } else {
        lit('$', quoted);
        i++;
      }
    };
    while (i < src.length) {
      const ch = src[i]!;
      if (' \t\r\n;&|()<>'.includes(ch)) break;
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError("'", true);
        lit(src.slice(i + 1, end), true);
        if (end === i + 1) lit('', true);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        let closed = false;
        lit('', true);
        while (i < src.length) {
          const d = src[i]!;
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1]!)) {
            if (src[i + 1] !== '\n') lit(src[i + 1]!, true);
            i += 2;
          } else if (d === '$') {
            dollar(true);
          } else {
            lit(d, true);
            i++;
          }
        }
        if (!closed) throw new ShellSyntaxError('"', true);
      } else if (ch === '\\') {
        if (i + 1 < src.length) lit(src[i + 1]!, true);
        i += 2;
      } else if (ch === '$') {
        dollar(false);
      } else {
        lit(ch, false);
        i++;
      }
    }
    tokens.push({ type: 'word', word: parts, raw: src.slice(start, i) });
  }
  tokens.push({ type: 'eof' });
  return tokens;
}
