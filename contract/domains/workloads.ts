import { z } from 'zod';
import { GraceSeconds } from './limits.js';
import { Serial } from './units.js';

export const WorkloadSpec = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('test'),
    user: z.string().min(1).max(64),
    limit: z.number().int().positive(),
    mems: z.array(z.number().int().positive()).min(1).max(64),
    grace: GraceSeconds.default(0),
    ignoreTerm: z.boolean().default(false),
    holdSeconds: z.number().int().min(0).max(3600).optional(),
    rateMiBps: z.number().int().min(1).max(4096).optional(),
  }),
  z.object({ kind: z.literal('command'), command: z.string().min(1).max(4096) }),
]);
export type WorkloadSpec = z.infer<typeof WorkloadSpec>;

export const Workload = z.object({
  id: z.string(),
  serial: Serial,
  commandLine: z.string(),
  state: z.enum(['running', 'exited', 'stopped', 'failed']),
  exitCode: z.number().int().optional(),
  startedAt: z.number(),
  output: z.string(),
});
export type Workload = z.infer<typeof Workload>;

export const workloadRequests = {
  runWorkload: { req: z.object({ serial: Serial, spec: WorkloadSpec }).strict(), res: Workload },
  stopWorkload: { req: z.object({ id: z.string() }).strict(), res: Workload },
  listWorkloads: { req: z.object({ serial: Serial.optional() }).strict(), res: z.array(Workload) },
};

export const workloadEvents = {
  workloadOutput: z.object({ id: z.string(), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  workloadChanged: Workload,
};
