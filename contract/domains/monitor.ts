import { z } from 'zod';
import { Serial } from './units.js';

/** One sample of one uid: total RSS (bytes) and process count. */
export const UidPoint = z.tuple([z.number().int(), z.number(), z.number().int()]);

export const SamplePoint = z.object({
  /** Host time (ms since the epoch) when the sample was taken. */
  t: z.number(),
  /** Device uptime (ms) reported with the sample. */
  uptimeMs: z.number().optional(),
  uids: z.array(UidPoint),
});
export type SamplePoint = z.infer<typeof SamplePoint>;

export const ProcessRow = z.object({ pid: z.number().int(), uid: z.number().int(), rss: z.number(), comm: z.string() });
export type ProcessRow = z.infer<typeof ProcessRow>;

export const SamplerStatus = z.object({ serial: Serial, running: z.boolean(), hz: z.number(), samples: z.number().int(), lastError: z.string().optional(), method: z.enum(['memsample', 'ps']).optional() });
export type SamplerStatus = z.infer<typeof SamplerStatus>;

export const monitorRequests = {
  startSampling: { req: z.object({ serial: Serial, hz: z.number().min(0.1).max(4).default(1) }).strict(), res: SamplerStatus },
  stopSampling: { req: z.object({ serial: Serial }).strict(), res: SamplerStatus },
  getSamples: { req: z.object({ serial: Serial, since: z.number().optional() }).strict(), res: z.array(SamplePoint) },
  getUidProcesses: { req: z.object({ serial: Serial, uid: z.number().int() }).strict(), res: z.array(ProcessRow) },
};

export const monitorEvents = {
  samples: z.object({ serial: Serial, points: z.array(SamplePoint) }),
  /** Sent when a device's sampling starts or stops, fails, recovers or changes method. */
  samplerStatus: SamplerStatus,
};
