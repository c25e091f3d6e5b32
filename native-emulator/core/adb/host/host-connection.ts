/**
 * One client connection to a host (smart-socket) server, served by the simulator itself when no adb server is
 * installed. Requests (SERVICES.TXT, "host services"):
 *
 *   host:version                     OKAY 0004 0029, then close (the real client hangs otherwise)
 *   host:kill                        OKAY, close (the simulator keeps running; onKill is told)
 *   host:devices | host:devices-l    OKAY + value
 *   host:track-devices[-l]           OKAY + value now and on every change
 *   host:host-features               OKAY + value
 *   [selector]features|get-state|get-serialno|get-devpath     OKAY + value
 *   [selector]wait-for-<usb|local|any>-<state>                 OKAY now, OKAY when reached
 *   host:transport:<serial> | transport-any | -local | -usb | transport-id:<id>    OKAY, then a local service
 *   host:tport:any|local|usb|serial:<s>|id:<n>                  OKAY + u64 LE transport id, then a local service
 *
 * where [selector] is host: (the only device), host-serial:<serial>:, host-transport-id:<id>:, host-local:,
 * host-usb:. After a transport switch the next request names a device service (shell:, sync:, ...), which is
 * started directly on this connection: OKAY, then its raw bytes, no packet framing.
 */
import { concatBytes } from '../bytes.js';
import type { Logger, ServiceHandler, ServiceSocket } from '../service.js';
import { encodeFail, encodeOkay, MAX_REQUEST, OKAY, RequestParser } from './framing.js';
import { connectionState, type DeviceRegistry, formatDevices, type HostDevice } from './registry.js';

/** Features this host server supports (the client uses a feature only when host and device both have it). */
export const HOST_FEATURES: readonly string[] = ['shell_v2', 'stat_v2', 'ls_v2', 'fixed_push_mkdir'];
/** ADB_SERVER_VERSION of Debian's adb 29 (a different number makes the client restart the server). */
export const HOST_SERVER_VERSION = 41;

type Selector =
  | { kind: 'any' | 'local' | 'usb' }
  | { kind: 'serial'; serial: string }
  | { kind: 'id'; id: number };

export interface HostConnectionOptions {
  registry: DeviceRegistry;
  send(bytes: Uint8Array): void;
  /** Close the client socket (after everything sent). Called once. */
  close(): void;
  log?: Logger;
  onKill?(): void;
  defer?(fn: () => void): void;
}

type State = 'request' | 'transport' | 'service' | 'waiting' | 'closed';

const microtask = (fn: () => void): void => {
  void Promise.resolve().then(fn);
};

export class HostConnection {
  private readonly parser = new RequestParser();
  private state: State = 'request';
  private selected: HostDevice | undefined;
  private handler: ServiceHandler | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly log: Logger;

  constructor(private readonly options: HostConnectionOptions) {
    this.log = options.log ?? (() => {});
  }

  get currentState(): State {
    return this.state;
  }

