import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Workload, WorkloadSpec } from '../../../contract/domains/workloads.js';
import type { RequestOf, Unsubscribe } from '../../../contract/index.js';

export type SpecInput = RequestOf<'runWorkload'>['spec'];
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';

/** Output kept per workload in the window (the backend keeps the whole of it). */
export const OUTPUT_CAP = 256 * 1024;

export interface Preset {
  id: string;
  label: string;
  description: string;
  spec: Extract<WorkloadSpec, { kind: 'test' }>;
}

/** The seed report's tests (section 5). */
export const PRESETS: Preset[] = [
  { id: 'test1', label: 'Test 1', description: 'u0_a70, limit 100000000, one child allocating 160000000: the child is killed.', spec: { kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [160_000_000], grace: 0, ignoreTerm: false } },
  { id: 'test2', label: 'Test 2', description: 'u0_a70, limit 100000000, children of 20000000, 30000000 and 160000000: only the largest is killed.', spec: { kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [20_000_000, 30_000_000, 160_000_000], grace: 0, ignoreTerm: false } },
  { id: 'bonus-grace20', label: 'Bonus: grace 20 s', description: 'Test 1 with time_allow_exceed = 20: the child may stay over the limit for 20 s and finishes.', spec: { kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [160_000_000], grace: 20, ignoreTerm: false } },
  { id: 'bonus-grace0', label: 'Bonus: grace 0 s', description: 'Test 1 with time_allow_exceed = 0: the child is killed at the next check.', spec: { kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [160_000_000], grace: 0, ignoreTerm: false } },
];

/** Test programs and commands running on devices, with their output as it arrives. */
export const useWorkloadsStore = defineStore('workloads', () => {
  const api = useApi();
  const workloads = ref<Record<string, Workload>>({});
  const errors = ref<Record<string, UiError | null>>({});
  const launching = ref(false);
  const selectedId = ref<string | null>(null);
  const unsubscribes: Unsubscribe[] = [];

  const list = computed(() => Object.values(workloads.value).sort((a, b) => b.startedAt - a.startedAt));

  function forDevice(serial: string): Workload[] {
    return list.value.filter((workload) => workload.serial === serial);
  }

  function accept(workload: Workload): void {
    const known = workloads.value[workload.id];
    // workloadChanged carries the whole output; keep whichever is longer (events may race the reply).
    const output = known && known.output.length > workload.output.length ? known.output : workload.output;
    workloads.value[workload.id] = { ...workload, output: cap(output) };
  }

  function subscribe(): void {
    if (unsubscribes.length) return;
    unsubscribes.push(api.on('workloadChanged', accept));
    unsubscribes.push(
      api.on('workloadOutput', ({ id, text }) => {
        const known = workloads.value[id];
        if (known) known.output = cap(known.output + text);
      }),
    );
  }
  function unsubscribeAll(): void {
    while (unsubscribes.length) unsubscribes.pop()?.();
  }

  async function load(serial: string): Promise<void> {
    try {
      for (const workload of await api.listWorkloads({ serial })) accept(workload);
      errors.value[serial] = null;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  async function run(serial: string, spec: SpecInput): Promise<Workload | undefined> {
    launching.value = true;
    errors.value[serial] = null;
    try {
      const workload = await api.runWorkload({ serial, spec });
      accept(workload);
      selectedId.value = workload.id;
      return workload;
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
      return undefined;
    } finally {
      launching.value = false;
    }
  }

  async function stop(id: string): Promise<void> {
    const serial = workloads.value[id]?.serial ?? '';
    try {
      accept(await api.stopWorkload({ id }));
    } catch (failure) {
      errors.value[serial] = toUiError(failure);
    }
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  return { workloads, errors, launching, selectedId, list, forDevice, subscribe, unsubscribeAll, load, run, stop, select };
});

function cap(output: string): string {
  return output.length > OUTPUT_CAP ? output.slice(output.length - OUTPUT_CAP) : output;
}

/** The command line the device runs for a spec (what the output pane heads with before the backend answers). */
export function describeSpec(spec: WorkloadSpec): string {
  if (spec.kind === 'command') return spec.command;
  const flags = [spec.grace ? `-g ${spec.grace}` : '', spec.ignoreTerm ? '-i' : '', spec.holdSeconds !== undefined ? `-h ${spec.holdSeconds}` : '', spec.rateMiBps !== undefined ? `-r ${spec.rateMiBps}` : ''].filter(Boolean);
  return ['test', ...flags, spec.user, String(spec.limit), ...spec.mems.map(String)].join(' ');
}
