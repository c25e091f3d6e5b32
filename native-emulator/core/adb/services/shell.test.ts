import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../bytes.js';
import { bytesOf, hex, RecordingSocket, u32 } from '../testing/harness.js';
import { MemoryDevice } from '../testing/memory-device.js';
import { HeapScheduler } from '../testing/virtual-scheduler.js';
import { encodeShellFrame, ShellFrameParser, ShellId } from './shell-protocol.js';
import { parseShellService, shellService } from './shell.js';
import { execService } from './exec.js';

function start(name: string) {
  const scheduler = new HeapScheduler();
  const device = new MemoryDevice({ scheduler });
  const socket = new RecordingSocket();
  const logs: string[] = [];
  const service = shellService(name) ?? execService(name);
  const handler = service!(socket, { device, log: (m) => logs.push(m) });
  return { scheduler, device, socket, handler, logs };
}

const frame = (id: number, text: string | number[]) =>
  bytesOf([id], u32(typeof text === 'string' ? encodeUtf8(text).length : text.length), typeof text === 'string' ? text : text);

describe('shell service names', () => {
  it.each([
    ['shell:ls', { protocol: 'none', type: 'raw', term: undefined, command: 'ls' }],
    ['shell:', { protocol: 'none', type: 'pty', term: undefined, command: null }],
    ['shell,v2,TERM=xterm-256color,raw:exit 3', { protocol: 'v2', type: 'raw', term: 'xterm-256color', command: 'exit 3' }],
    ['shell,v2,pty:', { protocol: 'v2', type: 'pty', term: undefined, command: null }],
    ['shell,v2,raw:', { protocol: 'v2', type: 'raw', term: undefined, command: null }],
    ['shell,v2:echo a:b', { protocol: 'v2', type: 'raw', term: undefined, command: 'echo a:b' }],
  ])('%s', (name, expected) => {
    expect(parseShellService(name)).toEqual(expected);
  });

  it.each(['shell', 'shellx:ls', 'shell,v3:ls'])('refuses %s', (name) => {
    expect(parseShellService(name)).toBeUndefined();
  });
});

describe('shell v2 framing', () => {
  it('encodes [id][u32 length][data]', () => {
    expect(hex(encodeShellFrame(ShellId.Stdout, encodeUtf8('hi')))).toBe('01 02 00 00 00 68 69');
  });

  it('parses frames that span chunks', () => {
    const parser = new ShellFrameParser();
    const bytes = bytesOf(frame(0, 'abc'), frame(4, []));
    const frames = [...bytes].flatMap((b) => parser.push(Uint8Array.of(b)));
    expect(frames.map((f) => [f.id, new TextDecoder().decode(f.data)])).toEqual([
      [0, 'abc'],
      [4, ''],
    ]);
  });

  it('stdout and stderr frames, then the exit frame, then close', () => {
    const { socket } = start('shell,v2,raw:echo out; echo err >&2; exit 3');
    expect(hex(socket.take())).toBe(hex(bytesOf(frame(1, 'out\n'), frame(2, 'err\n'), frame(3, [3]))));
    expect(socket.closed).toBe(true);
  });

  it('feeds stdin frames to the process and ends it on close-stdin', () => {
    const { socket, handler } = start('shell,v2,raw:cat');
    handler.data(frame(ShellId.Stdin, 'ping'));
    handler.data(bytesOf(frame(ShellId.WindowSizeChange, '24x80,0x0\0'), frame(ShellId.CloseStdin, [])));
    expect(hex(socket.take())).toBe(hex(bytesOf(frame(1, 'ping'), frame(3, [0]))));
    expect(socket.closed).toBe(true);
  });

  it('runs sleep on the device scheduler', () => {
    const { socket, scheduler } = start('shell,v2,raw:sleep 2; echo done');
    expect(socket.take().length).toBe(0);
    scheduler.advanceTo(1.9e9);
    expect(socket.closed).toBe(false);
    scheduler.advanceTo(2e9);
    expect(hex(socket.take())).toBe(hex(bytesOf(frame(1, 'done\n'), frame(3, [0]))));
  });

  it('hangs up the process when the host closes the stream', () => {
    const { socket, handler, scheduler } = start('shell,v2,raw:sleep 5; echo never');
    handler.closed();
    scheduler.advanceTo(10e9);
    expect(socket.take().length).toBe(0);
    expect(socket.closed).toBe(false);
  });

  it('closes the stream on an oversized frame', () => {
    const { socket, handler, logs } = start('shell,v2,raw:cat');
    handler.data(bytesOf([0], u32(0x7fffffff)));
    expect(socket.closed).toBe(true);
    expect(logs[0]).toMatch(/exceeds/);
  });
});

describe('legacy shell and exec', () => {
  it('merges stderr into the stream and loses the exit status', () => {
    const { socket } = start('shell:echo a; echo b >&2; exit 7');
    expect(new TextDecoder().decode(socket.take())).toBe('a\nb\n');
    expect(socket.closed).toBe(true);
  });

  it('interactive shell: commands from stdin, prompt with a pty', () => {
    const { socket, handler } = start('shell:');
    handler.data(encodeUtf8('echo hi\n'));
    handler.data(encodeUtf8('exit\n'));
    expect(new TextDecoder().decode(socket.take())).toBe(
      'generic_x86_64:/ # echo hi\r\nhi\ngeneric_x86_64:/ # exit\r\n',
    );
    expect(socket.closed).toBe(true);
  });

  it('exec: pipes stdin through cat', () => {
    const { socket, handler } = start('exec:cat');
    handler.data(encodeUtf8('raw bytes'));
    expect(new TextDecoder().decode(socket.take())).toBe('raw bytes');
  });

  it('reports a failed spawn on stderr with status 255', () => {
    const { device } = start('shell:true');
    device.powerOff();
    const socket = new RecordingSocket();
    shellService('shell,v2,raw:true')!(socket, { device, log: () => {} });
    expect(hex(socket.take())).toBe(hex(bytesOf(frame(2, 'error: device offline\n'), frame(3, [255]))));
    expect(socket.closed).toBe(true);
  });
});
