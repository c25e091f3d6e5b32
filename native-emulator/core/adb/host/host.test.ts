import { describe, expect, it } from 'vitest';
import { concatBytes, decodeLatin1, encodeUtf8 } from '../bytes.js';
import { createDeviceDispatcher } from '../dispatcher.js';
import { bytesOf, hex, ManualDefer, u32 } from '../testing/harness.js';
import { MemoryDevice } from '../testing/memory-device.js';
import { HeapScheduler } from '../testing/virtual-scheduler.js';
import { encodeFail, encodeOkay, encodeRequest, RequestParser } from './framing.js';
import { HostConnection } from './host-connection.js';
import { DeviceRegistry, formatDevices } from './registry.js';

/** 4 hex length + text, computed rather than hand-counted. */
const val = (text: string) => text.length.toString(16).padStart(4, '0') + text;

function setup(devices = 1) {
  const scheduler = new HeapScheduler();
  const registry = new DeviceRegistry();
  const list: MemoryDevice[] = [];
  for (let i = 0; i < devices; i++) {
    const device = new MemoryDevice({ scheduler });
    list.push(device);
    registry.add(`emulator-${5554 + 2 * i}`, device, createDeviceDispatcher());
  }
  const connect = () => {
    const sent: Uint8Array[] = [];
    const defer = new ManualDefer();
    let closed = false;
    let killed = false;
    const conn = new HostConnection({
      registry,
      send: (b) => sent.push(b),
      close: () => (closed = true),
      defer: defer.defer,
      onKill: () => (killed = true),
    });
    return {
      conn,
      request: (text: string) => conn.receive(encodeRequest(text)),
      /** Everything the server sent since the last call, as latin1 text. */
      text: () => {
        defer.flush();
        return decodeLatin1(concatBytes(sent.splice(0)));
      },
      get closed() {
        return closed;
      },
      get killed() {
        return killed;
      },
    };
  };
  return { scheduler, registry, devices: list, connect };
}

describe('host framing', () => {
  it('encodes requests and values as 4 hex digits + text', () => {
    expect(decodeLatin1(encodeRequest('host:version'))).toBe('000chost:version');
    expect(decodeLatin1(encodeOkay('0029'))).toBe('OKAY00040029');
    expect(decodeLatin1(encodeFail('no'))).toBe('FAIL0002no');
  });

  it('parses requests across chunks and flags bad lengths', () => {
    const p = new RequestParser();
    for (const b of encodeRequest('host:devices')) {
      expect(p.next()).toBeUndefined();
      p.push(Uint8Array.of(b));
    }
    expect(p.next()).toBe('host:devices');
    p.push(encodeUtf8('zzzzhost:x'));
    expect(p.next()).toBeUndefined();
    expect(p.error).toMatch(/bad request length/);
  });
});

