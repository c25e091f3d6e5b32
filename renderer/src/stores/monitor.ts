import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProcessRow, SamplerStatus } from '../../../contract/domains/monitor.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';
import { SeriesBuffer } from '../composables/seriesBuffer.js';
import { PALETTE } from '../composables/chartData.js';
import { useSettingsStore } from './settings.js';

export const WINDOWS = [
  { label: '1 min', ms: 60_000 },
  { label: '5 min', ms: 300_000 },
  { label: '15 min', ms: 900_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '6 h', ms: 21_600_000 },
  { label: 'all', ms: null },
] as const;

export interface Drill {
  serial: string;
  uid: number;
  rows: ProcessRow[];
  loading: boolean;
  error: UiError | null;
}

/** Live per-uid memory samples per device, and how the chart looks at them (window, pause, zoom, selection). */
export const useMonitorStore = defineStore('monitor', () => {
  const api = useApi();
  const buffers = new Map<string, SeriesBuffer>();
  /** Bumped whenever a device's buffer changes: what reactive readers of the buffers depend on. */
  const versions = ref<Record<string, number>>({});
  const status = ref<Record<string, SamplerStatus | null>>({});
  const errors = ref<Record<string, UiError | null>>({});
  const windowMs = ref<number | null>(300_000);
  const paused = ref(false);
  /** The time the view froze at (ms), while paused. */
  const pausedAt = ref<number | null>(null);
  const zoom = ref<{ from: number; to: number } | null>(null);
  const topN = ref(5);
  /** Uids chosen by hand per device; absent = automatic (top N plus limited uids). */
  const selection = ref<Record<string, number[]>>({});
  const drill = ref<Drill | null>(null);
  const started = new Set<string>();
  let unsubscribes: Unsubscribe[] = [];

  function buffer(serial: string): SeriesBuffer {
    let found = buffers.get(serial);
    if (!found) {
      found = new SeriesBuffer();
      buffers.set(serial, found);
    }
    return found;
  }

  const colorMaps = new Map<string, Map<number, string>>();
  /** A uid keeps its colour for the session: the first uid asked about gets the first colour, and so on. */
  function colorOf(serial: string, uid: number): string {
    let map = colorMaps.get(serial);
    if (!map) colorMaps.set(serial, (map = new Map()));
    let color = map.get(uid);
    if (!color) map.set(uid, (color = PALETTE[map.size % PALETTE.length]));
    return color;
  }

  function bump(serial: string): void {
    versions.value[serial] = (versions.value[serial] ?? 0) + 1;
  }

  function subscribe(): void {
    if (unsubscribes.length) return;
    unsubscribes = [
      api.on('samples', ({ serial, points }) => {
        if (buffer(serial).append(points) > 0) bump(serial);
      }),
      api.on('samplerStatus', (next) => {
        status.value[next.serial] = next;
      }),
    ];
  }
  function unsubscribeAll(): void {
    for (const off of unsubscribes) off();
    unsubscribes = [];
  }

  /** Backfills what the backend already sampled and makes sure it keeps sampling this device. */
  async function ensure(serial: string, hz = useSettingsStore().settings?.sampleHz ?? 1): Promise<void> {
    if (started.has(serial)) return;
    started.add(serial);
    try {
      const points = await api.getSamples({ serial, since: buffer(serial).lastTime });
      if (buffer(serial).append(points) > 0) bump(serial);
      status.value[serial] = await api.startSampling({ serial, hz });
      errors.value[serial] = null;
    } catch (failure) {
      started.delete(serial);
      errors.value[serial] = toUiError(failure);
    }
  }

  async function stop(serial: string): Promise<void> {
    try {
      status.value[serial] = await api.stopSampling({ serial });
      started.delete(serial);
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  function setWindow(ms: number | null): void {
    windowMs.value = ms;
    zoom.value = null;
  }
  function pause(at: number): void {
    paused.value = true;
    pausedAt.value = at;
  }
  function resume(): void {
    paused.value = false;
    pausedAt.value = null;
    zoom.value = null;
  }
  function zoomTo(from: number, to: number): void {
    if (!(to > from)) return;
    zoom.value = { from, to };
    if (!paused.value) pause(to);
  }
  function resetZoom(): void {
    zoom.value = null;
  }
  /** Zooms the shown range by `factor` (0.5: in, 2: out) around its middle; never narrower than 2 s. */
  function zoomBy(factor: number, range: { from: number; to: number }): void {
    const middle = (range.from + range.to) / 2;
    const half = Math.max(1000, ((range.to - range.from) * factor) / 2);
    zoomTo(middle - half, middle + half);
  }
  /** Centres the view on a moment (a kill), paused, so it stays in view. */
  function focusOn(at: number): void {
    const half = (windowMs.value ?? 120_000) / 2;
    zoom.value = { from: at - half, to: at + half };
    pause(at + half);
  }

  function setSelection(serial: string, uids: number[] | null): void {
    if (uids === null) delete selection.value[serial];
    else selection.value[serial] = [...new Set(uids)].sort((a, b) => a - b);
  }
  function toggleUid(serial: string, uid: number, current: number[]): void {
    const next = current.includes(uid) ? current.filter((other) => other !== uid) : [...current, uid];
    setSelection(serial, next);
  }

  async function openProcesses(serial: string, uid: number): Promise<void> {
    drill.value = { serial, uid, rows: drill.value?.uid === uid && drill.value.serial === serial ? drill.value.rows : [], loading: true, error: null };
    try {
      const rows = await api.getUidProcesses({ serial, uid });
      if (drill.value?.uid === uid && drill.value.serial === serial) drill.value = { serial, uid, rows: rows.sort((a, b) => b.rss - a.rss), loading: false, error: null };
    } catch (failure) {
      if (drill.value?.uid === uid) drill.value = { ...drill.value, loading: false, error: toUiError(failure) };
    }
  }
  function closeProcesses(): void {
    drill.value = null;
  }

  return {
    versions, status, errors, windowMs, paused, pausedAt, zoom, topN, selection, drill, zoomBy,
    buffer, colorOf, subscribe, unsubscribeAll, ensure, stop, setWindow, pause, resume, zoomTo, resetZoom, focusOn, setSelection, toggleUid, openProcesses, closeProcesses,
  };
});

/** Top N uids by their latest usage, plus every limited uid that has samples, ascending. */
export function autoSelection(buffer: SeriesBuffer, limitedUids: number[], topN: number): number[] {
  const ranked = buffer
    .uids()
    .map((uid) => ({ uid, rss: buffer.latest(uid) ?? 0 }))
    .sort((a, b) => b.rss - a.rss)
    .slice(0, topN)
    .map((entry) => entry.uid);
  return [...new Set([...ranked, ...limitedUids])].sort((a, b) => a - b);
}
