import type { Device, DeviceProbe, DeviceState } from '../../../contract/domains/devices.js';
import { apiError } from '../common/errors.js';
import { Emitter } from '../common/emitter.js';
import { Adb, type AdbClient } from '../adb/adbkit.js';
import { AdbDeviceIo, type DeviceIo } from '../adb/device-io.js';
import type { SimulatorRecord } from '../simulator/launcher.js';
import type { DeviceAccess } from './device-access.js';

interface Tracked {
  serial: string;
  state: DeviceState;
  source: string;
  probe?: DeviceProbe;
  io?: AdbDeviceIo;
}

interface Source {
  key: string;
  client: AdbClient;
  tracker?: { end(): unknown; on(event: string, listener: (...args: never[]) => void): unknown };
  stopped: boolean;
  restartTimer?: NodeJS.Timeout;
  failures: number;
}

export function deviceKind(serial: string, simulated: boolean): Device['kind'] {
  if (simulated) return 'simulated';
  if (/^emulator-\d+$/.test(serial)) return 'emulator';
  if (/:\d+$/.test(serial)) return 'network';
  return 'usb';
}

const UNAVAILABLE_HINT: Partial<Record<DeviceState, string>> = {
  unauthorized: 'Accept the "Allow USB debugging?" prompt on the device.',
  offline: 'Wait for the device to finish booting, or reconnect it.',
  disconnected: 'Connect the device again (or restart the simulated device).',
  'no permissions': 'Fix the USB permissions (udev rules) for this device.',
};

/**
 * Live device list from adb's track-devices, with adb's states plus "disconnected" for devices that left.
 * Several sources may be tracked at once (the adb server; simulators' own host endpoints when adb is missing).
 * A tracker that ends is restarted, and the list is re-synchronised.
 */
export class DeviceTracker extends Emitter<{ changed: Device[]; state: { serial: string; from: DeviceState | undefined; to: DeviceState } }> implements DeviceAccess {
  private readonly devices = new Map<string, Tracked>();
  private readonly sources = new Map<string, Source>();

  constructor(private readonly simulators: () => SimulatorRecord[]) {
    super();
  }

  list(): Device[] {
    const sims = new Map(this.simulators().map((s) => [s.serial, s]));
    const out: Device[] = [];
    for (const d of [...this.devices.values()].sort((a, b) => a.serial.localeCompare(b.serial))) {
      const sim = sims.get(d.serial);
      out.push({ serial: d.serial, state: d.state, kind: deviceKind(d.serial, !!sim || d.probe?.simulatorOomMode !== undefined), ...(d.probe ? { probe: d.probe } : {}), ...(sim ? { simulator: sim.info } : {}) });
    }
    // Simulators not (yet) seen by adb still show, so a crash stays visible.
    for (const sim of sims.values()) {
      if (!this.devices.has(sim.serial)) out.push({ serial: sim.serial, state: sim.info.status === 'running' ? 'connecting' : 'disconnected', kind: 'simulated', simulator: sim.info });
    }
    return out;
  }

  get(serial: string): Device | undefined {
    return this.list().find((d) => d.serial === serial);
  }

  /** Tells the UI about a change made elsewhere (a simulator's status). */
  notify(): void {
    this.emit('changed', this.list());
  }

  setProbe(serial: string, probe: DeviceProbe): void {
    const device = this.devices.get(serial);
    if (!device) return;
    device.probe = probe;
    this.notify();
  }

  ramKb(serial: string): number | undefined {
    return this.devices.get(serial)?.probe?.ramKb;
  }

  io(serial: string): DeviceIo {
    const device = this.devices.get(serial);
    if (!device || device.state !== 'device') {
      const state = device?.state ?? 'disconnected';
      throw apiError('device-unavailable', `${serial} is ${device ? state : 'not connected'}`, UNAVAILABLE_HINT[state] ?? 'Wait until adb lists the device as "device".');
    }
    const source = this.sources.get(device.source);
    if (!source) throw apiError('device-unavailable', `${serial} is not reachable`, 'Restart adb from the devices page.');
    device.io ??= new AdbDeviceIo(source.client, serial);
    return device.io;
  }