describe('host services', () => {
  it('host:version answers OKAY00040029 and closes', () => {
    const c = setup().connect();
    c.request('host:version');
    expect(c.text()).toBe('OKAY00040029');
    expect(c.closed).toBe(true);
  });

  it('host:devices and host:devices-l', () => {
    const { connect, devices } = setup(2);
    const c = connect();
    devices[1]!.reboot();
    c.request('host:devices');
    expect(c.text()).toBe(`OKAY${val('emulator-5554\tdevice\nemulator-5556\toffline\n')}`);
    const l = connect();
    l.request('host:devices-l');
    const body = l.text().slice(8);
    expect(body.split('\n')[0]).toBe(
      'emulator-5554          device product:sdk_gphone_x86_64 model:Goldfish_OOM_sim device:generic_x86_64 transport_id:1',
    );
  });

  it('host:track-devices sends the list now and on every change', () => {
    const { connect, registry, devices, scheduler } = setup();
    const c = connect();
    c.request('host:track-devices');
    expect(c.text()).toBe(`OKAY${val('emulator-5554\tdevice\n')}`);
    devices[0]!.reboot();
    expect(c.text()).toBe(val('emulator-5554\toffline\n'));
    scheduler.advanceTo(200e6); // booting: still offline, nothing new
    expect(c.text()).toBe('');
    scheduler.advanceTo(500e6);
    expect(c.text()).toBe(val('emulator-5554\tdevice\n'));
    registry.remove('emulator-5554');
    expect(c.text()).toBe(val(''));
    expect(c.closed).toBe(false);
  });

  it('host-serial:<s>:get-state|get-serialno|get-devpath|features', () => {
    const { connect } = setup();
    const ask = (r: string) => {
      const c = connect();
      c.request(r);
      return c.text();
    };
    expect(ask('host-serial:emulator-5554:get-state')).toBe(`OKAY${val('device')}`);
    expect(ask('host-serial:emulator-5554:get-serialno')).toBe(`OKAY${val('emulator-5554')}`);
    expect(ask('host-serial:emulator-5554:get-devpath')).toBe(`OKAY${val('unknown')}`);
    expect(ask('host:features')).toBe(`OKAY${val('shell_v2,stat_v2,ls_v2,fixed_push_mkdir')}`);
    expect(ask('host-transport-id:1:get-state')).toBe(`OKAY${val('device')}`);
    expect(ask('host-serial:emulator-9999:get-state')).toBe(`FAIL${val("device 'emulator-9999' not found")}`);
    expect(ask('host:host-features')).toBe(`OKAY${val('shell_v2,stat_v2,ls_v2,fixed_push_mkdir')}`);
    expect(ask('host:frobnicate')).toBe(`FAIL${val('unknown host service: frobnicate')}`);
  });

  it('transport-any needs exactly one device', () => {
    const none = setup(0).connect();
    none.request('host:transport-any');
    expect(none.text()).toBe(`FAIL${val('no devices/emulators found')}`);
    const two = setup(2).connect();
    two.request('host:transport-any');
    expect(two.text()).toBe(`FAIL${val('more than one device/emulator')}`);
  });

  it('host:transport:<serial> then a local service runs on the same connection', () => {
    const c = setup().connect();
    c.request('host:transport:emulator-5554');
    expect(c.text()).toBe('OKAY');
    c.request('shell,v2,raw:echo hi; exit 4');
    expect(hex(encodeUtf8(c.text()))).toBe(
      hex(bytesOf('OKAY', [1], u32(3), 'hi\n', [3], u32(1), [4])),
    );
    expect(c.closed).toBe(true);
  });

  it('host:tport:serial:<s> answers OKAY + the 8-byte transport id, and pipelined bytes reach the service', () => {
    const c = setup().connect();
    c.conn.receive(
      bytesOf(encodeRequest('host:tport:serial:emulator-5554'), encodeRequest('sync:'), 'STAT', u32(5), '/data'),
    );
    const out = c.text();
    expect(out.slice(0, 16)).toBe('OKAY\x01\x00\x00\x00\x00\x00\x00\x00OKAY');
    expect(out.slice(16, 20)).toBe('STAT');
    expect(out.length).toBe(16 + 16);
  });

  it('a service the device refuses answers FAIL "closed"', () => {
    const c = setup().connect();
    c.request('host:transport-any');
    c.text();
    c.request('jdwp:1');
    expect(c.text()).toBe(`FAIL${val('closed')}`);
    expect(c.closed).toBe(true);
  });

  it('an offline device cannot be selected for a transport', () => {
    const { connect, devices } = setup();
    devices[0]!.reboot();
    const c = connect();
    c.request('host:transport:emulator-5554');
    expect(c.text()).toBe(`FAIL${val('device offline')}`);
  });

  it('wait-for-any-device answers OKAY now and OKAY once the device is online', () => {
    const { connect, devices, scheduler } = setup();
    devices[0]!.reboot();
    const c = connect();
    c.request('host-serial:emulator-5554:wait-for-any-device');
    expect(c.text()).toBe('OKAY');
    scheduler.advanceTo(1e9);
    expect(c.text()).toBe('OKAY');
    expect(c.closed).toBe(true);
  });

  it('host:kill answers OKAY and tells the owner', () => {
    const c = setup().connect();
    c.request('host:kill');
    expect(c.text()).toBe('OKAY');
    expect([c.closed, c.killed]).toEqual([true, true]);
  });

  it('closes on broken framing', () => {
    const c = setup().connect();
    c.conn.receive(encodeUtf8('GET / HTTP/1.1\r\n'));
    expect(c.closed).toBe(true);
  });

  it('a client leaving hangs up its shell', () => {
    const { connect, scheduler } = setup();
    const c = connect();
    c.request('host:transport-any');
    c.request('shell:sleep 3; echo late');
    expect(c.text()).toBe('OKAYOKAY');
    c.conn.dispose();
    scheduler.advanceTo(10e9);
    expect(c.text()).toBe('');
  });

  it('formatDevices lists nothing for no devices', () => {
    expect(formatDevices([], false)).toBe('');
  });
});
