import { describe, expect, it } from 'vitest';
import { createDeviceDispatcher, Dispatcher } from './dispatcher.js';
import type { Service } from './service.js';

describe('dispatcher', () => {
  const d = createDeviceDispatcher();

  it.each(['shell:ls', 'shell,v2,raw:ls', 'shell:', 'exec:cat', 'sync:', 'reboot:', 'reboot:bootloader', 'root:', 'unroot:'])(
    'routes %s',
    (name) => {
      expect(d.resolve(name)).toBeTypeOf('function');
    },
  );

  it.each(['', 'sync:x', 'exec:', 'shellfoo', 'tcpip:5555', 'jdwp:1', 'framebuffer:', 'abb_exec:pm', 'root:x'])(
    'refuses %j',
    (name) => {
      expect(d.resolve(name)).toBeUndefined();
    },
  );

  it('only matches prefixes, first route wins, and the route sees the whole name', () => {
    const seen: string[] = [];
    const svc: Service = () => ({ data: () => {}, closed: () => {} });
    const custom = new Dispatcher([
      { prefix: 'a:', resolve: (n) => (seen.push(`1 ${n}`), svc) },
      { prefix: 'a', resolve: (n) => (seen.push(`2 ${n}`), undefined) },
    ]);
    expect(custom.resolve('a:x')).toBe(svc);
    expect(custom.resolve('ab')).toBeUndefined();
    expect(custom.resolve('b')).toBeUndefined();
    expect(seen).toEqual(['1 a:x', '2 ab']);
  });
});
