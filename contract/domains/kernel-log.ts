import { z } from 'zod';
import { Serial } from './units.js';

export const LogLine = z.object({
  /** Position in this app's capture of the device (0, 1, 2, ...): stable, gap-free. */
  index: z.number().int(),
  /** Kernel timestamp in seconds since boot. */
  ts: z.number(),
  level: z.number().int().min(0).max(7),
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export const Killer = z.enum(['mm_limit', 'kernel_oom', 'lowmemorykiller', 'lmkd']);

export const KillEvent = z.object({
  /** index of the log line that reports the kill */
  index: z.number().int(),
  ts: z.number(),
  /** host time (ms) when the line was captured */
  at: z.number(),
  /** Which boot of the device behind this serial (0 = the first this capture saw): `ts` counts from its start. */
  boot: z.number().int().min(0).optional(),
  killer: Killer,
  pid: z.number().int(),
  comm: z.string().optional(),
  uid: z.number().int().optional(),
  uRss: z.number().optional(),
  mmMax: z.number().optional(),
  pRss: z.number().optional(),
  signal: z.enum(['SIGTERM', 'SIGKILL']),
});
export type KillEvent = z.infer<typeof KillEvent>;

export const LogQuery = z
  .object({
    serial: Serial,
    from: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(1000),
    text: z.string().max(500).optional(),
    regex: z.boolean().default(false),
    killsOnly: z.boolean().default(false),
  })
  .strict();

export const kernelLogRequests = {
  queryLog: { req: LogQuery, res: z.object({ lines: z.array(LogLine), total: z.number().int() }) },
  getKills: { req: z.object({ serial: Serial }).strict(), res: z.array(KillEvent) },
  exportLog: { req: z.object({ serial: Serial, format: z.enum(['text', 'json']).default('text') }).strict(), res: z.object({ path: z.string(), lines: z.number().int() }) },
};

export const kernelLogEvents = {
  logLines: z.object({ serial: Serial, lines: z.array(LogLine) }),
  kills: z.object({ serial: Serial, kills: z.array(KillEvent) }),
};
