import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from './bytes.js';
import { AdbCommand, encodePacket, PacketParser, payloadChecksum } from './packet.js';
import { bytesOf, hex, packet, u32 } from './testing/harness.js';

describe('packet encoding', () => {
  it('writes the 24-byte header little-endian with magic = ~command and no checksum', () => {
    const bytes = encodePacket({ command: AdbCommand.Okay, arg0: 1, arg1: 0x1234, payload: new Uint8Array(0) });
    expect(hex(bytes)).toBe(
      '4f 4b 41 59 01 00 00 00 34 12 00 00 00 00 00 00 00 00 00 00 b0 b4 be a6',
    );
  });

  it('appends the payload after the header in the same buffer', () => {
    const bytes = encodePacket({ command: AdbCommand.Write, arg0: 2, arg1: 3, payload: encodeUtf8('hi') });
    expect(bytes.length).toBe(26);
    expect(hex(bytes.subarray(12, 16))).toBe('02 00 00 00');
    expect(hex(bytes.subarray(24))).toBe('68 69');
  });

  it('fills data_check with the byte sum only when asked (versions before 0x01000001)', () => {
    const payload = Uint8Array.of(0xff, 0xff, 1);
    expect(payloadChecksum(payload)).toBe(0x1ff);
    expect(hex(encodePacket({ command: AdbCommand.Write, arg0: 0, arg1: 0, payload }, true).subarray(16, 20))).toBe(
      'ff 01 00 00',
    );
  });
});

describe('PacketParser', () => {
  const okay = packet(AdbCommand.Okay, 5, 6);
  const write = packet(AdbCommand.Write, 5, 6, 'hello');

  it('yields packets split across chunks and several in one chunk', () => {
    const parser = new PacketParser();
    const stream = bytesOf(okay, write, okay);
    const got = [...stream].flatMap((b) => parser.push(Uint8Array.of(b)));
    expect(got.map((r) => ('packet' in r ? r.packet.command : 'error'))).toEqual([
      AdbCommand.Okay,
      AdbCommand.Write,
      AdbCommand.Okay,
    ]);
    const again = new PacketParser().push(stream);
    expect(again).toHaveLength(3);
    expect('packet' in again[1]! && new TextDecoder().decode(again[1].packet.payload)).toBe('hello');
  });

  it('reports a bad magic and then stays silent', () => {
    const bad = okay.slice();
    bad[20] ^= 1;
    const parser = new PacketParser();
    expect(parser.push(bad)).toEqual([{ error: { kind: 'bad-magic', command: AdbCommand.Okay, magic: 0xa6beb4b1 } }]);
    expect(parser.push(okay)).toEqual([]);
  });

  it('rejects unknown commands', () => {
    const cmd = 0x41414141;
    const bytes = bytesOf(u32(cmd), u32(0), u32(0), u32(0), u32(0), u32((cmd ^ 0xffffffff) >>> 0));
    expect(new PacketParser().push(bytes)).toEqual([{ error: { kind: 'unknown-command', command: cmd } }]);
  });

  it('rejects data_length above maxdata before reading the payload', () => {
    const header = packet(AdbCommand.Write, 1, 1).slice();
    new DataView(header.buffer).setUint32(12, 1024 * 1024 + 1, true);
    expect(new PacketParser().push(header)).toEqual([
      { error: { kind: 'oversized', command: AdbCommand.Write, length: 1048577, max: 1048576 } },
    ]);
  });

  it('verifies checksums only when told to', () => {
    const parser = new PacketParser();
    parser.verifyChecksum = true;
    const good = encodePacket({ command: AdbCommand.Write, arg0: 1, arg1: 1, payload: encodeUtf8('ab') }, true);
    expect(parser.push(good)).toHaveLength(1);
    const result = parser.push(write); // data_check 0
    expect(result).toEqual([{ error: { kind: 'bad-checksum', command: AdbCommand.Write, expected: 532, actual: 0 } }]);
  });
});
