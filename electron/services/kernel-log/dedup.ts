import type { RawLogLine } from './parse-line.js';

export interface IngestResult {
  /** Lines not seen before, in order. */
  fresh: RawLogLine[];
  /** The ring was emptied since the last poll (dmesg -c), or the device rebooted (timestamps went back). */
  cleared: boolean;
  /** Old lines fell off the ring's start since the last poll. */
  wrapped: boolean;
  /** The ring's oldest line is newer than our newest: lines between the two polls may be lost. */
  gap: boolean;
}

const key = (line: RawLogLine) => `${line.ts}\u0000${line.text}`;

/**
 * De-duplicates successive full `dmesg` snapshots. Kernel timestamps never go back within a boot, so a
 * watermark (the newest timestamp taken) plus, at that one timestamp, how many times each text was taken,
 * tells new lines from old — across a cleared ring (dmesg -c) and a wrapped one alike.
 */
export class DmesgDeduper {
  private lastTs = -1;
  /** Texts taken at exactly lastTs, with multiplicity. */
  private atLast = new Map<string, number>();
  private previousFirst?: string;
  private previousCount = 0;
  /** The most lines a snapshot ever held: a full ring is about this long. */
  private maxCount = 0;

  ingest(snapshot: RawLogLine[]): IngestResult {
    const result: IngestResult = { fresh: [], cleared: false, wrapped: false, gap: false };
    const first = snapshot[0];
    const newest = snapshot[snapshot.length - 1];
    if (this.lastTs >= 0) {
      if (!first) {
        result.cleared = this.previousCount > 0;
      } else if (newest.ts < this.lastTs) {
        // Timestamps went back: a reboot. Start over with this boot.
        result.cleared = true;
        this.lastTs = -1;
        this.atLast.clear();
      } else if (key(first) !== this.previousFirst) {
        const firstIsOld = first.ts < this.lastTs || (first.ts === this.lastTs && this.atLast.has(first.text));
        if (firstIsOld) result.wrapped = true;
        else if (snapshot.length >= this.maxCount * 0.9 && this.previousCount >= this.maxCount * 0.9) {
          // A full ring whose oldest line is newer than our newest: it wrapped past us between two polls.
          result.wrapped = true;
          result.gap = true;
        } else result.cleared = true;
      }
    }
    const seenAtLast = new Map<string, number>();
    for (const line of snapshot) {
      if (line.ts < this.lastTs) continue;
      if (line.ts === this.lastTs) {
        const count = (seenAtLast.get(line.text) ?? 0) + 1;
        seenAtLast.set(line.text, count);
        if (count <= (this.atLast.get(line.text) ?? 0)) continue;
      }
      result.fresh.push(line);
    }
    for (const line of result.fresh) {
      if (line.ts > this.lastTs) {
        this.lastTs = line.ts;
        this.atLast = new Map();
      }
      this.atLast.set(line.text, (this.atLast.get(line.text) ?? 0) + 1);
    }
    this.previousFirst = first ? key(first) : undefined;
    this.previousCount = snapshot.length;
    this.maxCount = Math.max(this.maxCount, snapshot.length);
    return result;
  }
}

export interface SeqResult {
  fresh: RawLogLine[];
  /** Records the kernel dropped before we read them (a sequence gap). */
  lost: number;
}

/** /dev/kmsg: every record carries a sequence number; re-reads after a reconnect skip what was taken. */
export class KmsgSequencer {
  private lastSeq = -1;

  ingest(records: RawLogLine[]): SeqResult {
    const result: SeqResult = { fresh: [], lost: 0 };
    for (const record of records) {
      const seq = record.seq ?? -1;
      if (seq <= this.lastSeq) {
        if (seq < this.lastSeq - 1_000_000) {
          // The sequence restarted: a reboot.
          this.lastSeq = -1;
        } else continue;
      }
      if (this.lastSeq >= 0 && seq > this.lastSeq + 1) result.lost += seq - this.lastSeq - 1;
      this.lastSeq = seq;
      result.fresh.push(record);
    }
    return result;
  }

  /** A reboot: sequence numbers start again from 0. */
  reset(): void {
    this.lastSeq = -1;
  }
}
