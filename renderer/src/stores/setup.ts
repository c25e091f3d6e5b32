import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DaemonStatus } from '../../../contract/domains/devices.js';
import type { PayloadSource, PipelineRun } from '../../../contract/domains/provisioning.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';
import { useSettingsStore } from './settings.js';

export interface SetupOptions {
  payload: PayloadSource;
  interval: number;
  reload: boolean;
}

export const DEFAULT_SETUP: SetupOptions = { payload: { kind: 'auto' }, interval: 3, reload: false };

/** Provisioning runs (push → insmod → verify → daemon) and the daemon, per device. */
export const useSetupStore = defineStore('setup', () => {
  const api = useApi();
  const settings = useSettingsStore();
  const runs = ref<Record<string, PipelineRun>>({});
  const options = ref<Record<string, SetupOptions>>({});
  const daemon = ref<Record<string, DaemonStatus>>({});
  /** When daemon[serial] was read (host ms), to tell it from a newer probe of the device. */
  const daemonAt = ref<Record<string, number>>({});
  const errors = ref<Record<string, UiError | null>>({});
  const starting = ref<Record<string, boolean>>({});
  let unsubscribe: Unsubscribe | null = null;

  function optionsFor(serial: string): SetupOptions {
    if (!options.value[serial]) options.value[serial] = { ...structuredClone(DEFAULT_SETUP), interval: settings.settings?.defaultInterval ?? DEFAULT_SETUP.interval };
    return options.value[serial];
  }

  function accept(run: PipelineRun): void {
    const current = runs.value[run.serial];
    // A late event of an older run must not hide the newer one.
    if (current && current.runId !== run.runId && current.state === 'running' && run.state !== 'running') return;
    runs.value[run.serial] = run;
    if (run.state !== 'running' && current?.state === 'running') void refreshDaemon(run.serial);
  }

  function setDaemon(serial: string, status: DaemonStatus): void {
    daemon.value[serial] = status;
    daemonAt.value[serial] = Date.now();
  }

  function subscribe(): void {
    if (unsubscribe) return;
    unsubscribe = api.on('provisioningProgress', accept);
  }
  function unsubscribeAll(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function start(serial: string): Promise<void> {
    const chosen = optionsFor(serial);
    errors.value[serial] = null;
    starting.value[serial] = true;
    try {
      const run = await api.startProvisioning({ serial, payload: chosen.payload, interval: chosen.interval, reload: chosen.reload });
      const current = runs.value[serial];
      // Progress events may already have overtaken the reply.
      if (!current || current.runId !== run.runId) runs.value[serial] = run;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    } finally {
      starting.value[serial] = false;
    }
  }

  async function cancel(serial: string): Promise<void> {
    const run = runs.value[serial];
    if (!run) return;
    try {
      await api.cancelProvisioning({ runId: run.runId });
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  async function refreshDaemon(serial: string): Promise<void> {
    try {
      setDaemon(serial, await api.getDaemonStatus({ serial }));
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  async function startDaemon(serial: string): Promise<void> {
    try {
      setDaemon(serial, await api.startDaemon({ serial, interval: optionsFor(serial).interval }));
      errors.value[serial] = null;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  async function stopDaemon(serial: string): Promise<void> {
    try {
      setDaemon(serial, await api.stopDaemon({ serial }));
      errors.value[serial] = null;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  return { runs, options, daemon, daemonAt, errors, starting, optionsFor, subscribe, unsubscribeAll, start, cancel, refreshDaemon, startDaemon, stopDaemon };
});
