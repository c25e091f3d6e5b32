import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../../contract/domains/app.js';
import type { GoldfishApi } from '../../../contract/index.js';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const error = ref<string | null>(null);

  async function load(api: GoldfishApi): Promise<void> {
    try {
      info.value = await api.getAppInfo({});
      error.value = null;
    } catch (failure) {
      error.value = (failure as Error).message;
    }
  }

  return { info, error, load };
});
