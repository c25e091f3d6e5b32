import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp } from 'vue';
import { API_KEY } from '../api/inject.js';
import type { GoldfishApi } from '../../../contract/index.js';

/** A Pinia installed on an app that provides the given API, so setup stores can inject() it. */
export function createTestPinia(api: GoldfishApi): Pinia {
  const app = createApp({ render: () => null });
  app.provide(API_KEY, api);
  const pinia = createPinia();
  app.use(pinia);
  setActivePinia(pinia);
  return pinia;
}

/** Lets pending promise callbacks (and the fake's async handlers) run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
