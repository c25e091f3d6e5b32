import { z } from 'zod';
import { GraceSeconds } from './limits.js';
import { Interval } from './provisioning.js';
import { Serial } from './units.js';

export const SessionInfo = z.object({
  id: z.string(),
  path: z.string(),
  serial: z.string(),
  startedAt: z.number(),
  bytes: z.number(),
  recording: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const ReplayLimit = z.object({ uid: z.number().int().min(1), mmMax: z.number().int().positive(), grace: GraceSeconds });
export const ReplaySettings = z.object({ limits: z.array(ReplayLimit).min(1).max(256), interval: Interval });
export type ReplaySettings = z.infer<typeof ReplaySettings>;

export const SessionKill = z.object({ atMs: z.number(), pid: z.number().int(), uid: z.number().int().optional(), comm: z.string().optional(), pRss: z.number().optional() });
export type SessionKill = z.infer<typeof SessionKill>;

export const SessionSummary = z.object({
  info: SessionInfo,
  device: z.object({ model: z.string().optional(), kernel: z.string().optional(), abi: z.string().optional(), ramKb: z.number().optional() }),
  truncated: z.boolean(),
  samples: z.number().int(),
  /** Device uptime (ms) of the first and last sample. */
  fromMs: z.number(),
  toMs: z.number(),
  settings: ReplaySettings.optional(),
  /** Per-uid total RSS over time: [uptimeMs, bytes] pairs, at most ~2,000 points per uid. */
  series: z.array(z.object({ uid: z.number().int(), points: z.array(z.tuple([z.number(), z.number()])) })),
  kills: z.array(SessionKill),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const PredictedKill = z.object({ checkMs: z.number(), pid: z.number().int(), uid: z.number().int(), comm: z.string(), pRss: z.number(), uRss: z.number(), mmMax: z.number() });
export type PredictedKill = z.infer<typeof PredictedKill>;

export const SessionRef = z.union([z.object({ id: z.string().regex(/^[\w.-]+$/) }), z.object({ path: z.string().min(1).max(4096) })]);

export const sessionRequests = {
  listSessions: { req: z.object({}).strict(), res: z.array(SessionInfo) },
  startRecording: { req: z.object({ serial: Serial }).strict(), res: SessionInfo },
  stopRecording: { req: z.object({ serial: Serial }).strict(), res: SessionInfo },
  openSession: { req: z.object({ session: SessionRef }).strict(), res: SessionSummary },
  replaySession: {
    req: z.object({ session: SessionRef, settings: ReplaySettings }).strict(),
    res: z.object({ checks: z.number().int(), predicted: z.array(PredictedKill), actual: z.array(SessionKill) }),
  },
  sweepSession: {
    req: z
      .object({
        session: SessionRef,
        uid: z.number().int().min(1),
        from: z.number().int().positive(),
        to: z.number().int().positive(),
        steps: z.number().int().min(1).max(100),
        grace: GraceSeconds,
        interval: Interval,
      })
      .strict()
      .refine((req) => req.to >= req.from, { message: 'to must not be below from', path: ['to'] }),
    res: z.array(z.object({ mmMax: z.number(), kills: z.number().int(), pids: z.array(z.number().int()) })),
  },
};

export const sessionEvents = {
  sessionsChanged: z.array(SessionInfo),
};
