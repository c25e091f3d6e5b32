import { z } from 'zod';
import { Serial } from './units.js';

export const GraceSeconds = z.number().int().min(0).max(86_400);

/** A limit as it is on the device (/proc/mm_limits). */
export const AppliedLimit = z.object({ uid: z.number().int(), mmMax: z.number(), grace: z.number().int() });
export type AppliedLimit = z.infer<typeof AppliedLimit>;

/** A limit the user wants; `sync` says whether the device agrees. */
export const LimitRow = z.object({
  uid: z.number().int(),
  user: z.string(),
  mmMax: z.number(),
  grace: GraceSeconds,
  sync: z.enum(['applied', 'pending', 'differs', 'failed']),
  error: z.string().optional(),
  /** What the device has instead, when it differs (another tool or the seed's test program changed it). */
  onDevice: AppliedLimit.pick({ mmMax: true, grace: true }).optional(),
});
export type LimitRow = z.infer<typeof LimitRow>;

export const LimitsState = z.object({
  serial: Serial,
  desired: z.array(LimitRow),
  /** Limits found on the device that nobody asked for here. */
  extra: z.array(AppliedLimit),
  readAt: z.number().optional(),
  modulesLoaded: z.boolean(),
});
export type LimitsState = z.infer<typeof LimitsState>;

export const SetLimitRequest = z
  .object({
    serial: Serial,
    /** A user name (u0_a70, system) or a decimal uid. */
    user: z.union([z.string().min(1).max(64), z.number().int()]),
    /** Bytes, or text with a unit ("100M"). */
    mmMax: z.union([z.string().min(1).max(32), z.number()]),
    grace: GraceSeconds.default(0),
    apply: z.boolean().default(true),
  })
  .strict();

export const limitRequests = {
  getLimits: { req: z.object({ serial: Serial }).strict(), res: LimitsState },
  setLimit: { req: SetLimitRequest, res: LimitsState },
  removeLimit: { req: z.object({ serial: Serial, uid: z.number().int() }).strict(), res: LimitsState },
  applyLimits: { req: z.object({ serial: Serial }).strict(), res: LimitsState },
};

export const limitEvents = {
  limitsChanged: LimitsState,
};
