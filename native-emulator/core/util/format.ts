export const padLeft = (v: string | number, width: number): string => String(v).padStart(width);
export const padRight = (v: string | number, width: number): string => String(v).padEnd(width);
export const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

/** `[%5lu.%06lu]` as printk prints its timestamp. */
export function printkTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const s = Math.floor(us / 1_000_000);
  return `[${padLeft(s, 5)}.${String(us % 1_000_000).padStart(6, '0')}]`;
}

export function hms(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
