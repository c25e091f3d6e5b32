// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../contract/domains/app.js';
import { API_KEY } from '../api/inject.js';
import { useSetupStore } from '../stores/setup.js';
import { useSettingsStore } from '../stores/settings.js';
import { createFakeApi } from '../testing/fakeApi.js';
import { createTestPinia } from '../testing/pinia.js';
import SettingsView from './SettingsView.vue';

function setup() {
  let stored: Settings = { adbServerPort: 5037, defaultInterval: 3, sampleHz: 1 };
  const saved: Array<Partial<Settings>> = [];
  const api = createFakeApi({
    getSettings: () => stored,
    updateSettings: (patch) => ((stored = { ...stored, ...patch }), saved.push(patch), stored),
    getAdbStatus: () => ({ source: 'path', binary: '/usr/bin/adb', version: '1.0.41', serverPort: 5037, serverRunning: true }),
    listDevices: () => [],
  });
  const pinia = createTestPinia(api);
  const wrapper = mount(SettingsView, { global: { plugins: [pinia], provide: { [API_KEY as symbol]: api } } });
  return { wrapper, saved };
}

describe('Settings', () => {
  it('refuses invalid values inline and sends nothing', async () => {
    const { wrapper, saved } = setup();
    await flushPromises();
    await wrapper.get('[data-testid=settings-interval]').setValue('0');
    await wrapper.get('[data-testid=settings-hz]').setValue('9');
    expect(wrapper.text()).toContain('T is a whole number of seconds from 1 to 3600.');
    expect(wrapper.text()).toContain('The sample rate is 0.1 to 4 per second.');
    expect(wrapper.get('[data-testid=settings-save]').attributes('disabled')).toBeDefined();
    await wrapper.get('form').trigger('submit');
    expect(saved).toEqual([]);
  });

  it('saves, and Setup then proposes the saved default interval', async () => {
    const { wrapper, saved } = setup();
    await flushPromises();
    await wrapper.get('[data-testid=settings-interval]').setValue('5');
    await wrapper.get('[data-testid=settings-hz]').setValue('2');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(saved).toEqual([{ adbPath: '', adbServerPort: 5037, defaultInterval: 5, sampleHz: 2 }]);
    expect(wrapper.find('[data-testid=settings-saved]').exists()).toBe(true);
    expect(useSettingsStore().settings?.defaultInterval).toBe(5);
    expect(useSetupStore().optionsFor('emulator-5554').interval).toBe(5);
  });
});
