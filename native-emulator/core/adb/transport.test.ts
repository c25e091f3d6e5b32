import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './bytes.js';
import { AdbCommand, encodePacket } from './packet.js';
import { createTransportHarness, describe as show, hex, HOST_CNXN, packet } from './testing/harness.js';
import { encodeUtf8 } from './bytes.js';

const BANNER =
  'device::ro.product.name=sdk_gphone_x86_64;ro.product.model=Goldfish OOM sim;ro.product.device=generic_x86_64;' +
  'features=shell_v2,stat_v2,ls_v2,fixed_push_mkdir';

describe('transport handshake', () => {
  it("answers the host's CNXN with CNXN(0x01000001, 1 MiB, banner) and no AUTH", () => {
    const h = createTransportHarness();
    h.transport.receive(HOST_CNXN);
    const bytes = h.takeBytes();
    expect(hex(bytes.subarray(0, 24))).toBe(
      '43 4e 58 4e 01 00 00 01 00 00 10 00 ' + hex(Uint8Array.of(BANNER.length, 0, 0, 0)) + ' 00 00 00 00 bc b1 a7 b1',
    );
    expect(decodeUtf8(bytes.subarray(24))).toBe(BANNER);
    expect(h.transport.state).toBe('online');
  });

  it('holds the CNXN until the device has booted', () => {
    const h = createTransportHarness({ rebooting: true });
    h.transport.receive(HOST_CNXN);
    expect(h.take()).toEqual([]);
    expect(h.transport.state).toBe('pending-boot');
    h.scheduler.advanceTo(200e6); // booting
    expect(h.take()).toEqual([]);
    h.scheduler.advanceTo(500e6); // device
    expect(show(h.take())).toEqual([`CNXN ${0x01000001} ${0x100000} ${BANNER}`]);
  });

  it('offers the smaller maxdata and version, and checksums for old hosts', () => {
    const h = createTransportHarness();
    h.transport.receive(packet(AdbCommand.Connect, 0x01000000, 4096, 'host::\0'));
    const [cnxn] = h.take();
    expect([cnxn!.arg0, cnxn!.arg1]).toEqual([0x01000000, 4096]);
    // A shell answer now carries data_check.
    h.transport.receive(
      encodePacket({ command: AdbCommand.Open, arg0: 7, arg1: 0, payload: encodeUtf8('shell:echo hi\0') }, true),
    );
    const bytes = h.takeBytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(24 + 16, true)).toBe(0x3 + 0x68 + 0x69 + 0x0a - 0x3); // WRTE "hi\n" after the OKAY
  });

  it('ignores AUTH and stream packets before CNXN, and OPEN with local-id 0', () => {
    const h = createTransportHarness();
    h.transport.receive(packet(AdbCommand.Auth, 2, 0, 'sig'));
    h.transport.receive(packet(AdbCommand.Open, 1, 0, 'shell:echo\0'));
    expect(h.take()).toEqual([]);
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 0, 0, 'shell:echo\0'));
    expect(h.take()).toEqual([]);
    expect(h.logs).toContain('ignoring OPEN before the connection is online');
    expect(h.closes).toEqual([]);
  });

  it.each([
    ['bad magic', () => HOST_CNXN.slice().fill(0, 20, 24)],
    ['an unknown command', () => packet(AdbCommand.Okay, 0, 0).map((b, i) => (i === 0 ? 0x58 : b))],
    ['STLS', () => packet(AdbCommand.Tls, 0x01000000, 0)],
  ])('closes the connection on %s', (_name, make) => {
    const h = createTransportHarness();
    h.transport.receive(make());
    expect(h.closes).toHaveLength(1);
    expect(h.transport.state).toBe('closed');
    h.transport.receive(HOST_CNXN);
    expect(h.take()).toEqual([]);
  });

  it('closes the connection when data_length exceeds maxdata', () => {
    const h = createTransportHarness();
    h.connect();
    const header = packet(AdbCommand.Write, 1, 1).slice();
    new DataView(header.buffer).setUint32(12, 0x7fffffff, true);
    h.transport.receive(header);
    expect(h.closes[0]).toMatch(/exceeds maxdata/);
  });

  it('answers OPEN of an unknown service with CLSE(0, host id)', () => {
    const h = createTransportHarness();
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 9, 0, 'framebuffer:\0'));
    expect(show(h.take())).toEqual(['CLSE 0 9']);
  });

  it('sends OKAY before the first WRTE, and CLSE once the last WRTE is acknowledged', () => {
    const h = createTransportHarness();
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 9, 0, 'shell:echo hello\0'));
    expect(show(h.take())).toEqual(['OKAY 1 9', 'WRTE 1 9 hello\n']);
    h.transport.receive(packet(AdbCommand.Okay, 9, 1));
    expect(show(h.take())).toEqual(['CLSE 1 9']);
    h.transport.receive(packet(AdbCommand.Okay, 9, 1)); // a stray OKAY for a closed stream: ignored
    expect(h.take()).toEqual([]);
    expect(h.transport.openStreams).toBe(0);
  });

  it('resets every stream on a second CNXN', () => {
    const h = createTransportHarness();
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 3, 0, 'shell:sleep 10\0'));
    expect(show(h.take())).toEqual(['OKAY 1 3']);
    expect(h.transport.openStreams).toBe(1);
    h.transport.receive(HOST_CNXN);
    expect(h.transport.openStreams).toBe(0);
    expect(h.take().map((p) => p.command)).toEqual([AdbCommand.Connect]);
    h.scheduler.advanceTo(20e9); // the hung-up sleep never writes
    expect(h.take()).toEqual([]);
  });

  it('drops the connection when the device goes offline (reboot)', () => {
    const h = createTransportHarness();
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 4, 0, 'reboot:\0'));
    expect(show(h.take())).toEqual(['OKAY 1 4', 'CLSE 1 4']);
    expect(h.closes).toEqual(['device went offline']);
    expect(h.device.state).toBe('offline');
  });

  it('dispose() hangs up every service', () => {
    const h = createTransportHarness();
    h.connect();
    h.transport.receive(packet(AdbCommand.Open, 3, 0, 'shell:sleep 1; echo late\0'));
    h.take();
    h.transport.dispose();
    h.scheduler.advanceTo(5e9);
    expect(h.take()).toEqual([]);
  });
});
