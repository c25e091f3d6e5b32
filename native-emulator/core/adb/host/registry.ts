/**
 * The devices a host server knows: serial, transport id, connection state, features, and the services to open
 * on each. Listeners hear every change (a device added or removed, or its state changing).
 */
import type { DeviceApi } from '../../device-api.js';
import type { Dispatcher } from '../dispatcher.js';
import { DEVICE_FEATURES } from '../transport.js';

export type ConnectionState = 'device' | 'offline';

export interface HostDevice {
  readonly serial: string;
  readonly transportId: number;
  readonly device: DeviceApi;
  readonly features: readonly string[];
  readonly dispatcher: Dispatcher;
}

export class DeviceRegistry {
  private readonly devices = new Map<string, { entry: HostDevice; unsubscribe: () => void }>();
  private readonly listeners = new Set<() => void>();
  private nextTransportId = 1;

  add(serial: string, device: DeviceApi, dispatcher: Dispatcher, features: readonly string[] = DEVICE_FEATURES): HostDevice {
    this.remove(serial);
    const entry: HostDevice = { serial, transportId: this.nextTransportId++, device, features, dispatcher };
    const unsubscribe = device.onStateChange(() => this.changed());
    this.devices.set(serial, { entry, unsubscribe });
    this.changed();
    return entry;
  }

  remove(serial: string): void {
    const d = this.devices.get(serial);
    if (!d) return;
    d.unsubscribe();
    this.devices.delete(serial);
    this.changed();
  }

  list(): HostDevice[] {
    return [...this.devices.values()].map((d) => d.entry);
  }

  find(serial: string): HostDevice | undefined {
    return this.devices.get(serial)?.entry;
  }

  findById(id: number): HostDevice | undefined {
    return this.list().find((d) => d.transportId === id);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

export function connectionState(d: HostDevice): ConnectionState {
  return d.device.state === 'device' ? 'device' : 'offline';
}

/** `host:devices` / `host:devices-l` text, as adb's list_transports formats it. */
export function formatDevices(devices: readonly HostDevice[], long: boolean): string {
  let out = '';
  for (const d of devices) {
    const state = connectionState(d);
    if (!long) {
      out += `${d.serial}\t${state}\n`;
      continue;
    }
    const props = d.device.properties();
    const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
    out += `${d.serial.padEnd(22)} ${state}`;
    if (props['ro.product.name']) out += ` product:${props['ro.product.name']}`;
    if (props['ro.product.model']) out += ` model:${sanitize(props['ro.product.model'])}`;
    if (props['ro.product.device']) out += ` device:${props['ro.product.device']}`;
    out += ` transport_id:${d.transportId}\n`;
  }
  return out;
}
