import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../bytes.js';
import { bytesOf, hex, RecordingSocket, u32 } from '../../testing/harness.js';
import { MemoryDevice } from '../../testing/memory-device.js';
import { HeapScheduler } from '../../testing/virtual-scheduler.js';
import { syncService } from './sync-service.js';

const EPOCH = 1_592_000_000;

function start() {
  const scheduler = new HeapScheduler();
  const device = new MemoryDevice({ scheduler, epochSeconds: EPOCH });
  const socket = new RecordingSocket();
  const logs: string[] = [];
  const handler = syncService(socket, { device, log: (m) => logs.push(m) });
  const put = (path: string, text: string, mtime = 1_600_000_000) => {
    const w = device.fs.createWriter(path, 0o644);
    w.write(encodeUtf8(text));
    w.commit(mtime);
  };
  return { device, socket, handler, logs, put };
}

const req = (id: string, arg: string) => bytesOf(id, u32(encodeUtf8(arg).length), arg);
const u64 = (n: number) => [...u32(n), 0, 0, 0, 0];
const fail = (message: string) => hex(bytesOf('FAIL', u32(encodeUtf8(message).length), message));

describe('sync: STAT (ID_LSTAT_V1)', () => {
  it('answers mode, size, mtime', () => {
    const { handler, socket, put } = start();
    put('/data/local/tmp/f', 'hello');
    handler.data(req('STAT', '/data/local/tmp/f'));
    expect(hex(socket.take())).toBe(hex(bytesOf('STAT', u32(0o100644), u32(5), u32(1_600_000_000))));
  });

  it('answers all zero for a missing file', () => {
    const { handler, socket } = start();
    handler.data(req('STAT', '/nope'));
    expect(hex(socket.take())).toBe(hex(bytesOf('STAT', u32(0), u32(0), u32(0))));
  });
});

describe('sync: STA2 / LST2 (ID_STAT_V2, ID_LSTAT_V2)', () => {
  it('answers the 72-byte stat_v2', () => {
    const { handler, socket, put, device } = start();
    put('/data/f', 'abc', 1_600_000_123);
    const ino = device.fs.stat('/data/f').ino;
    handler.data(req('STA2', '/data/f'));
    expect(hex(socket.take())).toBe(
      hex(
        bytesOf(
          'STA2',
          u32(0),
          u64(0xfd00),
          u64(ino),
          u32(0o100644),
          u32(1),
          u32(0),
          u32(0),
          u64(3),
          u64(1_600_000_123),
          u64(1_600_000_123),
          u64(1_600_000_123),
        ),
      ),
    );
  });

  it('answers ENOENT in the error field, and strips trailing slashes', () => {
    const { handler, socket } = start();
    handler.data(req('LST2', '/missing'));
    const reply = socket.take();
    expect(reply.length).toBe(72);
    expect(hex(reply.subarray(0, 8))).toBe(hex(bytesOf('LST2', u32(2))));
    expect(reply.subarray(8).every((b) => b === 0)).toBe(true);
    handler.data(req('STA2', '/data/local/tmp/'));
    expect(hex(socket.take().subarray(0, 8))).toBe(hex(bytesOf('STA2', u32(0))));
  });
});

describe('sync: LIST / LIS2', () => {
  it('LIST sends DENT per entry including . and .., then DONE + 16 zero bytes', () => {
    const { handler, socket, put } = start();
    put('/data/misc/a', 'xy', 1_600_000_001);
    handler.data(req('LIST', '/data/misc'));
    const dir = bytesOf(u32(0o040771), u32(4096), u32(EPOCH));
    expect(hex(socket.take())).toBe(
      hex(
        bytesOf(
          'DENT', dir, u32(1), '.',
          'DENT', dir, u32(2), '..',
          'DENT', u32(0o100644), u32(2), u32(1_600_000_001), u32(1), 'a',
          'DONE', new Uint8Array(16),
        ),
      ),
    );
  });

  it('LIS2 sends DNT2 + stat_v2 body + namelen + name, then DONE + 72 zero bytes', () => {
    const { handler, socket, put } = start();
    put('/data/misc/b', 'q');
    handler.data(req('LIS2', '/data/misc'));
    const out = socket.take();
    // ".", "..", "b", DONE
    const entry = 4 + 68 + 4;
    expect(out.length).toBe(entry + 1 + entry + 2 + entry + 1 + 76);
    const last = out.subarray(2 * entry + 3, 3 * entry + 4);
    expect(hex(last.subarray(0, 4))).toBe(hex(bytesOf('DNT2')));
    expect(hex(last.subarray(4 + 20, 4 + 24))).toBe(hex(bytesOf(u32(0o100644))));
    expect(hex(last.subarray(72))).toBe(hex(bytesOf(u32(1), 'b')));
    expect(hex(out.subarray(out.length - 76))).toBe(hex(bytesOf('DONE', new Uint8Array(72))));
  });

  it('a missing directory is an empty list', () => {
    const { handler, socket } = start();
    handler.data(req('LIST', '/nope'));
    expect(hex(socket.take())).toBe(hex(bytesOf('DONE', new Uint8Array(16))));
  });
});

