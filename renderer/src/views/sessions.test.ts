// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../contract/domains/devices.js';
import { ApiError } from '../../../contract/index.js';
import { API_KEY } from '../api/inject.js';
import { useDevicesStore } from '../stores/devices.js';
import { useSessionsStore } from '../stores/sessions.js';
import { createFakeApi, type FakeApi } from '../testing/fakeApi.js';
import { demoSummary, installFakeSessions } from '../testing/fakeSessions.js';
import { createTestPinia } from '../testing/pinia.js';
import SessionsView from './SessionsView.vue';

// happy-dom has no canvas: uPlot draws into a 2D context that does nothing (its hooks still run, so markers are placed).
HTMLCanvasElement.prototype.getContext = function getContext(this: HTMLCanvasElement) {
  const state: Record<string | symbol, unknown> = { canvas: this };
  return new Proxy(state, {
    get: (target, key) => (key in target ? target[key] : key === 'measureText' ? () => ({ width: 10 }) : () => undefined),
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
} as unknown as typeof HTMLCanvasElement.prototype.getContext;
class Path2DStub {
  constructor() {
    return new Proxy(this, { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : () => undefined) });
  }
}
(globalThis as { Path2D?: unknown }).Path2D ??= Path2DStub;

let api: FakeApi;
let pinia: ReturnType<typeof createTestPinia>;
const online: Device = { serial: 'emulator-5554', state: 'device', kind: 'simulated' };
const saved = { id: 'emulator-5554__1700000000000.gfsession', path: '/data/sessions/emulator-5554__1700000000000.gfsession', serial: 'emulator-5554', startedAt: 1_700_000_000_000, bytes: 48_213, recording: false };

beforeEach(() => {
  api = createFakeApi({
    getAdbStatus: () => ({ source: 'path', binary: '/usr/bin/adb', serverPort: 5037, serverRunning: true }),
    listDevices: () => [online],
  });
  installFakeSessions(api, [saved]);
  pinia = createTestPinia(api);
});

async function mounted() {
  await useDevicesStore().refresh();
  useSessionsStore().subscribe();
  const wrapper = mount(SessionsView, { global: { plugins: [pinia], provide: { [API_KEY as symbol]: api } }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

async function openSaved(wrapper: Awaited<ReturnType<typeof mounted>>) {
  await wrapper.get(`[data-testid="session-row-${saved.id}"] [data-testid=session-open]`).trigger('click');
  await flushPromises();
}

describe('SessionsView', () => {
  it('records the selected device: Record → badge in the list → Stop', async () => {
    const wrapper = await mounted();
    expect(wrapper.get('[data-testid=record-state]').text()).toBe('not recording');
    await wrapper.get('[data-testid=session-record]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid=record-state]').text()).toContain('recording');
    expect(wrapper.findAll('[data-testid=session-recording-badge]')).toHaveLength(1);
    expect(api.callsOf('startRecording')).toEqual([{ serial: 'emulator-5554' }]);
    await wrapper.get('[data-testid=session-stop]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=session-recording-badge]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=session-record]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('follows sessionsChanged from elsewhere (another window started a recording)', async () => {
    const wrapper = await mounted();
    api.emit('sessionsChanged', [{ ...saved, recording: true }]);
    await flushPromises();
    expect(wrapper.get('[data-testid=record-state]').text()).toContain('recording');
    expect(wrapper.find('[data-testid=session-stop]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('opens a saved session: device, settings in force, chart and recorded kills; a bad path shows the backend error', async () => {
    const wrapper = await mounted();
    await wrapper.get('[data-testid=session-open-path]').trigger('submit');
    expect(wrapper.get('[data-testid=session-path-error]').text()).toContain('Enter the path');
    expect(api.callsOf('openSession')).toHaveLength(0);
    await wrapper.get('[data-testid=session-path]').setValue('/tmp/missing.gfsession');
    await wrapper.get('[data-testid=session-path-form]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid=session-open-error]').text()).toContain('Cannot read /tmp/missing.gfsession');
    expect(wrapper.get('[data-testid=session-open-error]').text()).toContain('Fix: Pick a .gfsession file');

    await openSaved(wrapper);
    const detail = wrapper.get('[data-testid=session-detail]');
    expect(detail.text()).toContain('3.4.67-goldfish');
    expect(wrapper.get('[data-testid=session-settings]').text()).toMatch(/^u0_a70 ≤ .+ · T = 3 s$/);
    expect(wrapper.find('[data-testid=session-truncated]').exists()).toBe(false);
    expect(wrapper.get('[data-testid=uid-chart]').attributes('data-series')).toBe('2');
    expect(wrapper.get('[data-testid=recorded-kill-4242]').text()).toContain('pid 4242');
    // The what-if form starts from the settings in force.
    expect((wrapper.get('[data-testid=whatif-user-0]').element as HTMLInputElement).value).toBe('u0_a70');
    expect((wrapper.get('[data-testid=whatif-amount-0]').element as HTMLInputElement).value).toBe('100000000');
    expect((wrapper.get('[data-testid=whatif-interval]').element as HTMLInputElement).value).toBe('3');
    wrapper.unmount();
  });

  it('warns about a truncated file', async () => {
    installFakeSessions(api, [saved], (info) => demoSummary(info, { truncated: true }));
    const wrapper = await mounted();
    await openSaved(wrapper);
    expect(wrapper.get('[data-testid=session-truncated]').text()).toContain('cut short');
    wrapper.unmount();
  });

  it('replays: predicted = recorded with the settings in force, none at 300 MB; invalid input is refused inline', async () => {
    const wrapper = await mounted();
    await openSaved(wrapper);
    await wrapper.get('[data-testid=whatif-form]').trigger('submit');
    await flushPromises();
    const summary = wrapper.get('[data-testid=replay-summary]');
    expect([summary.attributes('data-predicted'), summary.attributes('data-recorded'), summary.attributes('data-matched')]).toEqual(['1', '1', '1']);
    expect(wrapper.get('[data-testid=compare-row-4242]').attributes('data-match')).toBe('matched');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(wrapper.find('[data-testid="predicted-marker-4242-112000"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="kill-marker-0"]').exists()).toBe(true);

    await wrapper.get('[data-testid=whatif-amount-0]').setValue('300');
    await wrapper.get('[data-testid=whatif-unit-0]').setValue('MB');
    await wrapper.get('[data-testid=whatif-form]').trigger('submit');
    await flushPromises();
    expect(api.callsOf('replaySession').at(-1)?.settings).toEqual({ limits: [{ uid: 10070, mmMax: 300 * 1024 * 1024, grace: 0 }], interval: 3 });
    expect(wrapper.get('[data-testid=replay-summary]').attributes('data-predicted')).toBe('0');
    expect(wrapper.get('[data-testid=compare-row-4242]').attributes('data-match')).toBe('recorded only');

    const before = api.callsOf('replaySession').length;
    await wrapper.get('[data-testid=whatif-add]').trigger('click');
    await wrapper.get('[data-testid=whatif-user-1]').setValue('root');
    expect(wrapper.get('[data-testid=whatif-user-error-1]').text()).toContain('root');
    await wrapper.get('[data-testid=whatif-interval]').setValue('0');
    expect(wrapper.get('[data-testid=whatif-interval-error]').text()).toContain('1 to 3600');
    await wrapper.get('[data-testid=whatif-form]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid=whatif-amount-error-1]').text()).toContain('Enter a limit');
    expect(api.callsOf('replaySession')).toHaveLength(before);
    wrapper.unmount();
  });

  it('shows a backend replay failure in the error banner', async () => {
    api.handle('replaySession', () => {
      throw new ApiError({ code: 'session-format', message: 'run.gfsession: version 2 is not supported (this app reads version 1)', hint: 'Update the app.' });
    });
    const wrapper = await mounted();
    await openSaved(wrapper);
    await wrapper.get('[data-testid=whatif-form]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid=replay-error]').text()).toContain('version 2 is not supported');
    expect(wrapper.find('[data-testid=replay-result]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('sweeps one uid and shows kills per setting with a bar per row', async () => {
    const wrapper = await mounted();
    await openSaved(wrapper);
    expect((wrapper.get('[data-testid=sweep-user]').element as HTMLInputElement).value).toBe('u0_a70');
    await wrapper.get('[data-testid=sweep-from]').setValue('200');
    await wrapper.get('[data-testid=sweep-to]').setValue('50');
    expect(wrapper.get('[data-testid=sweep-to-error]').text()).toContain('must not be below');
    await wrapper.get('[data-testid=sweep-form]').trigger('submit');
    expect(api.callsOf('sweepSession')).toHaveLength(0);
    await wrapper.get('[data-testid=sweep-from]').setValue('50');
    await wrapper.get('[data-testid=sweep-to]').setValue('200');
    await wrapper.get('[data-testid=sweep-steps]').setValue('3');
    await wrapper.get('[data-testid=sweep-form]').trigger('submit');
    await flushPromises();
    expect(api.callsOf('sweepSession')[0]).toEqual({ session: { id: saved.id }, uid: 10070, from: 50 * 1024 ** 2, to: 200 * 1024 ** 2, steps: 3, grace: 0, interval: 3 });
    const rows = wrapper.findAll('[data-testid^=sweep-row-]');
    expect(rows.map((row) => row.attributes('data-kills'))).toEqual(['1', '1', '0', '0']);
    expect((rows[0].get('.bar').element as HTMLElement).style.width).toBe('100%');
    expect((rows[3].get('.bar').element as HTMLElement).style.width).toBe('0%');
    wrapper.unmount();
  });
});
