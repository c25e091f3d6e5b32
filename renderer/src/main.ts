import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { connectApi } from './api/client.js';
import { API_KEY } from './api/inject.js';
import type { GoldfishBridge } from '../../contract/index.js';
import './styles.css';

const api = connectApi({ goldfish: (window as unknown as { goldfish?: GoldfishBridge }).goldfish, location: window.location });
createApp(App).use(createPinia()).provide(API_KEY, api).mount('#app');
