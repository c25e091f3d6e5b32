import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AdbStatus, Device, OomMode } from '../../../contract/domains/devices.js';
import type { Unsubscribe } from '../../../contract/index.js';
import { useApi } from '../api/inject.js';
import { toUiError, type UiError } from '../composables/errors.js';

export interface BootOptions {
  ramMiB: number;
  seed: number;
  speed: number;
  /** Default "corrected"; "seed-faithful" reproduces the original design's defects. */
  oomMode?: OomMode;
}

export const MODULES = ['mylimit', 'set_mm_limit', 'oom'] as const;

/** The device list (adb + simulated), adb's own status, and which device every view shows. */
export const useDevicesStore = defineStore('devices', () => {
  const api = useApi();
  const devices = ref<Device[]>([]);
  const adb = ref<AdbStatus | null>(null);
  const selectedSerial = ref<string | null>(null);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<UiError | null>(null);
  const booting = ref(false);
  const bootError = ref<UiError | null>(null);
  const busy = ref<Record<string, string>>({});
  /** Counts the user's own picks, so a boot that returns late does not override one made meanwhile. */
  let picks = 0;
  let unsubscribe: Unsubscribe | null = null;

  const selected = computed(() => devices.value.find((device) => device.serial === selectedSerial.value));
  const selectedOnline = computed(() => selected.value?.state === 'device');

  function accept(list: Device[]): void {
    devices.value = list;
    loaded.value = true;
    if (!selectedSerial.value || !list.some((device) => device.serial === selectedSerial.value)) {
      const first = list.find((device) => device.state === 'device') ?? list[0];
      selectedSerial.value = first?.serial ?? null;
    }
  }

  function subscribe(): void {
    if (unsubscribe) return;
    unsubscribe = api.on('devicesChanged', accept);
  }
  function unsubscribeAll(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const [status, list] = await Promise.allSettled([api.getAdbStatus({}), api.listDevices({})]);
      if (status.status === 'fulfilled') adb.value = status.value;
      if (list.status === 'fulfilled') accept(list.value);
      const failure = list.status === 'rejected' ? list.reason : status.status === 'rejected' ? status.reason : null;
      error.value = failure ? toUiError(failure) : null;
    } finally {
      loading.value = false;
      // Tried once: views stop saying "looking" and show the empty state (with the error banner, if any).
      loaded.value = true;
    }
  }

  function select(serial: string): void {
    picks++;
    selectedSerial.value = serial;
  }

  function replace(device: Device): void {
    const index = devices.value.findIndex((known) => known.serial === device.serial);
    if (index >= 0) devices.value.splice(index, 1, device);
    else devices.value.push(device);
  }

  /** Runs one action on a device card, marked busy while it runs; its failure goes to the banner. */
  async function act(serial: string, what: 'probing' | 'stopping', work: () => Promise<void>): Promise<void> {
    busy.value = { ...busy.value, [serial]: what };
    try {
      await work();
      error.value = null;
    } catch (failure) {
      error.value = toUiError(failure);
    } finally {
      const { [serial]: _done, ...rest } = busy.value;
      busy.value = rest;
    }
  }

  function probe(serial: string): Promise<void> {
    return act(serial, 'probing', async () => replace(await api.probeDevice({ serial })));
  }

  async function boot(options: BootOptions): Promise<Device | undefined> {
    booting.value = true;
    bootError.value = null;
    const picksBefore = picks;
    try {
      const device = await api.bootSimulator(options);
      replace(device);
      // Show the new device, unless the user picked one while it booted: what they are working on stays put.
      if (picks === picksBefore) selectedSerial.value = device.serial;
      return device;
    } catch (failure) {
      bootError.value = toUiError(failure);
      return undefined;
    } finally {
      booting.value = false;
    }
  }

  function stopSimulator(serial: string): Promise<void> {
    return act(serial, 'stopping', async () => {
      await api.stopSimulator({ serial });
    });
  }


  return { devices, adb, selectedSerial, loaded, loading, error, booting, bootError, busy, selected, selectedOnline, subscribe, unsubscribeAll, refresh, select, probe, boot, stopSimulator };
});

/** What a device state means for the person looking at it, and what to do. */
export function describeState(device: Pick<Device, 'state' | 'kind'>): { tone: 'ok' | 'warn' | 'error' | 'muted'; text: string; fix?: string } {
  switch (device.state) {
    case 'device':
      return { tone: 'ok', text: 'online' };
    case 'unauthorized':
      return { tone: 'warn', text: 'unauthorized', fix: 'Accept the "Allow USB debugging?" prompt on the device, then it comes online by itself.' };
    case 'offline':
      return { tone: 'error', text: 'offline', fix: device.kind === 'emulator' || device.kind === 'simulated' ? 'The emulator is not answering: wait for it to finish booting, or restart it.' : 'Reconnect the cable or run `adb reconnect`.' };
    case 'no permissions':
      return { tone: 'error', text: 'no permissions', fix: 'Your user may not open the USB device: add a udev rule for it (see adb\'s documentation).' };
    case 'authorizing':
    case 'connecting':
      return { tone: 'warn', text: device.state, fix: 'Wait a moment.' };
    case 'disconnected':
      return { tone: 'muted', text: 'disconnected', fix: 'The device left adb\'s list.' };
    default:
      return { tone: 'warn', text: device.state, fix: 'The device is not booted into Android.' };
  }
}
