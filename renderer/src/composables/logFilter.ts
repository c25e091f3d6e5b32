import type { LogLine } from '../../../contract/domains/kernel-log.js';

export interface LogFilter {
  text: string;
  regex: boolean;
  killsOnly: boolean;
}

export type CompiledFilter = { ok: true; trivial: boolean; test: (line: LogLine) => boolean; key: string } | { ok: false; error: string };

const KILL_TEXT = /^\s*(A process has been killed:|Escalating to SIGKILL)/;

/**
 * Turns the filter as typed into one predicate: case-insensitive text (or a regular expression) and, with
 * "kills only", just the lines that report kills (killIndexes: the indexes the backend parsed as kills).
 */
export function compileFilter(filter: LogFilter, killIndexes: ReadonlySet<number>): CompiledFilter {
  const key = JSON.stringify([filter.text, filter.regex, filter.killsOnly]);
  let pattern: RegExp | null = null;
  if (filter.text !== '') {
    try {
      pattern = new RegExp(filter.regex ? filter.text : escapeRegExp(filter.text), 'i');
    } catch (error) {
      return { ok: false, error: `Invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` };
    }
  }
  const killsOnly = filter.killsOnly;
  if (!pattern && !killsOnly) return { ok: true, trivial: true, test: () => true, key };
  const isKill = (line: LogLine) => killIndexes.has(line.index) || KILL_TEXT.test(line.text);
  let test: (line: LogLine) => boolean;
  if (pattern && killsOnly) test = (line) => isKill(line) && pattern.test(line.text);
  else if (pattern) test = (line) => pattern.test(line.text);
  else test = isKill;
  return { ok: true, trivial: false, test, key };
}

/** Appends to out the positions in lines[from..to) that pass. Synchronous: keep ranges small on the UI thread. */
export function filterRange(lines: readonly LogLine[], test: (line: LogLine) => boolean, from: number, to: number, out: number[]): void {
  for (let i = from; i < to; i++) if (test(lines[i])) out.push(i);
}

/**
 * Filters in slices of `budgetMs`, yielding to the event loop between them so typing and scrolling stay smooth
 * over hundreds of thousands of lines. Resolves to null when cancelled (a newer filter replaced this one).
 */
export async function filterChunked(
  lines: readonly LogLine[],
  test: (line: LogLine) => boolean,
  isCancelled: () => boolean,
  budgetMs = 8,
  yieldNow: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0)),
): Promise<number[] | null> {
  const out: number[] = [];
  let i = 0;
  const total = lines.length;
  while (i < total) {
    const started = performance.now();
    while (i < total) {
      const stop = Math.min(total, i + 4096);
      filterRange(lines, test, i, stop, out);
      i = stop;
      if (performance.now() - started > budgetMs) break;
    }
    if (i < total) {
      await yieldNow();
      if (isCancelled()) return null;
    }
  }
  return out;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** dmesg levels: 0 emerg … 7 debug. */
export const LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;
export function levelTone(level: number): 'error' | 'warn' | 'notice' | 'info' | 'debug' {
  if (level <= 3) return 'error';
  if (level === 4) return 'warn';
  if (level === 5) return 'notice';
  if (level === 6) return 'info';
  return 'debug';
}
