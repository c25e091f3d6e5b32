import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ReportSummary, ScenarioRunStatus, SuiteInfo } from '../../../contract/domains/scenarios.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';

/** Scenario suites, the runs going on (one per device, several devices at once) and the reports of past runs. */
export const useScenariosStore = defineStore('scenarios', () => {
  const api = useApi();
  const suites = ref<SuiteInfo[]>([]);
  const runs = ref<Record<string, ScenarioRunStatus>>({});
  const reports = ref<ReportSummary[]>([]);
  const openReport = ref<{ id: string; html: string } | null>(null);
  const error = ref<UiError | null>(null);
  const starting = ref(false);
  const unsubscribes: Unsubscribe[] = [];

  const runList = computed(() => Object.values(runs.value).sort((a, b) => b.startedAt - a.startedAt));

  function runFor(serial: string): ScenarioRunStatus | undefined {
    return runList.value.find((run) => run.serial === serial);
  }

  function accept(run: ScenarioRunStatus): void {
    const before = runs.value[run.runId];
    runs.value[run.runId] = run;
    if (before?.state === 'running' && run.state !== 'running') void loadReports();
  }

  function subscribe(): void {
    if (unsubscribes.length) return;
    unsubscribes.push(api.on('scenarioRunChanged', accept));
  }
  function unsubscribeAll(): void {
    for (const off of unsubscribes.splice(0)) off();
  }

  async function load(): Promise<void> {
    try {
      const [s, r] = await Promise.all([api.listSuites({}), api.listScenarioRuns({})]);
      suites.value = s;
      for (const run of r) runs.value[run.runId] = run;
      await loadReports();
    } catch (failure) {
      error.value = toUiError(failure);
    }
  }

  async function loadReports(): Promise<void> {
    try {
      reports.value = await api.listReports({});
    } catch (failure) {
      error.value = toUiError(failure);
    }
  }

  async function start(serial: string, suite: string): Promise<void> {
    starting.value = true;
    error.value = null;
    try {
      accept(await api.startScenarioRun({ serial, suite }));
    } catch (failure) {
      error.value = toUiError(failure);
    } finally {
      starting.value = false;
    }
  }

  async function cancel(runId: string): Promise<void> {
    try {
      await api.cancelScenarioRun({ runId });
    } catch (failure) {
      error.value = toUiError(failure);
    }
  }

  async function open(id: string): Promise<void> {
    try {
      const report = await api.getReport({ id, format: 'html' });
      openReport.value = { id, html: report.content };
    } catch (failure) {
      error.value = toUiError(failure);
    }
  }

  async function fetchJson(id: string): Promise<string | undefined> {
    try {
      return (await api.getReport({ id, format: 'json' })).content;
    } catch (failure) {
      error.value = toUiError(failure);
      return undefined;
    }
  }

  function close(): void {
    openReport.value = null;
  }

  return { suites, runs, reports, openReport, error, starting, runList, runFor, subscribe, unsubscribeAll, load, loadReports, start, cancel, open, fetchJson, close };
});
