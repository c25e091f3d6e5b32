/**
 * adbkit's Adb class, whether the CommonJS module is loaded by Node's ESM interop (where only `default` is
 * reliable) or by a bundler (vitest) that maps named exports.
 */
import * as adbkit from '@devicefarmer/adbkit';

type AdbClass = typeof adbkit.Adb;
const mod = adbkit as unknown as { Adb?: AdbClass; default?: AdbClass & { Adb?: AdbClass } };

export const Adb: AdbClass = mod.Adb ?? mod.default?.Adb ?? (mod.default as AdbClass);
export type { Client } from '@devicefarmer/adbkit';