describe('sync: SEND (ID_SEND_V1)', () => {
  it('writes the file with mode and mtime, creating parent directories', () => {
    const { handler, socket, device } = start();
    handler.data(
      bytesOf(req('SEND', '/data/misc/new/dir/f.bin,33261'), 'DATA', u32(3), 'abc', 'DATA', u32(2), 'de', 'DONE', u32(1_234_567)),
    );
    expect(hex(socket.take())).toBe(hex(bytesOf('OKAY', u32(0))));
    expect(new TextDecoder().decode(device.fs.readFile('/data/misc/new/dir/f.bin'))).toBe('abcde');
    const st = device.fs.stat('/data/misc/new/dir/f.bin');
    expect([st.mode, st.mtime]).toEqual([0o100755, 1_234_567]);
    expect(device.fs.stat('/data/misc/new').mode & 0o170000).toBe(0o040000);
  });

  it('parses requests fed one byte at a time (packets span WRTEs)', () => {
    const { handler, socket, device } = start();
    const stream = bytesOf(req('SEND', '/data/x,420'), 'DATA', u32(4), 'wxyz', 'DONE', u32(5), req('STAT', '/data/x'), 'QUIT', u32(0));
    for (const b of stream) handler.data(Uint8Array.of(b));
    expect(hex(socket.take())).toBe(hex(bytesOf('OKAY', u32(0), 'STAT', u32(0o100644), u32(4), u32(5))));
    expect(socket.closed).toBe(true);
    expect(device.fs.readFile('/data/x').length).toBe(4);
  });

  it('a target that is a directory fails at once, drains the data, and closes at DONE', () => {
    const { handler, socket } = start();
    handler.data(bytesOf(req('SEND', '/data,420'), 'DATA', u32(1), 'a'));
    expect(hex(socket.take())).toBe(fail("couldn't create file: Is a directory"));
    expect(socket.closed).toBe(false);
    handler.data(bytesOf('DONE', u32(0)));
    expect(socket.closed).toBe(true);
  });

  it('an oversize DATA fails, closes, and leaves no file', () => {
    const { handler, socket, device, logs } = start();
    handler.data(bytesOf(req('SEND', '/data/big,420'), 'DATA', u32(65537)));
    expect(hex(socket.take())).toBe(fail('oversize data message: 65537 > 65536'));
    expect(socket.closed).toBe(true);
    expect(() => device.fs.stat('/data/big')).toThrow(/No such file/);
    expect(logs.some((l) => l.includes('oversize'))).toBe(true);
  });

  it('a client vanishing mid-push leaves no file', () => {
    const { handler, device } = start();
    handler.data(bytesOf(req('SEND', '/data/half,420'), 'DATA', u32(10), 'abc'));
    handler.closed();
    expect(() => device.fs.stat('/data/half')).toThrow(/No such file/);
  });

  it('an unexpected id inside SEND fails and leaves no file', () => {
    const { handler, socket, device } = start();
    handler.data(bytesOf(req('SEND', '/data/q,420'), 'STAT', u32(0)));
    expect(new TextDecoder().decode(socket.take())).toMatch(/^FAIL.{4}unexpected "STAT" during SEND$/s);
    expect(socket.closed).toBe(true);
    expect(() => device.fs.stat('/data/q')).toThrow();
  });
});

describe('sync: RECV (ID_RECV_V1)', () => {
  it('sends DATA chunks of at most 64 KiB, then DONE', () => {
    const { handler, socket, device } = start();
    const w = device.fs.createWriter('/data/r', 0o644);
    const big = new Uint8Array(65536 + 10).map((_, i) => i & 0xff);
    w.write(big);
    w.commit(0);
    handler.data(req('RECV', '/data/r'));
    const out = socket.take();
    expect(hex(out.subarray(0, 8))).toBe(hex(bytesOf('DATA', u32(65536))));
    expect(hex(out.subarray(8 + 65536, 16 + 65536))).toBe(hex(bytesOf('DATA', u32(10))));
    expect(hex(out.subarray(out.length - 8))).toBe(hex(bytesOf('DONE', u32(0))));
    expect(out.length).toBe(8 + 65536 + 8 + 10 + 8);
  });

  it('fails with the reason for a missing file or a directory', () => {
    const { handler, socket } = start();
    handler.data(req('RECV', '/nope'));
    expect(hex(socket.take())).toBe(fail('open failed: No such file or directory'));
    handler.data(req('RECV', '/data'));
    expect(hex(socket.take())).toBe(fail('open failed: Is a directory'));
  });
});

describe('sync: QUIT, unknown ids, limits', () => {
  it('QUIT closes the stream', () => {
    const { handler, socket } = start();
    handler.data(bytesOf('QUIT', u32(0)));
    expect(socket.closed).toBe(true);
  });

  it('an unknown id answers FAIL and closes (adb would hang otherwise)', () => {
    const { handler, socket } = start();
    handler.data(bytesOf('ZZZZ', u32(0)));
    expect(hex(socket.take())).toBe(fail('unknown sync request "ZZZZ"'));
    expect(socket.closed).toBe(true);
  });

  it('a path longer than 1024 bytes fails', () => {
    const { handler, socket } = start();
    handler.data(bytesOf('STAT', u32(1025)));
    expect(new TextDecoder().decode(socket.take())).toMatch(/path too long/);
    expect(socket.closed).toBe(true);
  });
});
