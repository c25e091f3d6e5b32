export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

export const seconds = (s: number): number => Math.round(s * NS_PER_S);
export const millis = (ms: number): number => Math.round(ms * NS_PER_MS);
