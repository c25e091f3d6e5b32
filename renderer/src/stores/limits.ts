import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LimitsState } from '../../../contract/domains/limits.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';

/** Desired limits and what the device has applied, per device. */
export const useLimitsStore = defineStore('limits', () => {
  const api = useApi();
  const bySerial = ref<Record<string, LimitsState>>({});
  const errors = ref<Record<string, UiError | null>>({});
  const busy = ref<Record<string, boolean>>({});
  let unsubscribe: Unsubscribe | null = null;

  function accept(state: LimitsState): void {
    bySerial.value[state.serial] = state;
  }

  function subscribe(): void {
    if (unsubscribe) return;
    unsubscribe = api.on('limitsChanged', accept);
  }
  function unsubscribeAll(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function run(serial: string, action: () => Promise<LimitsState>): Promise<boolean> {
    busy.value[serial] = true;
    try {
      accept(await action());
      errors.value[serial] = null;
      return true;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
      return false;
    } finally {
      busy.value[serial] = false;
    }
  }

  function load(serial: string): Promise<boolean> {
    return run(serial, () => api.getLimits({ serial }));
  }
  function set(serial: string, limit: { user: string; bytes: number; grace: number }, apply = true): Promise<boolean> {
    return run(serial, () => api.setLimit({ serial, user: limit.user, mmMax: limit.bytes, grace: limit.grace, apply }));
  }
  function remove(serial: string, uid: number): Promise<boolean> {
    return run(serial, () => api.removeLimit({ serial, uid }));
  }
  function apply(serial: string): Promise<boolean> {
    return run(serial, () => api.applyLimits({ serial }));
  }

  return { bySerial, errors, busy, subscribe, unsubscribeAll, load, set, remove, apply };
});
