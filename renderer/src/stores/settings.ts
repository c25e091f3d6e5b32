import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Settings } from '../../../contract/domains/app.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';

/** The app's settings as the backend keeps them (adb, the default daemon interval, the sample rate). */
export const useSettingsStore = defineStore('settings', () => {
  const api = useApi();
  const settings = ref<Settings | null>(null);
  const error = ref<UiError | null>(null);
  const saving = ref(false);

  async function load(): Promise<Settings | null> {
    try {
      settings.value = await api.getSettings({});
      error.value = null;
    } catch (failure) {
      error.value = toUiError(failure);
    }
    return settings.value;
  }

  async function save(patch: Partial<Settings>): Promise<boolean> {
    saving.value = true;
    try {
      settings.value = await api.updateSettings(patch);
      error.value = null;
      return true;
    } catch (failure) {
      error.value = toUiError(failure);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { settings, error, saving, load, save };
});
