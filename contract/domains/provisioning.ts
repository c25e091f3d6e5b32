import { z } from 'zod';
import { ApiErrorShape } from '../errors.js';
import { Serial } from './units.js';
import { DaemonStatus } from './devices.js';

export const PayloadSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('bundled'), target: z.enum(['sim', 'goldfish-arm', 'host']) }),
  z.object({ kind: z.literal('folder'), path: z.string().min(1).max(4096) }),
]);
export type PayloadSource = z.infer<typeof PayloadSource>;

export const StepState = z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'cancelled']);

export const PipelineStep = z.object({
  id: z.string(),
  label: z.string(),
  state: StepState,
  detail: z.string().optional(),
  bytes: z.object({ done: z.number(), total: z.number() }).optional(),
  error: ApiErrorShape.optional(),
});
export type PipelineStep = z.infer<typeof PipelineStep>;

export const PipelineRun = z.object({
  runId: z.string(),
  serial: Serial,
  state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  payload: z.string().optional(),
  steps: z.array(PipelineStep),
});
export type PipelineRun = z.infer<typeof PipelineRun>;

export const Interval = z.number().int().min(1).max(3600);

export const ProvisionRequest = z
  .object({
    serial: Serial,
    payload: PayloadSource.default({ kind: 'auto' }),
    interval: Interval.default(3),
    reload: z.boolean().default(false),
  })
  .strict();

export const provisioningRequests = {
  startProvisioning: { req: ProvisionRequest, res: PipelineRun },
  cancelProvisioning: { req: z.object({ runId: z.string() }).strict(), res: z.object({}) },
  startDaemon: { req: z.object({ serial: Serial, interval: Interval }).strict(), res: DaemonStatus },
  stopDaemon: { req: z.object({ serial: Serial }).strict(), res: DaemonStatus },
  getDaemonStatus: { req: z.object({ serial: Serial }).strict(), res: DaemonStatus },
};

export const provisioningEvents = {
  provisioningProgress: PipelineRun,
};
