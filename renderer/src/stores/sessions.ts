import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ReplaySettings, SessionInfo, SessionSummary } from '../../../contract/domains/sessions.js';
import type { RequestOf, ResultOf, Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';
import { compareKills } from '../composables/sessionData.js';

export type SessionRef = { id: string } | { path: string };
type ReplayResult = ResultOf<'replaySession'>;
type SweepRows = ResultOf<'sweepSession'>;
export type SweepParams = Omit<RequestOf<'sweepSession'>, 'session'>;

/**
 * Recorded sessions (issue 8): the saved list and which devices are recording (listSessions + sessionsChanged),
 * the one session open, and the what-if replay and sweep run against it.
 */
export const useSessionsStore = defineStore('sessions', () => {
  const api = useApi();
  const sessions = ref<SessionInfo[]>([]);
  const loaded = ref(false);
  const error = ref<UiError | null>(null);
  /** Per serial: 'starting' | 'stopping' while a recording request is in flight. */
  const busy = ref<Record<string, 'starting' | 'stopping'>>({});

  const openRef = ref<SessionRef | null>(null);
  /** The open session's summary: up to ~2,000 points per uid, not worth deep reactivity. */
  const summary = shallowRef<SessionSummary | null>(null);
  const opening = ref(false);
  const openError = ref<UiError | null>(null);

  const replayResult = shallowRef<(ReplayResult & { settings: ReplaySettings }) | null>(null);
  const replaying = ref(false);
  const replayError = ref<UiError | null>(null);

  const sweepRows = shallowRef<(SweepRows[number] & { uid: number })[] | null>(null);
  const sweeping = ref(false);
  const sweepError = ref<UiError | null>(null);

  const unsubscribes: Unsubscribe[] = [];

  const comparison = computed(() => (replayResult.value ? compareKills(replayResult.value.predicted, replayResult.value.actual) : []));

  function recordingOf(serial: string): SessionInfo | undefined {
    return sessions.value.find((session) => session.serial === serial && session.recording);
  }

  function accept(list: SessionInfo[]): void {
    sessions.value = [...list].sort((a, b) => b.startedAt - a.startedAt);
    loaded.value = true;
  }

  function upsert(info: SessionInfo): void {
    const index = sessions.value.findIndex((session) => session.id === info.id);
    if (index >= 0) sessions.value.splice(index, 1, info);
    else accept([info, ...sessions.value]);
  }

  function subscribe(): void {
    if (unsubscribes.length) return;
    unsubscribes.push(api.on('sessionsChanged', accept));
  }
  function unsubscribeAll(): void {
    for (const off of unsubscribes.splice(0)) off();
  }

  async function load(): Promise<void> {
    try {
      accept(await api.listSessions({}));
      error.value = null;
    } catch (failure) {
      error.value = toUiError(failure);
      loaded.value = true;
    }
  }

  async function record(serial: string, on: boolean): Promise<void> {
    busy.value = { ...busy.value, [serial]: on ? 'starting' : 'stopping' };
    error.value = null;
    try {
      upsert(on ? await api.startRecording({ serial }) : await api.stopRecording({ serial }));
    } catch (failure) {
      error.value = toUiError(failure);
    } finally {
      const { [serial]: _done, ...rest } = busy.value;
      busy.value = rest;
    }
  }
  const startRecording = (serial: string) => record(serial, true);
  const stopRecording = (serial: string) => record(serial, false);

  async function open(session: SessionRef): Promise<boolean> {
    opening.value = true;
    openError.value = null;
    try {
      const result = await api.openSession({ session });
      openRef.value = session;
      summary.value = result;
      replayResult.value = null;
      replayError.value = null;
      sweepRows.value = null;
      sweepError.value = null;
      return true;
    } catch (failure) {
      openError.value = toUiError(failure);
      return false;
    } finally {
      opening.value = false;
    }
  }

  function close(): void {
    openRef.value = null;
    summary.value = null;
    replayResult.value = null;
    sweepRows.value = null;
    replayError.value = null;
    sweepError.value = null;
  }

  async function replay(settings: ReplaySettings): Promise<void> {
    const session = openRef.value;
    if (!session) return;
    replaying.value = true;
    replayError.value = null;
    try {
      const result = await api.replaySession({ session, settings });
      replayResult.value = { ...result, settings };
    } catch (failure) {
      replayError.value = toUiError(failure);
    } finally {
      replaying.value = false;
    }
  }

  async function sweep(params: SweepParams): Promise<void> {
    const session = openRef.value;
    if (!session) return;
    sweeping.value = true;
    sweepError.value = null;
    try {
      const rows = await api.sweepSession({ session, ...params });
      sweepRows.value = rows.map((row) => ({ ...row, uid: params.uid }));
    } catch (failure) {
      sweepError.value = toUiError(failure);
    } finally {
      sweeping.value = false;
    }
  }

  return {
    sessions, loaded, error, busy, openRef, summary, opening, openError, replayResult, replaying, replayError, sweepRows, sweeping, sweepError, comparison,
    recordingOf, subscribe, unsubscribeAll, load, startRecording, stopRecording, open, close, replay, sweep,
  };
});
