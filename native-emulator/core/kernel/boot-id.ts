import { Rng } from '../time/rng.js';

/** A random (version 4) UUID as /proc/sys/kernel/random/boot_id prints it, from `rng`. */
export function uuidV4(rng: Rng): string {
  const hex = Array.from({ length: 4 }, () => rng.nextU32().toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The boot_id of boot number `boot`: from the seed alone (same seed, same ids), mixed with `entropy` when the
 * host gives some, as a real kernel mixes in hardware randomness, so two runs with one seed are told apart.
 */
export function bootIdFor(seed: number, boot: number, entropy = 0): string {
  return uuidV4(new Rng((seed ^ Math.imul(boot + 1, 0x85ebca6b) ^ entropy) >>> 0));
}
