/**
 * `root:` / `unroot:`. The emulator's adbd already runs as root, so it answers without restarting
 * (AOSP adb/daemon/restart_service.cpp prints these lines).
 */
import { encodeLatin1 } from '../bytes.js';
import type { Service } from '../service.js';

export const rootService: Service = (socket, { device }) => {
  socket.write(
    encodeLatin1(device.runsAsRoot ? 'adbd is already running as root\n' : 'adbd cannot run as root in production builds\n'),
  );
  socket.close();
  return { data: () => {}, closed: () => {} };
};

export const unrootService: Service = (socket, { device }) => {
  socket.write(
    encodeLatin1(device.runsAsRoot ? 'adbd cannot run as non-root on this emulator image\n' : 'adbd not running as root\n'),
  );
  socket.close();
  return { data: () => {}, closed: () => {} };
};
