import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import type { KillEvent, LogLine } from '../../../contract/domains/kernel-log.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';
import { compileFilter, filterChunked, filterRange, type LogFilter } from '../composables/logFilter.js';

interface Capture {
  /** lines[i].index === i: the capture is gap-free from 0. */
  lines: LogLine[];
  /** Lines that arrived ahead of a gap, by index, until the gap is filled. */
  ahead: Map<number, LogLine>;
  filling: boolean;
}

export interface FilterResult {
  serial: string;
  key: string;
  /** Positions of matching lines; null = every line (no filter). */
  positions: number[] | null;
  scanned: number;
}

const PAGE = 10_000;

/** The captured dmesg and the kills parsed from it, per device; the filter the log view applies. */
export const useKernelLogStore = defineStore('kernelLog', () => {
  const api = useApi();
  const captures = new Map<string, Capture>();
  const versions = ref<Record<string, number>>({});
  const kills = ref<Record<string, KillEvent[]>>({});
  const errors = ref<Record<string, UiError | null>>({});
  const filter = ref<LogFilter>({ text: '', regex: false, killsOnly: false });
  const filterError = ref<string | null>(null);
  const filtering = ref(false);
  const follow = ref(true);
  const result = shallowRef<FilterResult | null>(null);
  const exported = ref<string | null>(null);
  const loadedSerials = new Set<string>();
  let filterGeneration = 0;
  const unsubscribes: Unsubscribe[] = [];

  function capture(serial: string): Capture {
    let found = captures.get(serial);
    if (!found) {
      found = { lines: [], ahead: new Map(), filling: false };
      captures.set(serial, found);
    }
    return found;
  }

  function lines(serial: string): readonly LogLine[] {
    return capture(serial).lines;
  }

  function killIndexes(serial: string): Set<number> {
    return new Set((kills.value[serial] ?? []).map((kill) => kill.index));
  }

  function append(serial: string, incoming: readonly LogLine[]): void {
    const target = capture(serial);
    const before = target.lines.length;
    for (const line of incoming) {
      if (line.index < target.lines.length) continue;
      if (line.index === target.lines.length) target.lines.push(line);
      else target.ahead.set(line.index, line);
    }
    let next = target.ahead.get(target.lines.length);
    while (next) {
      target.ahead.delete(next.index);
      target.lines.push(next);
      next = target.ahead.get(target.lines.length);
    }
    if (target.lines.length !== before) {
      versions.value[serial] = (versions.value[serial] ?? 0) + 1;
      extendResult(serial, before);
    }
    if (target.ahead.size > 0 && !target.filling) void fill(serial);
  }

  function acceptKills(serial: string, incoming: readonly KillEvent[]): void {
    const known = kills.value[serial] ?? [];
    const seen = new Set(known.map((kill) => kill.index));
    const added = incoming.filter((kill) => !seen.has(kill.index));
    if (added.length) kills.value[serial] = [...known, ...added].sort((a, b) => a.index - b.index);
  }

  function subscribe(): void {
    if (unsubscribes.length) return;
    unsubscribes.push(api.on('logLines', ({ serial, lines: incoming }) => append(serial, incoming)));
    unsubscribes.push(api.on('kills', ({ serial, kills: incoming }) => acceptKills(serial, incoming)));
  }
  function unsubscribeAll(): void {
    while (unsubscribes.length) unsubscribes.pop()?.();
  }

  /** Pages in everything the backend captured that this window has not seen yet. */
  async function fill(serial: string): Promise<void> {
    const target = capture(serial);
    if (target.filling) return;
    target.filling = true;
    try {
      for (;;) {
        const from = target.lines.length;
        const page = await api.queryLog({ serial, from, limit: PAGE });
        append(serial, page.lines);
        if (page.lines.length < PAGE || target.lines.length >= page.total || target.lines.length === from) break;
      }
      errors.value[serial] = null;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    } finally {
      target.filling = false;
    }
  }

  async function load(serial: string): Promise<void> {
    if (loadedSerials.has(serial)) return;
    loadedSerials.add(serial);
    try {
      acceptKills(serial, await api.getKills({ serial }));
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
    await fill(serial);
  }

  /** Recomputes the filter over the whole capture of serial, in slices that do not block the UI. */
  async function refilter(serial: string): Promise<void> {
    const compiled = compileFilter(filter.value, killIndexes(serial));
    const generation = ++filterGeneration;
    if (!compiled.ok) {
      filterError.value = compiled.error;
      return;
    }
    filterError.value = null;
    const all = capture(serial).lines;
    if (compiled.trivial) {
      result.value = { serial, key: compiled.key, positions: null, scanned: all.length };
      filtering.value = false;
      return;
    }
    filtering.value = true;
    const scanned = all.length;
    const positions = await filterChunked(all.slice(0, scanned), compiled.test, () => generation !== filterGeneration);
    if (positions === null || generation !== filterGeneration) return;
    result.value = { serial, key: compiled.key, positions, scanned };
    filtering.value = false;
    // Lines that arrived while filtering.
    extendResult(serial, scanned);
  }

  function extendResult(serial: string, _from: number): void {
    const current = result.value;
    if (!current || current.serial !== serial || filtering.value) return;
    const all = capture(serial).lines;
    if (current.positions) {
      const compiled = compileFilter(filter.value, killIndexes(serial));
      if (compiled.ok) filterRange(all, compiled.test, current.scanned, all.length, current.positions);
    }
    current.scanned = all.length;
    triggerRef(result);
  }

  function setFilter(next: Partial<LogFilter>): void {
    filter.value = { ...filter.value, ...next };
  }

  async function exportLog(serial: string, format: 'text' | 'json'): Promise<void> {
    try {
      const done = await api.exportLog({ serial, format });
      exported.value = `Saved ${done.lines.toLocaleString('en-US')} lines to ${done.path}`;
      errors.value[serial] = null;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  return {
    versions, kills, errors, filter, filterError, filtering, follow, result, exported,
    lines, capture, subscribe, unsubscribeAll, append, acceptKills, fill, load, refilter, setFilter, exportLog,
  };
});

/** The dmesg text of the capture, as `dmesg` prints it. */
export function formatLogText(lines: readonly LogLine[]): string {
  return lines.map((line) => `<${line.level}>[${line.ts.toFixed(6).padStart(12)}] ${line.text}`).join('\n') + '\n';
}
