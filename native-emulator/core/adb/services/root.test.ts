import { describe, expect, it } from 'vitest';
import { RecordingSocket } from '../testing/harness.js';
import { MemoryDevice } from '../testing/memory-device.js';
import { HeapScheduler } from '../testing/virtual-scheduler.js';
import { rebootService } from './reboot.js';
import { rootService, unrootService } from './root.js';

describe('root:, unroot:, reboot:', () => {
  const make = (runsAsRoot = true) => new MemoryDevice({ scheduler: new HeapScheduler(), runsAsRoot });

  it('root: on the emulator answers that adbd already runs as root', () => {
    const socket = new RecordingSocket();
    rootService(socket, { device: make(), log: () => {} });
    expect(new TextDecoder().decode(socket.take())).toBe('adbd is already running as root\n');
    expect(socket.closed).toBe(true);
  });

  it('unroot: when adbd does not run as root', () => {
    const socket = new RecordingSocket();
    unrootService(socket, { device: make(false), log: () => {} });
    expect(new TextDecoder().decode(socket.take())).toBe('adbd not running as root\n');
  });

  it('reboot: closes the stream and reboots the device', () => {
    const device = make();
    const states: string[] = [];
    device.onStateChange((s) => states.push(s));
    const socket = new RecordingSocket();
    rebootService('reboot:')!(socket, { device, log: () => {} });
    expect(socket.closed).toBe(true);
    device.scheduler.schedule(0, () => {});
    (device.scheduler as HeapScheduler).runAll();
    expect(states).toEqual(['offline', 'booting', 'device']);
  });
});
