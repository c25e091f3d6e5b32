import type { KillEvent, LogLine } from '../../../contract/domains/kernel-log.js';

export interface LogQueryOptions {
  from: number;
  limit: number;
  text?: string;
  regex: boolean;
  killsOnly: boolean;
}

/** The captured lines of one device in memory (the newest `capacity`; the session file keeps all), with search. */
export class LogStore {
  private lines: LogLine[] = [];
  private dropped = 0;
  readonly kills: KillEvent[] = [];
  private readonly killIndexes = new Set<number>();

  constructor(private readonly capacity = 200_000) {}

  /** Index the next line will get. */
  get next(): number {
    return this.dropped + this.lines.length;
  }

  append(lines: Array<Omit<LogLine, 'index'>>): LogLine[] {
    const numbered = lines.map((line, i) => ({ index: this.next + i, ts: line.ts, level: line.level, text: line.text }));
    this.lines.push(...numbered);
    if (this.lines.length > this.capacity) {
      const cut = this.lines.length - this.capacity;
      this.lines = this.lines.slice(cut);
      this.dropped += cut;
    }
    return numbered;
  }

  addKills(kills: KillEvent[]): void {
    for (const kill of kills) {
      this.kills.push(kill);
      this.killIndexes.add(kill.index);
    }
  }

  all(): LogLine[] {
    return this.lines;
  }

  query(options: LogQueryOptions): { lines: LogLine[]; total: number } {
    let match: (text: string) => boolean = () => true;
    if (options.text) {
      if (options.regex) {
        let re: RegExp;
        try {
          re = new RegExp(options.text, 'i');
        } catch (error) {
          throw Object.assign(new Error(`invalid regular expression: ${(error as Error).message}`), { code: 'bad-regex' });
        }
        match = (text) => re.test(text);
      } else {
        const needle = options.text.toLowerCase();
        match = (text) => text.toLowerCase().includes(needle);
      }
    }
    const start = Math.max(0, options.from - this.dropped);
    const out: LogLine[] = [];
    let total = 0;
    for (let i = start; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (options.killsOnly && !this.killIndexes.has(line.index)) continue;
      if (!match(line.text)) continue;
      total++;
      if (out.length < options.limit) out.push(line);
    }
    return { lines: out, total };
  }
}
