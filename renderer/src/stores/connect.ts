import { useDevicesStore } from './devices.js';
import { useKernelLogStore } from './kernelLog.js';
import { useLimitsStore } from './limits.js';
import { useMonitorStore } from './monitor.js';
import { useSetupStore } from './setup.js';
import { useScenariosStore } from './scenarios.js';
import { useSessionsStore } from './sessions.js';
import { useSettingsStore } from './settings.js';
import { useWorkloadsStore } from './workloads.js';

/** Subscribes every store to its contract events, once, at app start. Returns the way to undo it. */
export function connectStores(): () => void {
  const stores = [useDevicesStore(), useSetupStore(), useLimitsStore(), useMonitorStore(), useKernelLogStore(), useWorkloadsStore(), useScenariosStore(), useSessionsStore()];
  for (const store of stores) store.subscribe();
  void useSettingsStore().load();
  return () => {
    for (const store of stores) store.unsubscribeAll();
  };
}

/** Loads what every view shows for a device that just came online (idempotent per device). */
export async function loadDevice(serial: string): Promise<void> {
  await Promise.allSettled([
    useLimitsStore().load(serial),
    useSetupStore().refreshDaemon(serial),
    useKernelLogStore().load(serial),
    useWorkloadsStore().load(serial),
    useMonitorStore().ensure(serial),
  ]);
}
