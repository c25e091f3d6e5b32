import { createRequire } from 'node:module';
import type AdbkitModule from '@devicefarmer/adbkit';

/** adbkit is CommonJS whose ESM default export differs between Node, tsx and bundlers: load it one way everywhere. */
const require = createRequire(import.meta.url);
const adbkit = require('@devicefarmer/adbkit') as typeof import('@devicefarmer/adbkit');

export const Adb = adbkit.Adb;
export type AdbClient = import('@devicefarmer/adbkit').Client;
export type AdbDeviceClient = import('@devicefarmer/adbkit').DeviceClient;
export type { AdbkitModule };

/** The smart-socket framing: 4 hex digits of length, then the text. */
export function encodeRequest(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(body.length.toString(16).padStart(4, '0'), 'ascii'), body]);
}
