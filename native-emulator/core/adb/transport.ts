/**
 * The device end of one ADB connection (what adbd does with one host): the CNXN handshake, then streams.
 *
 *   awaiting-cnxn --CNXN--> (device not booted: pending, answered when it is) --> online --close--> closed
 *
 * AUTH is skipped: the host's CNXN is answered with CNXN, as an emulator with ro.adb.secure=0 does. A second CNXN
 * resets every stream and is answered again. Malformed input (bad magic, unknown command, data_length over
 * maxdata, bad checksum) closes the connection; misused but well-formed packets are logged and ignored.
 * When the device goes offline (reboot) every connection is dropped; the adb server reconnects.
 */
import type { DeviceApi, DeviceState } from '../device-api.js';
import { decodeUtf8, EMPTY, encodeUtf8 } from './bytes.js';
import type { Dispatcher } from './dispatcher.js';
import {
  ADB_VERSION,
  ADB_VERSION_MIN,
  ADB_VERSION_SKIP_CHECKSUM,
  AdbCommand,
  commandName,
  describePacketError,
  encodePacket,
  MAX_PAYLOAD,
  type AdbPacket,
  PacketParser,
} from './packet.js';
import type { Logger, ServiceContext } from './service.js';
import { StreamTable } from './streams.js';

/** Only what this device implements (adb client behaviour depends on each one). */
export const DEVICE_FEATURES: readonly string[] = ['shell_v2', 'stat_v2', 'ls_v2', 'fixed_push_mkdir'];

export function deviceBanner(device: DeviceApi, features: readonly string[] = DEVICE_FEATURES): string {
  const props = device.properties();
  const prop = (key: string, fallback: string) => props[key] ?? fallback;
  return (
    `device::ro.product.name=${prop('ro.product.name', 'sdk')};` +
    `ro.product.model=${prop('ro.product.model', 'Android SDK built for x86_64')};` +
    `ro.product.device=${prop('ro.product.device', 'generic')};` +
    `features=${features.join(',')}`
  );
}

export type TransportState = 'awaiting-cnxn' | 'pending-boot' | 'online' | 'closed';

export interface TransportOptions {
  device: DeviceApi;
  dispatcher: Dispatcher;
  /** One buffer per packet (header + payload), for one socket write. */
  send(bytes: Uint8Array): void;
  /** Ask the edge to close the connection. Called once. */
  close(reason: string): void;
  log?: Logger;
  /** Defers a flush to coalesce writes; default a microtask. */
  defer?(fn: () => void): void;
  features?: readonly string[];
}

const microtask = (fn: () => void): void => {
  void Promise.resolve().then(fn);
};

export class AdbDeviceTransport {
  private readonly parser = new PacketParser(MAX_PAYLOAD);
  private readonly streams: StreamTable;
  private readonly log: Logger;
  private readonly defer: (fn: () => void) => void;
  private readonly context: ServiceContext;
  private readonly unsubscribe: () => void;
  private stateValue: TransportState = 'awaiting-cnxn';
  private version = ADB_VERSION;
  private hostMaxData = MAX_PAYLOAD;
  /** The host's banner, e.g. "host::features=shell_v2,...". */
  hostBanner = '';

  constructor(private readonly options: TransportOptions) {
    this.log = options.log ?? (() => {});
    this.defer = options.defer ?? microtask;
    this.context = { device: options.device, log: this.log };
    this.streams = new StreamTable({
      sendPacket: (command, arg0, arg1, payload) => this.sendPacket({ command, arg0, arg1, payload }),
      defer: this.defer,
    });
    this.unsubscribe = options.device.onStateChange((s) => this.deviceStateChanged(s));
  }

  get state(): TransportState {
    return this.stateValue;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    if (this.stateValue === 'closed') return;
    for (const result of this.parser.push(chunk)) {
      if ('error' in result) {
        this.fail(`protocol error: ${describePacketError(result.error)}`);
        return;
      }
      this.handle(result.packet);
      if (this.isClosed()) return;
    }
  }

  private isClosed(): boolean {
    return this.stateValue === 'closed';
  }

  /** The edge lost the connection (socket closed or errored). */
  dispose(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.unsubscribe();
    this.streams.closeAll();
  }

  private handle(packet: AdbPacket): void {
    switch (packet.command) {
      case AdbCommand.Connect:
        return this.handleConnect(packet);
      case AdbCommand.Auth:
        // We never send an AUTH token, so the host has nothing to sign.
        this.log('ignoring AUTH: this device does not ask for authentication');
        return;
      case AdbCommand.Tls:
        return this.fail('STLS is not supported');
      case AdbCommand.Sync:
        return this.fail('SYNC packets are obsolete');
    }
    if (this.stateValue !== 'online') {
      this.log(`ignoring ${commandName(packet.command)} before the connection is online`);
      return;
    }
    switch (packet.command) {
      case AdbCommand.Open:
        return this.handleOpen(packet);
      case AdbCommand.Okay:
        return this.handleOkay(packet);
      case AdbCommand.Write:
        return this.handleWrite(packet);
      case AdbCommand.Close:
        return this.handleClose(packet);
    }
  }

