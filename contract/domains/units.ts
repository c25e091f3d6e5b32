import { z } from 'zod';

/** A device serial as adb names it (emulator-5554, 127.0.0.1:5555, 0123456789ABCDEF). */
export const Serial = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'not a device serial');

const UNIT_FACTORS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, KIB: 1024, M: 1024 ** 2, MB: 1024 ** 2, MIB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3, GIB: 1024 ** 3 };

/**
 * Parses a memory size as a person writes it: "100000000", "100M", "1.5 GB", "512kb".
 * Units are binary (K = 1024), as the device programs read them. Returns an error sentence instead of throwing.
 */
export function parseBytes(input: string | number): { bytes: number } | { error: string } {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || !Number.isInteger(input)) return { error: `${input} is not a whole number of bytes` };
    if (input <= 0) return { error: 'the limit must be greater than 0 (remove the limit instead of setting 0)' };
    return { bytes: input };
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  if (!match) return { error: `"${input}" is not a size: write bytes or a number with K, M or G` };
  const factor = UNIT_FACTORS[match[2].toUpperCase()];
  if (factor === undefined) return { error: `unknown unit "${match[2]}": use K, M or G` };
  const bytes = Math.round(Number(match[1]) * factor);
  if (bytes <= 0) return { error: 'the limit must be greater than 0 (remove the limit instead of setting 0)' };
  if (!Number.isSafeInteger(bytes)) return { error: `${input} is too large` };
  return { bytes };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** Android's user names: root, system, shell, uN_aM; or a decimal uid. undefined when not resolvable here. */
export function uidFromName(name: string): number | undefined {
  const text = name.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const fixed: Record<string, number> = { root: 0, system: 1000, radio: 1001, bluetooth: 1002, graphics: 1003, media: 1013, shell: 2000, nobody: 9999 };
  if (text in fixed) return fixed[text];
  const app = /^u(\d+)_a(\d+)$/.exec(text);
  if (app) return Number(app[1]) * 100000 + 10000 + Number(app[2]);
  return undefined;
}

export function nameFromUid(uid: number): string {
  const fixed: Record<number, string> = { 0: 'root', 1000: 'system', 1001: 'radio', 1002: 'bluetooth', 1003: 'graphics', 1013: 'media', 2000: 'shell', 9999: 'nobody' };
  if (fixed[uid]) return fixed[uid];
  const appId = uid % 100000;
  if (appId >= 10000 && appId < 20000) return `u${Math.floor(uid / 100000)}_a${appId - 10000}`;
  return String(uid);
}