  /** Starts tracking one adb endpoint (the server, or a simulator's host port). */
  addSource(key: string, client: AdbClient): void {
    if (this.sources.has(key)) return;
    const source: Source = { key, client, stopped: false, failures: 0 };
    this.sources.set(key, source);
    void this.track(source);
  }

  /** A source on a port, with its own client (a simulator's host endpoint when adb is missing). */
  addPort(key: string, port: number): void {
    this.addSource(key, Adb.createClient({ host: '127.0.0.1', port }));
  }

  removeSource(key: string): void {
    const source = this.sources.get(key);
    if (!source) return;
    source.stopped = true;
    clearTimeout(source.restartTimer);
    source.tracker?.end();
    this.sources.delete(key);
    for (const device of this.devices.values()) if (device.source === key) this.setState(device.serial, key, 'disconnected');
    this.notify();
  }

  private setState(serial: string, source: string, state: DeviceState): boolean {
    const existing = this.devices.get(serial);
    if (existing && existing.state === state && existing.source === source) return false;
    const from = existing?.state;
    const device: Tracked = existing ?? { serial, state, source };
    device.state = state;
    device.source = source;
    if (state !== 'device') device.io = undefined; // features and transports are per connection
    // What comes back under a serial may be another device (or the same one rebooted): probe it afresh.
    else if (from !== undefined && from !== 'device') device.probe = undefined;
    this.devices.set(serial, device);
    this.emit('state', { serial, from, to: state });
    return true;
  }

  private sync(source: Source, list: Array<{ id: string; type: string }>): void {
    let changed = false;
    const present = new Set(list.map((d) => d.id));
    for (const d of list) changed = this.setState(d.id, source.key, d.type as DeviceState) || changed;
    for (const device of this.devices.values()) {
      if (device.source === source.key && !present.has(device.serial)) changed = this.setState(device.serial, source.key, 'disconnected') || changed;
    }
    if (changed) this.notify();
  }

  private async track(source: Source): Promise<void> {
    if (source.stopped) return;
    try {
      const tracker = await source.client.trackDevices();
      if (source.stopped) {
        tracker.end();
        return;
      }
      source.tracker = tracker as unknown as Source['tracker'];
      source.failures = 0;
      this.trackerStarts.set(source.key, (this.trackerStarts.get(source.key) ?? 0) + 1);
      this.sync(source, await source.client.listDevices());
      tracker.on('add', (d: { id: string; type: string }) => this.setState(d.id, source.key, d.type as DeviceState) && this.notify());
      tracker.on('change', (d: { id: string; type: string }) => this.setState(d.id, source.key, d.type as DeviceState) && this.notify());
      tracker.on('remove', (d: { id: string }) => this.setState(d.id, source.key, 'disconnected') && this.notify());
      const restart = () => this.scheduleRestart(source);
      tracker.on('end', restart);
      tracker.on('error', restart);
    } catch {
      this.scheduleRestart(source);
    }
  }

  /** How many times a tracker was (re)started, per source. */
  readonly trackerStarts = new Map<string, number>();

  private scheduleRestart(source: Source): void {
    if (source.stopped || source.restartTimer) return;
    source.failures++;
    source.tracker = undefined;
    // Without a tracker nothing is known about the source's devices.
    let changed = false;
    for (const device of this.devices.values()) if (device.source === source.key) changed = this.setState(device.serial, source.key, 'disconnected') || changed;
    if (changed) this.notify();
    const delay = Math.min(250 * 2 ** Math.min(source.failures, 4), 5000);
    source.restartTimer = setTimeout(() => {
      source.restartTimer = undefined;
      void this.track(source);
    }, delay);
  }

  dispose(): void {
    for (const key of [...this.sources.keys()]) {
      const source = this.sources.get(key)!;
      source.stopped = true;
      clearTimeout(source.restartTimer);
      source.tracker?.end();
    }
    this.sources.clear();
  }
}
