import type { SamplePoint } from '../../../contract/domains/monitor.js';

/**
 * Bounded per-uid history, columnar: for each sample slot a host time and device uptime, and for each
 * uid seen an RSS in KiB (Uint32) and a process count (Uint16). 14,400 samples (4 h at 1 Hz) × 50 uids
 * is about 4.4 MB. The oldest samples are overwritten.
 */
export class SampleRing {
  private readonly times: Float64Array;
  private readonly uptimes: Float64Array;
  private readonly rssKb = new Map<number, Uint32Array>();
  private readonly counts = new Map<number, Uint16Array>();
  /** Total samples ever written; slot = n % capacity. */
  private written = 0;

  constructor(readonly capacity = 14_400, private readonly maxUids = 512) {
    this.times = new Float64Array(capacity);
    this.uptimes = new Float64Array(capacity);
  }

  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  get total(): number {
    return this.written;
  }

  push(point: SamplePoint): void {
    const slot = this.written % this.capacity;
    this.times[slot] = point.t;
    this.uptimes[slot] = point.uptimeMs ?? NaN;
    // Clear this slot for every known uid, then fill the ones present.
    for (const counts of this.counts.values()) counts[slot] = 0;
    for (const rss of this.rssKb.values()) rss[slot] = 0;
    for (const [uid, rssBytes, count] of point.uids) {
      let rss = this.rssKb.get(uid);
      let counts = this.counts.get(uid);
      if (!rss || !counts) {
        if (this.rssKb.size >= this.maxUids) continue;
        this.rssKb.set(uid, (rss = new Uint32Array(this.capacity)));
        this.counts.set(uid, (counts = new Uint16Array(this.capacity)));
      }
      rss[slot] = Math.min(Math.round(rssBytes / 1024), 0xffffffff);
      counts[slot] = Math.min(count, 0xffff);
    }
    this.written++;
  }

  /** Samples taken after host time `since` (all kept samples when omitted), oldest first. */
  since(since?: number): SamplePoint[] {
    const out: SamplePoint[] = [];
    const first = this.written - this.size;
    for (let n = first; n < this.written; n++) {
      const slot = n % this.capacity;
      const t = this.times[slot];
      if (since !== undefined && t <= since) continue;
      const uids: Array<[number, number, number]> = [];
      for (const [uid, counts] of this.counts) {
        if (counts[slot] > 0) uids.push([uid, this.rssKb.get(uid)![slot] * 1024, counts[slot]]);
      }
      uids.sort((a, b) => a[0] - b[0]);
      const uptime = this.uptimes[slot];
      out.push(Number.isNaN(uptime) ? { t, uids } : { t, uptimeMs: uptime, uids });
    }
    return out;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.capacity * 16 + this.rssKb.size * this.capacity * 6;
  }
}
