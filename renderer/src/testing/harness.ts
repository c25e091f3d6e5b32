// Dev-only: the real App on the scripted demo backend. Loaded by renderer/harness.html, which is not an input of
// the production build (electron.vite.config.mts builds renderer/index.html only).
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from '../App.vue';
import { API_KEY } from '../api/inject.js';
import '../styles.css';
import { createDemoBackend } from './demoBackend.js';

const params = new URLSearchParams(window.location.search);
const { api } = createDemoBackend({
  history: Number(params.get('history') ?? 0) || undefined,
  logLines: Number(params.get('logLines') ?? 0) || undefined,
  tickMs: Number(params.get('tickMs') ?? 1000),
  adbMissing: params.has('noadb'),
});
(window as unknown as { demoApi: unknown }).demoApi = api;
createApp(App).use(createPinia()).provide(API_KEY, api).mount('#app');
