import type { MmLimit } from '../oom/decide.js';
import { ENOENT, EPERM } from '../util/errno.js';

/** mylimit's table: sorted by uid, no fixed capacity. A set bumps the entry's generation (stops its breach clock). */
export class LimitTable {
  private entries: MmLimit[] = [];
  private generation = 0;

  set(uid: number, mmMax: number, graceS: number): number {
    if (uid === 0) return -EPERM;
    if (mmMax === 0) return this.remove(uid);
    const entry: MmLimit = { uid, mmMax, graceS, generation: ++this.generation };
    const i = this.entries.findIndex((e) => e.uid >= uid);
    if (i === -1) this.entries.push(entry);
    else if (this.entries[i]!.uid === uid) this.entries[i] = entry;
    else this.entries.splice(i, 0, entry);
    return 0;
  }

  remove(uid: number): number {
    const i = this.entries.findIndex((e) => e.uid === uid);
    if (i === -1) return -ENOENT;
    this.entries.splice(i, 1);
    return 0;
  }

  list(): readonly MmLimit[] {
    return this.entries;
  }
}

export const limitLine = (l: MmLimit): string => `uid=${l.uid},mm_max=${l.mmMax},time_allow_exceed=${l.graceS}`;
