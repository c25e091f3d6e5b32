import { z } from 'zod';
import { PayloadSource } from './provisioning.js';
import { Serial } from './units.js';

/** Scenario suites and grading reports (scenarios/README.md): run a suite on a device, watch it, open its report. */

export const SuiteName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a suite name');
export const ReportId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'not a report id');

export const SuiteInfo = z.object({
  name: SuiteName,
  description: z.string(),
  scenarios: z.array(z.object({ name: z.string(), description: z.string(), file: z.string() })),
});
export type SuiteInfo = z.infer<typeof SuiteInfo>;

export const ScenarioCheckResult = z.object({ name: z.string(), pass: z.boolean(), detail: z.string() });
export type ScenarioCheckResult = z.infer<typeof ScenarioCheckResult>;

export const ScenarioRunState = z.enum(['running', 'passed', 'failed', 'error', 'cancelled']);

export const ScenarioRunStatus = z.object({
  runId: z.string(),
  serial: Serial,
  suite: SuiteName,
  state: ScenarioRunState,
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  /** 0-based index of the scenario running (or last run) and how many there are. */
  scenarioIndex: z.number().int(),
  scenarioCount: z.number().int(),
  scenario: z.string().optional(),
  step: z.object({ n: z.number().int(), of: z.number().int(), op: z.string() }).optional(),
  passed: z.number().int(),
  failed: z.number().int(),
  /** The latest checks, newest last (at most 50). */
  recent: z.array(ScenarioCheckResult),
  /** Per finished scenario: name and verdict. */
  scenarios: z.array(z.object({ name: z.string(), pass: z.boolean() })),
  reportId: ReportId.optional(),
  summary: z.string().optional(),
  error: z.string().optional(),
});
export type ScenarioRunStatus = z.infer<typeof ScenarioRunStatus>;

export const ReportSummary = z.object({
  id: ReportId,
  suite: z.string(),
  serial: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  pass: z.boolean(),
  checks: z.number().int(),
  failed: z.number().int(),
  line: z.string(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const scenarioRequests = {
  listSuites: { req: z.object({}).strict(), res: z.array(SuiteInfo) },
  startScenarioRun: {
    req: z.object({ serial: Serial, suite: SuiteName, payload: PayloadSource.default({ kind: 'auto' }) }).strict(),
    res: ScenarioRunStatus,
  },
  cancelScenarioRun: { req: z.object({ runId: z.string().max(128) }).strict(), res: z.object({}) },
  listScenarioRuns: { req: z.object({}).strict(), res: z.array(ScenarioRunStatus) },
  listReports: { req: z.object({}).strict(), res: z.array(ReportSummary) },
  /** The report itself: one self-contained HTML file (no script) or its JSON twin, as text. */
  getReport: { req: z.object({ id: ReportId, format: z.enum(['html', 'json']).default('html') }).strict(), res: z.object({ id: ReportId, format: z.enum(['html', 'json']), content: z.string() }) },
};

export const scenarioEvents = {
  scenarioRunChanged: ScenarioRunStatus,
};
