/**
 * Routes an OPEN's service name to a service. It only matches prefixes: each service parses its own arguments and
 * returns undefined when it refuses them (the transport then answers CLSE).
 */
import type { Service } from './service.js';
import { execService } from './services/exec.js';
import { rebootService } from './services/reboot.js';
import { rootService, unrootService } from './services/root.js';
import { shellService } from './services/shell.js';
import { syncService } from './services/sync/sync-service.js';

export interface Route {
  /** Matched against the start of the service name. */
  prefix: string;
  /** Gets the whole name; undefined refuses it. */
  resolve(name: string): Service | undefined;
}

export class Dispatcher {
  constructor(private readonly routes: readonly Route[]) {}

  resolve(name: string): Service | undefined {
    for (const route of this.routes) {
      if (name.startsWith(route.prefix)) return route.resolve(name);
    }
    return undefined;
  }
}

/** The services adbd on the emulator offers and this device implements (SERVICES.TXT, "local services"). */
export const DEVICE_ROUTES: readonly Route[] = [
  { prefix: 'shell', resolve: shellService },
  { prefix: 'exec:', resolve: execService },
  { prefix: 'sync:', resolve: (name) => (name === 'sync:' ? syncService : undefined) },
  { prefix: 'reboot:', resolve: rebootService },
  { prefix: 'root:', resolve: (name) => (name === 'root:' ? rootService : undefined) },
  { prefix: 'unroot:', resolve: (name) => (name === 'unroot:' ? unrootService : undefined) },
];

export function createDeviceDispatcher(): Dispatcher {
  return new Dispatcher(DEVICE_ROUTES);
}
