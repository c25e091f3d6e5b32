import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from './bytes.js';
import { AdbCommand } from './packet.js';
import type { ServiceHandler } from './service.js';
import { StreamTable } from './streams.js';
import { ManualDefer } from './testing/harness.js';

function table(maxPayload = 1024 * 1024) {
  const sent: string[] = [];
  const defer = new ManualDefer();
  const t = new StreamTable({
    sendPacket: (command, a0, a1, payload) =>
      sent.push(
        `${String.fromCharCode(command & 0xff, (command >> 8) & 0xff, (command >> 16) & 0xff, command >>> 24)} ${a0} ${a1}` +
          (payload.length ? ` ${new TextDecoder().decode(payload)}` : ''),
      ),
    defer: defer.defer,
  });
  t.maxPayload = maxPayload;
  return { t, sent, defer };
}

describe('stream flow control', () => {
  it('coalesces writes made in one turn into one WRTE', () => {
    const { t, sent, defer } = table();
    const s = t.create(42)!;
    s.write(encodeUtf8('a'));
    s.write(encodeUtf8('b'));
    s.write(encodeUtf8('c'));
    expect(sent).toEqual([]);
    defer.flush();
    expect(sent).toEqual(['WRTE 1 42 abc']);
  });

  it('keeps one WRTE unacknowledged and merges what comes meanwhile', () => {
    const { t, sent, defer } = table();
    const s = t.create(42)!;
    s.write(encodeUtf8('first'));
    defer.flush();
    s.write(encodeUtf8('x'));
    s.write(encodeUtf8('y'));
    defer.flush();
    expect(sent).toEqual(['WRTE 1 42 first']);
    s.acknowledged();
    expect(sent).toEqual(['WRTE 1 42 first', 'WRTE 1 42 xy']);
    s.acknowledged();
    expect(sent).toHaveLength(2);
  });

  it('splits a write larger than the host maxdata', () => {
    const { t, sent, defer } = table(4);
    const s = t.create(1)!;
    s.write(encodeUtf8('abcdefghij'));
    defer.flush();
    s.acknowledged();
    s.acknowledged();
    expect(sent).toEqual(['WRTE 1 1 abcd', 'WRTE 1 1 efgh', 'WRTE 1 1 ij']);
    expect(s.pendingBytes).toBe(0);
  });

  it('sends CLSE only after the queued data is acknowledged (adbd reads EOF only then)', () => {
    const { t, sent, defer } = table(3);
    const s = t.create(5)!;
    s.write(encodeUtf8('abcdef'));
    s.close();
    s.write(encodeUtf8('ignored'));
    defer.flush();
    expect(sent).toEqual(['WRTE 1 5 abc']);
    s.acknowledged();
    expect(sent).toEqual(['WRTE 1 5 abc', 'WRTE 1 5 def']);
    s.acknowledged();
    expect(sent).toEqual(['WRTE 1 5 abc', 'WRTE 1 5 def', 'CLSE 1 5']);
    expect(t.size).toBe(0);
  });

  it('on the host closing, tells the service and sends nothing back', () => {
    const { t, sent, defer } = table();
    const s = t.create(5)!;
    let closed = 0;
    s.handler = { data: () => {}, closed: () => closed++ } satisfies ServiceHandler;
    s.write(encodeUtf8('pending'));
    s.remoteClosed();
    defer.flush();
    expect(closed).toBe(1);
    expect(sent).toEqual([]);
    expect(t.get(1)).toBeUndefined();
  });

  it('allocates increasing local ids and refuses streams beyond the limit', () => {
    const defer = new ManualDefer();
    const t = new StreamTable({ sendPacket: () => {}, defer: defer.defer }, 2);
    expect(t.create(10)!.localId).toBe(1);
    expect(t.create(11)!.localId).toBe(2);
    expect(t.create(12)).toBeUndefined();
    t.closeAll();
    expect(t.size).toBe(0);
  });

  it('uses the WRTE command id', () => {
    expect(AdbCommand.Write).toBe(0x45545257);
  });
});
