/**
 * `exec:<command>`: a raw pipe without the shell protocol and without a pty (adb exec-out / exec-in);
 * stderr is merged into the stream as with legacy `shell:`.
 */
import type { Service } from '../service.js';
import { legacyShell } from './shell.js';

export function execService(name: string): Service | undefined {
  const command = name.slice('exec:'.length);
  if (command === '') return undefined;
  return legacyShell({ protocol: 'none', type: 'raw', term: undefined, command });
}
