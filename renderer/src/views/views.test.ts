// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../contract/domains/devices.js';
import App from '../App.vue';
import { API_KEY } from '../api/inject.js';
import KillTable from '../components/KillTable.vue';
import StepList from '../components/StepList.vue';
import WorkloadForm from '../components/WorkloadForm.vue';
import { useDevicesStore } from '../stores/devices.js';
import { createFakeApi, type FakeApi } from '../testing/fakeApi.js';
import { createTestPinia } from '../testing/pinia.js';
import DevicesView from './DevicesView.vue';
import LimitsView from './LimitsView.vue';

let api: FakeApi;
let pinia: ReturnType<typeof createTestPinia>;
const online: Device = { serial: 'emulator-5554', state: 'device', kind: 'simulated', probe: { modules: ['mylimit', 'set_mm_limit', 'oom'], daemon: { running: true, pid: 364, interval: 3 }, probedAt: 0, kernel: '3.4.67-goldfish' } };

beforeEach(() => {
  api = createFakeApi({
    getAppInfo: () => ({ name: 'Goldfish OOM Manager', version: '0.1.0', mode: 'serve', platform: 'linux', node: 'v20' }),
    getAdbStatus: () => ({ source: 'path', binary: '/usr/bin/adb', version: '1.0.41', serverPort: 5037, serverRunning: true }),
    listDevices: () => [online],
    getLimits: ({ serial }) => ({ serial, desired: [], extra: [], modulesLoaded: true }),
    setLimit: (req) => ({ serial: req.serial, desired: [{ uid: 10070, user: 'u0_a70', mmMax: Number(req.mmMax), grace: req.grace ?? 0, sync: 'applied' }], extra: [], modulesLoaded: true }),
  });
  pinia = createTestPinia(api);
});

const options = () => ({ global: { plugins: [pinia], provide: { [API_KEY as symbol]: api } } });

describe('App', () => {
  it('shows the version, a nav with the current view marked, and switches views from the nav', async () => {
    const wrapper = mount(App, { ...options(), attachTo: document.body });
    await flushPromises();
    expect(wrapper.get('[data-testid=app-version]').text()).toContain('serve');
    expect(wrapper.get('[data-testid=nav-devices]').attributes('aria-current')).toBe('page');
    expect(wrapper.find('[data-testid=device-emulator-5554]').exists()).toBe(true);
    await wrapper.get('[data-testid=nav-limits]').trigger('click');
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flushPromises();
    expect(wrapper.get('[data-testid=nav-limits]').attributes('aria-current')).toBe('page');
    expect(window.location.hash).toBe('#/limits');
    wrapper.unmount();
  });
});

describe('DevicesView', () => {
  it('says when adb is missing and what an unauthorized device needs', async () => {
    api.handle('getAdbStatus', () => ({ source: 'none', serverPort: 5037, serverRunning: false }));
    api.handle('listDevices', () => [{ serial: '0123456789ABCDEF', state: 'unauthorized', kind: 'usb' }]);
    const wrapper = mount(DevicesView, options());
    await useDevicesStore().refresh();
    await flushPromises();
    expect(wrapper.get('[data-testid=adb-missing]').text()).toContain('adb was not found');
    expect(wrapper.get('[data-testid=device-fix]').text()).toContain('Allow USB debugging');
  });

  it('refuses a bad boot request inline', async () => {
    const wrapper = mount(DevicesView, options());
    await wrapper.get('[data-testid=boot-ram]').setValue('64');
    expect(wrapper.text()).toContain('RAM is a whole number of MiB from 128');
    expect(wrapper.get('[data-testid=boot-button]').attributes('disabled')).toBeDefined();
  });

  it('boots with the OOM killer picked in a labelled select (default corrected); the card shows a seed-faithful badge', async () => {
    let port = 5556;
    api.handle('bootSimulator', (req) => {
      port += 2;
      return { serial: `emulator-${port - 1}`, state: 'device', kind: 'simulated', simulator: { port, ramMiB: req.ramMiB ?? 1024, seed: req.seed ?? 1, speed: req.speed ?? 1, oomMode: req.oomMode ?? 'corrected', status: 'running' } };
    });
    const wrapper = mount(DevicesView, { ...options(), attachTo: document.body });
    await flushPromises();
    const select = wrapper.get<HTMLSelectElement>('[data-testid=boot-oom-mode]');
    expect(select.element.closest('label')!.textContent).toContain('OOM killer');
    expect(select.findAll('option').map((o) => [o.attributes('value'), o.text()])).toEqual([
      ['corrected', "corrected (this project's modules)"],
      ['seed-faithful', "seed-faithful (the original design's defects)"],
    ]);
    expect(select.element.value).toBe('corrected');
    expect(wrapper.find('[data-testid=boot-oom-mode-note]').exists()).toBe(false);

    await wrapper.get('[data-testid=boot-form]').trigger('submit');
    await flushPromises();
    expect(api.callsOf('bootSimulator').at(-1)).toEqual({ ramMiB: 1024, seed: 1, speed: 1, oomMode: 'corrected' });
    expect(wrapper.get('[data-testid=device-emulator-5557]').find('[data-testid=device-oom-mode]').exists()).toBe(false);
    expect(wrapper.get('[data-testid=device-emulator-5557] [data-testid=device-sim]').text()).toContain('OOM killer corrected');

    await select.setValue('seed-faithful');
    expect(wrapper.get('[data-testid=boot-oom-mode-note]').text()).toContain('seed-defects suite fails');
    await wrapper.get('[data-testid=boot-seed]').setValue('7');
    await wrapper.get('[data-testid=boot-form]').trigger('submit');
    await flushPromises();
    expect(api.callsOf('bootSimulator').at(-1)).toEqual({ ramMiB: 1024, seed: 7, speed: 1, oomMode: 'seed-faithful' });
    const card = wrapper.get('[data-testid=device-emulator-5559]');
    expect(card.get('[data-testid=device-oom-mode]').text()).toBe('seed-faithful');
    expect(card.get('[data-testid=device-sim]').text()).toContain('OOM killer seed-faithful');
    wrapper.unmount();
  });
});

