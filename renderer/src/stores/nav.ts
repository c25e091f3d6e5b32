import { defineStore } from 'pinia';
import { ref } from 'vue';

export const VIEWS = [
  { id: 'devices', label: 'Devices' },
  { id: 'setup', label: 'Setup' },
  { id: 'limits', label: 'Limits' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'log', label: 'Kernel log' },
  { id: 'workloads', label: 'Workloads' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'settings', label: 'Settings' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export function isViewId(value: string): value is ViewId {
  return VIEWS.some((view) => view.id === value);
}

export type Theme = 'auto' | 'light' | 'dark';

/** Which view is shown (mirrored in location.hash by App.vue), the theme, and cross-view jumps. */
export const useNavStore = defineStore('nav', () => {
  const view = ref<ViewId>('devices');
  const theme = ref<Theme>('auto');
  /** A kernel-log line the log view should scroll to and highlight. */
  const logFocus = ref<{ serial: string; index: number } | null>(null);
  /** A host time (ms) the monitor should centre its window on. */
  const chartFocus = ref<{ serial: string; at: number } | null>(null);

  function go(target: ViewId): void {
    view.value = target;
  }
  function showLogLine(serial: string, index: number): void {
    logFocus.value = { serial, index };
    view.value = 'log';
  }
  function showInChart(serial: string, at: number): void {
    chartFocus.value = { serial, at };
    view.value = 'monitor';
  }
  function setTheme(next: Theme): void {
    theme.value = next;
  }

  return { view, theme, logFocus, chartFocus, go, showLogLine, showInChart, setTheme };
});