  private handleConnect(packet: AdbPacket): void {
    if (packet.arg0 < ADB_VERSION_MIN) {
      this.fail(`CNXN version 0x${packet.arg0.toString(16)} is too old`);
      return;
    }
    if (this.stateValue === 'online') {
      this.log('CNXN on an online connection: resetting its streams');
      this.streams.closeAll();
    }
    this.version = Math.min(packet.arg0, ADB_VERSION);
    this.hostMaxData = Math.max(256, Math.min(packet.arg1 || MAX_PAYLOAD, MAX_PAYLOAD));
    this.parser.verifyChecksum = this.version < ADB_VERSION_SKIP_CHECKSUM;
    this.streams.maxPayload = this.hostMaxData;
    this.hostBanner = decodeUtf8(packet.payload).replace(/\0+$/, '');
    this.stateValue = 'pending-boot';
    this.answerConnectWhenBooted();
  }

  private answerConnectWhenBooted(): void {
    if (this.stateValue !== 'pending-boot' || this.options.device.state !== 'device') return;
    this.stateValue = 'online';
    const banner = deviceBanner(this.options.device, this.options.features ?? DEVICE_FEATURES);
    this.sendPacket({ command: AdbCommand.Connect, arg0: this.version, arg1: this.hostMaxData, payload: encodeUtf8(banner) });
  }

  private deviceStateChanged(state: DeviceState): void {
    if (this.stateValue === 'closed') return;
    if (state === 'device') this.answerConnectWhenBooted();
    else if (state === 'offline') {
      // Let already-queued stream output (e.g. the reboot service's CLSE) go out first.
      this.defer(() => this.fail('device went offline'));
    }
  }

  private handleOpen(packet: AdbPacket): void {
    const remoteId = packet.arg0;
    const name = decodeUtf8(packet.payload).replace(/\0+$/, '');
    if (remoteId === 0) {
      this.log(`OPEN "${name}" with local-id 0: ignored`);
      return;
    }
    const service = this.options.dispatcher.resolve(name);
    const stream = service ? this.streams.create(remoteId) : undefined;
    if (!service || !stream) {
      this.log(service ? `OPEN "${name}": too many streams` : `OPEN "${name}": no such service`);
      this.sendPacket({ command: AdbCommand.Close, arg0: 0, arg1: remoteId, payload: EMPTY });
      return;
    }
    // OKAY before any WRTE, or the host drops the output.
    this.sendPacket({ command: AdbCommand.Okay, arg0: stream.localId, arg1: remoteId, payload: EMPTY });
    try {
      stream.handler = service(stream, this.context);
    } catch (e) {
      this.log(`service "${name}" failed to start: ${String(e)}`);
      stream.close();
    }
  }

  private handleOkay(packet: AdbPacket): void {
    const stream = this.streams.get(packet.arg1);
    if (!stream || stream.remoteId !== packet.arg0) return; // late OKAY for a stream we already closed
    stream.acknowledged();
  }

  private handleWrite(packet: AdbPacket): void {
    const stream = this.streams.get(packet.arg1);
    if (!stream || stream.remoteId !== packet.arg0) {
      this.log(`WRTE for unknown stream ${packet.arg1} (host ${packet.arg0}): dropped`);
      return;
    }
    this.sendPacket({ command: AdbCommand.Okay, arg0: stream.localId, arg1: stream.remoteId, payload: EMPTY });
    try {
      stream.handler?.data(packet.payload);
    } catch (e) {
      this.log(`stream ${stream.localId}: service threw ${String(e)}; closing it`);
      stream.remoteClosed();
      this.sendPacket({ command: AdbCommand.Close, arg0: stream.localId, arg1: stream.remoteId, payload: EMPTY });
    }
  }

  private handleClose(packet: AdbPacket): void {
    const stream = this.streams.get(packet.arg1);
    if (!stream || stream.remoteId !== packet.arg0) return;
    stream.remoteClosed();
  }

  private sendPacket(packet: AdbPacket): void {
    if (this.stateValue === 'closed') return;
    this.options.send(encodePacket(packet, this.version < ADB_VERSION_SKIP_CHECKSUM));
  }

  private fail(reason: string): void {
    if (this.stateValue === 'closed') return;
    this.log(reason);
    this.dispose();
    this.options.close(reason);
  }
}