  receive(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.state === 'service') {
      this.handler?.data(chunk);
      return;
    }
    if (this.state === 'waiting') return; // tracking / wait-for: the client only listens
    this.parser.push(chunk);
    while (this.isParsing()) {
      const request = this.parser.next();
      if (request === undefined) {
        if (this.parser.error) this.fatal(`host protocol: ${this.parser.error}`);
        else if (this.parser.queue.length > MAX_REQUEST + 4) this.fatal('host protocol: request too long');
        return;
      }
      if (this.state === 'transport') this.openService(request);
      else this.handleRequest(request);
    }
    if ((this.state as State) === 'service' && this.parser.queue.length > 0) {
      const rest = this.parser.queue.read(this.parser.queue.length);
      this.handler?.data(rest);
    }
  }

  /** The client went away. */
  dispose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.unsubscribe?.();
    this.handler?.closed();
    this.handler = undefined;
  }

  private isParsing(): boolean {
    return this.state === 'request' || this.state === 'transport';
  }

  private handleRequest(request: string): void {
    let selector: Selector = { kind: 'any' };
    let command: string;
    if (request.startsWith('host:')) command = request.slice(5);
    else if (request.startsWith('host-local:')) {
      selector = { kind: 'local' };
      command = request.slice(11);
    } else if (request.startsWith('host-usb:')) {
      selector = { kind: 'usb' };
      command = request.slice(9);
    } else if (request.startsWith('host-transport-id:')) {
      const rest = request.slice(18);
      const colon = rest.indexOf(':');
      selector = { kind: 'id', id: Number.parseInt(rest.slice(0, colon), 10) };
      command = colon < 0 ? '' : rest.slice(colon + 1);
    } else if (request.startsWith('host-serial:')) {
      const rest = request.slice(12);
      // A serial may contain ':' (127.0.0.1:5555); the command is the last segment.
      const colon = rest.lastIndexOf(':');
      selector = { kind: 'serial', serial: rest.slice(0, colon) };
      command = colon < 0 ? '' : rest.slice(colon + 1);
    } else return this.failAndClose(`unknown request: ${request}`);

    switch (command) {
      case 'version':
        this.reply(encodeOkay(HOST_SERVER_VERSION.toString(16).padStart(4, '0')));
        return this.closeNow();
      case 'kill':
        this.reply(OKAY);
        this.closeNow();
        this.options.onKill?.();
        return;
      case 'devices':
      case 'devices-l':
        this.reply(encodeOkay(formatDevices(this.options.registry.list(), command === 'devices-l')));
        return this.closeNow();
      case 'track-devices':
      case 'track-devices-l':
        return this.track(command === 'track-devices-l');
      case 'host-features':
        this.reply(encodeOkay(HOST_FEATURES.join(',')));
        return this.closeNow();
      case 'features':
      case 'get-state':
      case 'get-serialno':
      case 'get-devpath': {
        const found = this.select(selector, false);
        if (typeof found === 'string') return this.failAndClose(found);
        const value =
          command === 'features'
            ? found.features.join(',')
            : command === 'get-state'
              ? connectionState(found)
              : command === 'get-serialno'
                ? found.serial
                : 'unknown';
        this.reply(encodeOkay(value));
        return this.closeNow();
      }
      case 'transport-any':
        return this.switchTransport({ kind: 'any' }, false);
      case 'transport-local':
        return this.switchTransport({ kind: 'local' }, false);
      case 'transport-usb':
        return this.switchTransport({ kind: 'usb' }, false);
    }
    if (command.startsWith('transport:')) return this.switchTransport({ kind: 'serial', serial: command.slice(10) }, false);
    if (command.startsWith('transport-id:'))
      return this.switchTransport({ kind: 'id', id: Number.parseInt(command.slice(13), 10) }, false);
    if (command.startsWith('tport:')) {
      const what = command.slice(6);
      if (what === 'any' || what === 'local' || what === 'usb') return this.switchTransport({ kind: what }, true);
      if (what.startsWith('serial:')) return this.switchTransport({ kind: 'serial', serial: what.slice(7) }, true);
      if (what.startsWith('id:')) return this.switchTransport({ kind: 'id', id: Number.parseInt(what.slice(3), 10) }, true);
      return this.failAndClose(`bad tport request: ${what}`);
    }
    const wait = /^wait-for-(usb|local|any)-(device|recovery|rescue|sideload|bootloader|any|disconnect)$/.exec(command);
    if (wait) return this.waitFor(selector, wait[1] as 'usb' | 'local' | 'any', wait[2]!);
    this.failAndClose(`unknown host service: ${command}`);
  }

  /** A device for the selector, or the message adb's server gives when there is none. */
  private select(selector: Selector, needOnline: boolean): HostDevice | string {
    const all = this.options.registry.list();
    let found: HostDevice | undefined;
    switch (selector.kind) {
      case 'serial':
        found = this.options.registry.find(selector.serial);
        if (!found) return `device '${selector.serial}' not found`;
        break;
      case 'id':
        found = this.options.registry.findById(selector.id);
        if (!found) return `no device with transport id '${selector.id}'`;
        break;
      case 'usb':
        return 'no devices found';
      case 'any':
      case 'local':
        if (all.length === 0) return 'no devices/emulators found';
        if (all.length > 1) return selector.kind === 'local' ? 'more than one emulator' : 'more than one device/emulator';
        found = all[0]!;
    }
    if (needOnline && connectionState(found) !== 'device') return 'device offline';
    return found;
  }

  private switchTransport(selector: Selector, withId: boolean): void {
    const found = this.select(selector, true);
    if (typeof found === 'string') return this.failAndClose(found);
    this.selected = found;
    if (withId) {
      const id = new Uint8Array(8);
      new DataView(id.buffer).setBigUint64(0, BigInt(found.transportId), true);
      this.reply(concatBytes([OKAY, id]));
    } else this.reply(OKAY);
    this.state = 'transport';
  }

  private openService(name: string): void {
    const target = this.selected!;
    if (target.device.state !== 'device') return this.failAndClose('device offline');
    const service = target.dispatcher.resolve(name);
    if (!service) {
      this.log(`host: service "${name}" refused`);
      return this.failAndClose('closed');
    }
    this.reply(OKAY);
    this.state = 'service';
    const socket = this.serviceSocket();
    try {
      this.handler = service(socket, { device: target.device, log: this.log });
    } catch (e) {
      this.log(`host: service "${name}" failed to start: ${String(e)}`);
      socket.close();
    }
    // A reboot or power-off drops every connection to the device, as the real server does.
    this.unsubscribe = target.device.onStateChange((s) => {
      if (s !== 'device') (this.options.defer ?? microtask)(() => this.closeNow());
    });
  }

  /** Service output straight onto the socket; small writes in one turn are merged into one send. */
  private serviceSocket(): ServiceSocket {
    const defer = this.options.defer ?? microtask;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let scheduled = false;
    let closing = false;
    const flush = (): void => {
      scheduled = false;
      if (pending.length > 0 && this.state !== 'closed') this.options.send(concatBytes(pending));
      pending = [];
      pendingBytes = 0;
      if (closing) this.closeNow();
    };
    return {
      write: (data) => {
        if (closing || this.state === 'closed' || data.length === 0) return;
        pending.push(data);
        pendingBytes += data.length;
        if (pendingBytes >= 1024 * 1024) flush();
        else if (!scheduled) {
          scheduled = true;
          defer(flush);
        }
      },
      close: () => {
        if (closing) return;
        closing = true;
        if (!scheduled) {
          scheduled = true;
          defer(flush);
        }
      },
    };
  }

  private track(long: boolean): void {
    this.reply(OKAY);
    this.state = 'waiting';
    let last: string | undefined;
    const update = (): void => {
      const text = formatDevices(this.options.registry.list(), long);
      if (text === last) return;
      last = text;
      this.reply(encodeOkay(text).subarray(4));
    };
    this.unsubscribe = this.options.registry.onChange(update);
    update();
  }

  private waitFor(selector: Selector, transport: 'usb' | 'local' | 'any', state: string): void {
    this.reply(OKAY);
    this.state = 'waiting';
    if (transport === 'usb') return; // the simulator has no USB devices: wait forever, as adb would
    const check = (): void => {
      const found = this.select(selector, false);
      const reached =
        state === 'disconnect'
          ? typeof found === 'string'
          : typeof found !== 'string' &&
            (state === 'any' || (state === 'device' && connectionState(found) === 'device'));
      if (!reached || this.state === 'closed') return;
      this.unsubscribe?.();
      this.reply(OKAY);
      this.closeNow();
    };
    this.unsubscribe = this.options.registry.onChange(check);
    check();
  }

  private reply(bytes: Uint8Array): void {
    if (this.state !== 'closed') this.options.send(bytes);
  }

  private failAndClose(message: string): void {
    this.reply(encodeFail(message));
    this.closeNow();
  }

  private fatal(message: string): void {
    this.log(message);
    this.closeNow();
  }

  private closeNow(): void {
    if (this.state === 'closed') return;
    this.dispose();
    this.options.close();
  }
}
