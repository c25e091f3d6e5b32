import type { Vfs } from '../fs/vfs.js';
import type { Word } from './ast.js';

export interface ExpandContext {
  variable(name: string): string | undefined;
  vfs: Vfs;
  cwd: string;
  cred: { uid: number; gid: number };
}

interface Field {
  text: string;
  /** Which characters came from unquoted text (and so may glob). */
  globbable: boolean;
  quoted: boolean;
}

/** Parameter expansion, field splitting of unquoted expansions, then pathname expansion. */
export function expandWord(word: Word, ctx: ExpandContext): string[] {
  const fields: Field[] = [];
  let cur: Field | null = null;
  const append = (text: string, quoted: boolean, glob: boolean) => {
    if (!cur) {
      cur = { text: '', globbable: false, quoted: false };
      fields.push(cur);
    }
    cur.text += glob ? text : text.replace(/[*?[]/g, (c) => `\0${c}`);
    cur.globbable ||= glob && /[*?[]/.test(text);
    cur.quoted ||= quoted;
  };
  for (const part of word) {
    if (part.kind === 'lit') {
      append(part.text, part.quoted, !part.quoted);
      continue;
    }
    const value = ctx.variable(part.name) ?? '';
    if (part.quoted) {
      append(value, true, false);
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, idx) => {
      if (idx > 0) cur = null;
      if (piece !== '' || (idx > 0 && idx < pieces.length - 1)) append(piece, false, false);
    });
  }
  const out: string[] = [];
  for (const f of fields) {
    if (f.text === '' && !f.quoted) continue;
    if (f.globbable) {
      const matches = glob(f.text, ctx);
      if (matches.length > 0) {
        out.push(...matches);
        continue;
      }
    }
    out.push(f.text.replace(/\0(.)/g, '$1'));
  }
  return out;
}

function patternToRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\0') re += escape(pattern[++i] ?? '');
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`${re}$`);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Globs each path component; hidden names only match a pattern that starts with a dot. */
function glob(pattern: string, ctx: ExpandContext): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let results: string[] = [absolute ? '/' : ''];
  for (const part of parts) {
    if (part === '') continue;
    const next: string[] = [];
    const isPattern = /(^|[^\0])[*?[]/.test(part);
    for (const base of results) {
      const join = (name: string) => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
      if (!isPattern) {
        next.push(join(part.replace(/\0(.)/g, '$1')));
        continue;
      }
      const re = patternToRegex(part);
      let names: string[];
      try {
        names = ctx.vfs.list(base === '' ? '.' : base, ctx.cwd, ctx.cred).map((e) => e.name);
      } catch {
        continue;
      }
      for (const name of names.sort()) if (re.test(name) && (!name.startsWith('.') || part.startsWith('.'))) next.push(join(name));
    }
    results = next;
  }
  return results.filter((r) => ctx.vfs.tryResolve(r, ctx.cwd, false, ctx.cred) !== undefined);
}
