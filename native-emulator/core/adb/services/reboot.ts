/**
 * `reboot:[mode]`: closes the stream, then reboots the device (its state goes offline, which drops every
 * transport; the adb server reconnects when adbd is back).
 */
import type { Service } from '../service.js';

export function rebootService(name: string): Service | undefined {
  const mode = name.slice('reboot:'.length);
  return (socket, { device, log }) => {
    log(`reboot${mode ? ` (${mode})` : ''} requested`);
    socket.close();
    device.reboot(mode || undefined);
    return { data: () => {}, closed: () => {} };
  };
}
