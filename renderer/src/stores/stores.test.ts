import { beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../contract/domains/devices.js';
import type { LogLine } from '../../../contract/domains/kernel-log.js';
import type { LimitsState } from '../../../contract/domains/limits.js';
import type { PipelineRun } from '../../../contract/domains/provisioning.js';
import { ApiError } from '../../../contract/index.js';
import { createFakeApi, type FakeApi } from '../testing/fakeApi.js';
import { installFakeSessions } from '../testing/fakeSessions.js';
import { createTestPinia, flush } from '../testing/pinia.js';
import { connectStores } from './connect.js';
import { useDevicesStore } from './devices.js';
import { useKernelLogStore } from './kernelLog.js';
import { useLimitsStore } from './limits.js';
import { autoSelection, useMonitorStore } from './monitor.js';
import { useSessionsStore } from './sessions.js';
import { useSetupStore } from './setup.js';
import { OUTPUT_CAP, useWorkloadsStore } from './workloads.js';

const device = (serial: string, state: Device['state'] = 'device'): Device => ({ serial, state, kind: 'simulated' });
const limits = (serial: string, rows: LimitsState['desired'] = []): LimitsState => ({ serial, desired: rows, extra: [], modulesLoaded: true });
const lines = (from: number, count: number): LogLine[] => Array.from({ length: count }, (_, i) => ({ index: from + i, ts: from + i, level: 6, text: `line ${from + i}` }));

let api: FakeApi;
beforeEach(() => {
  api = createFakeApi();
  createTestPinia(api);
});

describe('connectStores', () => {
  it('subscribes every event once, however often it is called, and unsubscribes', () => {
    const disconnect = connectStores();
    connectStores();
    for (const event of ['devicesChanged', 'provisioningProgress', 'limitsChanged', 'samples', 'logLines', 'kills', 'workloadOutput', 'workloadChanged', 'sessionsChanged', 'samplerStatus'] as const) expect(api.listenerCount(event)).toBe(1);
    disconnect();
    expect(api.listenerCount('samples')).toBe(0);
  });
});

describe('devices store', () => {
  it('selects the first online device and follows devicesChanged', async () => {
    api.handle('getAdbStatus', () => ({ source: 'path', binary: '/usr/bin/adb', serverPort: 5037, serverRunning: true }));
    api.handle('listDevices', () => [device('emulator-5554', 'offline'), device('emulator-5556')]);
    const store = useDevicesStore();
    store.subscribe();
    await store.refresh();
    expect(store.selectedSerial).toBe('emulator-5556');
    api.emit('devicesChanged', [device('emulator-5554')]);
    expect(store.selectedSerial).toBe('emulator-5554');
    expect(store.selectedOnline).toBe(true);
  });

  it('boots a simulator, selects it, and shows a failure with its hint', async () => {
    api.handle('bootSimulator', (req) => ({ ...device('emulator-5558'), simulator: { port: 5558, ramMiB: req.ramMiB ?? 0, seed: 1, speed: 1, oomMode: req.oomMode ?? 'corrected', status: 'running' } }));
    const store = useDevicesStore();
    await store.boot({ ramMiB: 512, seed: 1, speed: 2 });
    expect(api.callsOf('bootSimulator')).toEqual([{ ramMiB: 512, seed: 1, speed: 2 }]);
    expect(store.selectedSerial).toBe('emulator-5558');
    api.handle('bootSimulator', () => {
      throw new ApiError({ code: 'sim-failed', message: 'port 5560 is taken', hint: 'Stop the other emulator.' });
    });
    await store.boot({ ramMiB: 512, seed: 1, speed: 2 });
    expect(store.bootError).toMatchObject({ message: 'port 5560 is taken', hint: 'Stop the other emulator.' });
  });

  it('does not take the selection away from a device the user picked while the simulator booted', async () => {
    // The boot returns seconds later; meanwhile the user went to another device and started working on it
    // (its setup run is what the Setup view shows). The late reply must not switch the view away from it.
    let finish!: () => void;
    api.handle('bootSimulator', () => new Promise<Device>((resolve) => (finish = () => resolve(device('emulator-5558')))));
    const store = useDevicesStore();
    store.subscribe();
    api.emit('devicesChanged', [device('emulator-5554'), device('emulator-5556')]);
    const booting = store.boot({ ramMiB: 512, seed: 1, speed: 2 });
    store.select('emulator-5556');
    await flush();
    finish();
    await booting;
    expect(store.selectedSerial).toBe('emulator-5556');
    expect(store.devices.map((d) => d.serial)).toContain('emulator-5558');
    // Without a pick in between, the booted device is shown.
    api.handle('bootSimulator', () => device('emulator-5560'));
    await store.boot({ ramMiB: 512, seed: 2, speed: 2 });
    expect(store.selectedSerial).toBe('emulator-5560');
  });
});

describe('setup store', () => {
  const run = (runId: string, state: PipelineRun['state']): PipelineRun => ({ runId, serial: 'emulator-5554', state, steps: [{ id: 'push', label: 'Push', state: state === 'running' ? 'running' : 'done' }] });

  it('starts with the chosen options and follows progress, ignoring a late event of an older run', async () => {
    api.handle('startProvisioning', () => run('r2', 'running'));
    const store = useSetupStore();
    store.subscribe();
    store.optionsFor('emulator-5554').interval = 5;
    await store.start('emulator-5554');
    expect(api.callsOf('startProvisioning')[0]).toMatchObject({ serial: 'emulator-5554', interval: 5, payload: { kind: 'auto' } });
    api.emit('provisioningProgress', run('r1', 'failed'));
    expect(store.runs['emulator-5554'].runId).toBe('r2');
    api.emit('provisioningProgress', run('r2', 'succeeded'));
    expect(store.runs['emulator-5554'].state).toBe('succeeded');
  });
});

describe('limits store', () => {
  it('sends bytes and keeps the state the backend answers; failures stay per device', async () => {
    api.handle('setLimit', (req) => limits(req.serial, [{ uid: 10070, user: 'u0_a70', mmMax: Number(req.mmMax), grace: req.grace ?? 0, sync: 'applied' }]));
    const store = useLimitsStore();
    store.subscribe();
    expect(await store.set('emulator-5554', { user: 'u0_a70', bytes: 100_000_000, grace: 20 })).toBe(true);
    expect(api.callsOf('setLimit')[0]).toEqual({ serial: 'emulator-5554', user: 'u0_a70', mmMax: 100_000_000, grace: 20, apply: true });
    expect(store.bySerial['emulator-5554'].desired[0].mmMax).toBe(100_000_000);
    api.emit('limitsChanged', limits('emulator-5556'));
    expect(Object.keys(store.bySerial)).toEqual(['emulator-5554', 'emulator-5556']);
    api.handle('applyLimits', () => {
      throw new ApiError({ code: 'no-modules', message: 'set_mm_limit is not loaded', hint: 'Run setup.' });
    });
    expect(await store.apply('emulator-5556')).toBe(false);
    expect(store.errors['emulator-5556']?.hint).toBe('Run setup.');
    expect(store.errors['emulator-5554']).toBeNull();
  });
});

describe('kernel log store', () => {
  it('pages in the capture, appends events and fills a gap', async () => {
    const all = lines(0, 25_000);
    api.handle('queryLog', (req) => ({ lines: all.slice(req.from ?? 0, (req.from ?? 0) + (req.limit ?? 1000)), total: all.length }));
    api.handle('getKills', () => [{ index: 3, ts: 3, at: 0, killer: 'mm_limit', pid: 561, signal: 'SIGTERM' }]);
    const store = useKernelLogStore();
    store.subscribe();
    await store.load('emulator-5554');
    expect(store.lines('emulator-5554')).toHaveLength(25_000);
    expect(api.callsOf('queryLog').map((req) => req.from)).toEqual([0, 10_000, 20_000]);
    api.emit('logLines', { serial: 'emulator-5554', lines: lines(25_000, 2) });
    expect(store.lines('emulator-5554')).toHaveLength(25_002);
    all.push(...lines(25_000, 10));
    api.emit('logLines', { serial: 'emulator-5554', lines: lines(25_008, 2) });
    await flush();
    expect(store.lines('emulator-5554').map((line) => line.index).slice(-10)).toEqual(lines(25_000, 10).map((line) => line.index));
    api.emit('kills', { serial: 'emulator-5554', kills: [{ index: 3, ts: 3, at: 0, killer: 'mm_limit', pid: 561, signal: 'SIGTERM' }, { index: 9, ts: 9, at: 0, killer: 'mm_limit', pid: 562, signal: 'SIGTERM' }] });
    expect(store.kills['emulator-5554'].map((kill) => kill.index)).toEqual([3, 9]);
  });

  it('filters the capture and keeps the result current as lines arrive; a bad regex is an inline error', async () => {
    const store = useKernelLogStore();
    store.subscribe();
    store.append('emulator-5554', lines(0, 100));
    store.setFilter({ text: 'line 1' });
    await store.refilter('emulator-5554');
    expect(store.result?.positions).toHaveLength(11);
    store.append('emulator-5554', lines(100, 20));
    expect(store.result?.positions).toHaveLength(31);
    store.setFilter({ text: '(', regex: true });
    await store.refilter('emulator-5554');
    expect(store.filterError).toMatch(/Invalid regular expression/);
    store.setFilter({ text: '', regex: false });
    await store.refilter('emulator-5554');
    expect(store.result?.positions).toBeNull();
  });
});

describe('monitor store', () => {
  it('backfills, starts sampling once, and appends sample events', async () => {
    api.handle('getSamples', () => [{ t: 1000, uids: [[10070, 5, 1]] }]);
    api.handle('startSampling', (req) => ({ serial: req.serial, running: true, hz: req.hz ?? 1, samples: 1 }));
    const store = useMonitorStore();
    store.subscribe();
    await store.ensure('emulator-5554');
    await store.ensure('emulator-5554');
    expect(api.callsOf('startSampling')).toHaveLength(1);
    api.emit('samples', { serial: 'emulator-5554', points: [{ t: 2000, uids: [[10070, 7, 1], [1000, 99, 3]] }] });
    expect(store.buffer('emulator-5554').length).toBe(2);
    expect(store.versions['emulator-5554']).toBe(2);
    expect(autoSelection(store.buffer('emulator-5554'), [4242], 1)).toEqual([1000, 4242]);
  });

  it('follows the status the backend reports: an error shows, and goes when sampling recovers', async () => {
    api.handle('getSamples', () => []);
    api.handle('startSampling', (req) => ({ serial: req.serial, running: true, hz: 1, samples: 0, lastError: 'emulator-5554 is disconnected' }));
    const store = useMonitorStore();
    store.subscribe();
    await store.ensure('emulator-5554');
    expect(store.status['emulator-5554']?.lastError).toBe('emulator-5554 is disconnected');
    api.emit('samplerStatus', { serial: 'emulator-5554', running: true, hz: 1, samples: 3, method: 'memsample' });
    expect(store.status['emulator-5554']).toMatchObject({ method: 'memsample' });
    expect(store.status['emulator-5554']?.lastError).toBeUndefined();
  });

  it('zooming pauses; resuming returns to live; colours stay with their uid', () => {
    const store = useMonitorStore();
    store.zoomTo(10, 20);
    expect(store.paused).toBe(true);
    store.resume();
    expect(store.zoom).toBeNull();
    const first = store.colorOf('emulator-5554', 10070);
    store.colorOf('emulator-5554', 1000);
    expect(store.colorOf('emulator-5554', 10070)).toBe(first);
  });

  it('zooms in and out by buttons around the middle of what is shown, paused, never under 2 s', () => {
    const store = useMonitorStore();
    store.zoomBy(0.5, { from: 0, to: 60_000 });
    expect(store.zoom).toEqual({ from: 15_000, to: 45_000 });
    expect(store.paused).toBe(true);
    store.zoomBy(2, store.zoom!);
    expect(store.zoom).toEqual({ from: 0, to: 60_000 });
    store.zoomBy(0.001, store.zoom!);
    expect(store.zoom).toEqual({ from: 29_000, to: 31_000 });
  });
});

describe('workloads store', () => {
  it('launches, streams output and caps it', async () => {
    api.handle('runWorkload', ({ serial }) => ({ id: 'w1', serial, commandLine: 'test u0_a70 100000000 160000000', state: 'running', startedAt: 1, output: '' }));
    const store = useWorkloadsStore();
    store.subscribe();
    await store.run('emulator-5554', { kind: 'test', user: 'u0_a70', limit: 100_000_000, mems: [160_000_000] });
    api.emit('workloadOutput', { id: 'w1', stream: 'stdout', text: 'pw->uid=10070\n' });
    expect(store.workloads.w1.output).toBe('pw->uid=10070\n');
    api.emit('workloadOutput', { id: 'w1', stream: 'stdout', text: 'x'.repeat(OUTPUT_CAP + 10) });
    expect(store.workloads.w1.output.length).toBe(OUTPUT_CAP);
    api.emit('workloadChanged', { id: 'w1', serial: 'emulator-5554', commandLine: 'test', state: 'exited', exitCode: 0, startedAt: 1, output: 'short' });
    expect(store.workloads.w1.state).toBe('exited');
    expect(store.workloads.w1.output.length).toBe(OUTPUT_CAP);
    expect(store.forDevice('emulator-5556')).toEqual([]);
  });
});

describe('sessions store', () => {
  const saved = { id: 'emulator-5554__1.gfsession', path: '/data/sessions/emulator-5554__1.gfsession', serial: 'emulator-5554', startedAt: 1, bytes: 2048, recording: false };

  it('lists sessions, starts and stops recording per device, and follows sessionsChanged', async () => {
    installFakeSessions(api, [saved]);
    const store = useSessionsStore();
    store.subscribe();
    await store.load();
    expect(store.sessions.map((s) => s.id)).toEqual([saved.id]);
    expect(store.recordingOf('emulator-5554')).toBeUndefined();
    const starting = store.startRecording('emulator-5554');
    expect(store.busy['emulator-5554']).toBe('starting');
    await starting;
    expect(store.busy['emulator-5554']).toBeUndefined();
    expect(store.recordingOf('emulator-5554')?.recording).toBe(true);
    expect(store.sessions).toHaveLength(2);
    await store.startRecording('emulator-5554');
    expect(store.error?.message).toContain('already recording');
    await store.stopRecording('emulator-5554');
    expect(store.recordingOf('emulator-5554')).toBeUndefined();
    expect(store.error).toBeNull();
    api.emit('sessionsChanged', []);
    expect(store.sessions).toEqual([]);
  });

  it('opens by id or path, replays and sweeps the open session; failures stay with their panel', async () => {
    installFakeSessions(api, [saved]);
    const store = useSessionsStore();
    expect(await store.open({ path: '/nowhere.gfsession' })).toBe(false);
    expect(store.openError).toMatchObject({ code: 'session-not-found', hint: expect.stringContaining('.gfsession') });
    expect(await store.open({ id: saved.id })).toBe(true);
    expect(store.summary?.settings?.interval).toBe(3);
    await store.replay(store.summary!.settings!);
    expect(api.callsOf('replaySession')[0]).toEqual({ session: { id: saved.id }, settings: { limits: [{ uid: 10070, mmMax: 100_000_000, grace: 0 }], interval: 3 } });
    expect(store.comparison.map((row) => [row.pid, row.match])).toEqual([[4242, 'matched']]);
    await store.replay({ limits: [{ uid: 10070, mmMax: 300 * 1024 * 1024, grace: 0 }], interval: 3 });
    expect(store.comparison.map((row) => [row.pid, row.match])).toEqual([[4242, 'recorded only']]);
    await store.sweep({ uid: 10070, from: 50_000_000, to: 200_000_000, steps: 3, grace: 0, interval: 3 });
    expect(store.sweepRows?.map((row) => row.kills)).toEqual([1, 1, 0, 0]);
    api.handle('replaySession', () => {
      throw new ApiError({ code: 'session-format', message: 'bad file' });
    });
    await store.replay({ limits: [{ uid: 10070, mmMax: 1, grace: 0 }], interval: 3 });
    expect(store.replayError?.message).toBe('bad file');
    expect(store.error).toBeNull();
    // A new session starts clean.
    await store.open({ id: saved.id });
    expect(store.replayResult).toBeNull();
    expect(store.sweepRows).toBeNull();
  });
});