describe('LimitsView', () => {
  async function mounted() {
    const devices = useDevicesStore();
    await devices.refresh();
    const wrapper = mount(LimitsView, options());
    await flushPromises();
    return wrapper;
  }

  it('refuses invalid limits inline and sends nothing', async () => {
    const wrapper = await mounted();
    await wrapper.get('[data-testid=limit-user]').setValue('root');
    await wrapper.get('[data-testid=limit-amount]').setValue('lots');
    await wrapper.get('[data-testid=limit-form]').trigger('submit');
    expect(wrapper.get('[data-testid=limit-user-error]').text()).toContain('root (uid 0) cannot be limited');
    expect(wrapper.get('[data-testid=limit-amount-error]').text()).toContain('not a size');
    expect(wrapper.get('[data-testid=limit-user]').attributes('aria-invalid')).toBe('true');
    expect(api.callsOf('setLimit')).toEqual([]);
  });

  it('adds a valid limit with the unit applied and shows the row', async () => {
    const wrapper = await mounted();
    await wrapper.get('[data-testid=limit-user]').setValue('u0_a70');
    await wrapper.get('[data-testid=limit-amount]').setValue('100000000');
    await wrapper.get('[data-testid=limit-unit]').setValue('B');
    await wrapper.get('[data-testid=limit-grace]').setValue('20');
    expect(wrapper.get('[data-testid=limit-preview]').text()).toContain('uid 10070');
    await wrapper.get('[data-testid=limit-form]').trigger('submit');
    await flushPromises();
    expect(api.callsOf('setLimit')).toEqual([{ serial: 'emulator-5554', user: 'u0_a70', mmMax: 100_000_000, grace: 20, apply: true }]);
    expect(wrapper.get('[data-testid=limit-row-10070]').attributes('data-sync')).toBe('applied');
  });
});

describe('StepList', () => {
  it('shows progress in bytes, and on failure the device message and the fix', () => {
    const wrapper = mount(StepList, {
      props: {
        steps: [
          { id: 'push', label: 'Push oom.ko', state: 'done', bytes: { done: 54_644, total: 54_644 } },
          { id: 'insmod', label: 'insmod oom', state: 'failed', error: { code: 'insmod', message: 'insmod: init_module failed: Exec format error', hint: 'The module was built for another kernel: pick the matching payload.' } },
        ],
      },
    });
    expect(wrapper.get('[data-testid=step-push] [role=progressbar]').attributes('aria-valuenow')).toBe('100');
    expect(wrapper.get('[data-testid=step-insmod]').attributes('data-state')).toBe('failed');
    expect(wrapper.get('[data-testid=step-error]').text()).toContain('Exec format error');
    expect(wrapper.get('[data-testid=step-error]').text()).toContain('Fix: The module was built for another kernel');
  });
});

describe('WorkloadForm', () => {
  it('fills the seed test 2 preset and launches exactly its parameters', async () => {
    const wrapper = mount(WorkloadForm, { props: { busy: false } });
    await wrapper.get('[data-testid=preset-test2]').trigger('click');
    expect(wrapper.get('[data-testid=workload-preview]').text()).toBe('$ test u0_a70 100000000 20000000 30000000 160000000');
    await wrapper.get('[data-testid=workload-form]').trigger('submit');
    expect(wrapper.emitted('run')?.[0]).toEqual([{ kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [20_000_000, 30_000_000, 160_000_000], grace: 0, ignoreTerm: false }]);
  });

  it('refuses bad parameters inline', async () => {
    const wrapper = mount(WorkloadForm, { props: { busy: false } });
    await wrapper.get('[data-testid=workload-mems]').setValue('20M, lots');
    expect(wrapper.get('[data-testid=workload-error-mems]').text()).toContain('not a size');
    expect(wrapper.get('[data-testid=workload-run]').attributes('disabled')).toBeDefined();
  });
});

describe('KillTable', () => {
  const kill = (index: number, boot: number) => ({ index, ts: 28.707, at: 0, boot, killer: 'mm_limit' as const, pid: 170 + index, uid: 10070, signal: 'SIGTERM' as const });

  it('names the boot of each kill only once the kills span boots (kernel times restart at each)', async () => {
    const wrapper = mount(KillTable, { props: { kills: [kill(1, 0), kill(2, 0)] } });
    expect(wrapper.findAll('[data-testid=kill-boot]')).toHaveLength(0);
    await wrapper.setProps({ kills: [kill(1, 0), kill(2, 1)] });
    expect(wrapper.findAll('[data-testid=kill-boot]').map((cell) => cell.text())).toEqual(['1', '2']);
  });
});
