import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadSource } from '../../../contract/domains/provisioning.js';
import type { ReportSummary, ScenarioRunStatus, SuiteInfo } from '../../../contract/domains/scenarios.js';
import { runSuite, SCENARIO_PAYLOAD_DIR, type ScenarioProgress, type ScenarioResult } from '../../../native-emulator/core/scenarios/runner.js';
import type { DeviceIo } from '../adb/device-io.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { Emitter } from '../common/emitter.js';
import { apiError, errorMessage } from '../common/errors.js';
import { DeviceIoExecutor } from './device-executor.js';
import { buildReport, renderReportHtml, type ReportDoc } from './report.js';
import { loadSuites, type Suite } from './suites.js';

export interface ScenarioServiceOptions {
  io(serial: string): DeviceIo;
  /** The repository's scenarios/ folder (with suites.json). */
  scenariosDir: string;
  /** Reports go to <dataDir>/reports. */
  dataDir: string;
  /** The payload folder for a device (the provisioning service's resolver). */
  payload(serial: string, source: PayloadSource): Promise<{ dir: string; label: string }>;
  isSimulated(serial: string): boolean;
  /** A simulated device's OOM mode ("corrected" or "seed-faithful"), named in the report. */
  oomMode?(serial: string): string | undefined;
  /** Keeps the app's own automation (limit re-apply, re-provisioning) off the device while a suite runs. */
  suspend?(serial: string): () => void;
  /** RSS sample period (s); default 0.5. */
  sampleEveryS?: number;
  /** The runner's clock in seconds (default: wall time); tests driving a simulator in virtual time pass its clock. */
  clock?: () => number;
}

interface Run {
  status: ScenarioRunStatus;
  abort: { aborted: boolean };
  done: Promise<ScenarioRunStatus>;
}

let counter = 0;

/**
 * Runs a built-in suite on a device (several devices at once, one run per device), reports progress, and writes
 * a report per run (HTML and JSON) under <dataDir>/reports.
 */
export class ScenarioService extends Emitter<{ changed: ScenarioRunStatus }> {
  private readonly runs = new Map<string, Run>();
  private suitesCache?: Suite[];

  constructor(private readonly options: ScenarioServiceOptions) {
    super();
  }

  get reportsDir(): string {
    return join(this.options.dataDir, 'reports');
  }

  suites(): Suite[] {
    this.suitesCache ??= loadSuites(this.options.scenariosDir);
    return this.suitesCache;
  }

  listSuites(): SuiteInfo[] {
    return this.suites().map((s) => ({ name: s.name, description: s.description, scenarios: s.index }));
  }

  listRuns(): ScenarioRunStatus[] {
    return [...this.runs.values()].map((r) => r.status);
  }

  /** Resolves when the run ends (tests and the CLI wait on it). */
  wait(runId: string): Promise<ScenarioRunStatus> {
    const run = this.runs.get(runId);
    if (!run) throw apiError('unknown-run', `No scenario run ${runId}`);
    return run.done;
  }

  cancel(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) throw apiError('unknown-run', `No scenario run ${runId}`);
    run.abort.aborted = true;
  }

  start(serial: string, suiteName: string, payload: PayloadSource = { kind: 'auto' }): ScenarioRunStatus {
    const suite = this.suites().find((s) => s.name === suiteName);
    if (!suite) throw apiError('unknown-suite', `No suite ${suiteName}`, `Pick one of ${this.suites().map((s) => s.name).join(', ')}.`);
    for (const r of this.runs.values()) {
      if (r.status.serial === serial && r.status.state === 'running') {
        throw apiError('busy', `${serial} is already running the ${r.status.suite} suite`, 'Wait for it to finish or cancel it; other devices can run suites at the same time.');
      }
    }
    const runId = `run-${Date.now().toString(36)}-${(++counter).toString(36)}`;
    const status: ScenarioRunStatus = {
      runId,
      serial,
      suite: suite.name,
      state: 'running',
      startedAt: Date.now(),
      scenarioIndex: 0,
      scenarioCount: suite.scenarios.length,
      passed: 0,
      failed: 0,
      recent: [],
      scenarios: [],
    };
    const run: Run = { status, abort: { aborted: false }, done: Promise.resolve(status) };
    this.runs.set(runId, run);
    run.done = this.execute(run, suite, payload);
    this.emit('changed', { ...status });
    return { ...status };
  }

  private update(run: Run, patch: Partial<ScenarioRunStatus>): void {
    run.status = { ...run.status, ...patch };
    this.emit('changed', run.status);
  }

  private async pushPayload(serial: string, source: PayloadSource): Promise<void> {
    const io = this.options.io(serial);
    const { dir } = await this.options.payload(serial, source);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isFile() || name.endsWith('.json') || name.startsWith('.')) continue;
      await io.push(path, `${SCENARIO_PAYLOAD_DIR}/${name}`, 0o755);
    }
  }

  private async execute(run: Run, suite: Suite, source: PayloadSource): Promise<ScenarioRunStatus> {
    const { serial } = run.status;
    const started = new Date();
    const t0 = performance.now();
    const done: ScenarioResult[] = [];
    const resume = this.options.suspend?.(serial);
    let error: string | undefined;
    let bootChecks: ReportDoc['runChecks'] = [];
    const onProgress = (p: ScenarioProgress) => {
      const s = run.status;
      switch (p.kind) {
        case 'scenario':
          this.update(run, { scenarioIndex: p.index, scenario: p.name, step: undefined });
          break;
        case 'step':
          this.update(run, { step: { n: p.step, of: p.steps, op: p.op } });
          break;
        case 'check':
          this.update(run, {
            passed: s.passed + (p.check.pass ? 1 : 0),
            failed: s.failed + (p.check.pass ? 0 : 1),
            recent: [...s.recent, { name: p.check.name, pass: p.check.pass, detail: p.check.detail }].slice(-50),
          });
          break;
        case 'scenario-done':
          done.push(p.result);
          this.update(run, { scenarios: [...s.scenarios, { name: p.result.name, pass: p.result.checks.every((c) => c.pass) }] });
          break;
      }
    };
    try {
      this.update(run, { step: { n: 0, of: 0, op: 'push payload' } });
      await this.pushPayload(serial, source);
      const result = await runSuite(suite.scenarios, new DeviceIoExecutor(this.options.io(serial), this.options.clock), {
        files: suite.index.map((i) => i.file),
        onProgress,
        signal: run.abort,
        sampleEveryS: this.options.sampleEveryS ?? 0.5,
      });
      bootChecks = result.bootChecks.map((c) => ({ name: c.name, pass: c.pass, detail: c.detail, evidence: c.evidence ?? [] }));
      for (const c of result.bootChecks) onProgress({ kind: 'check', name: '', check: c });
    } catch (e) {
      error = run.abort.aborted ? 'cancelled' : errorMessage(e);
    } finally {
      resume?.();
    }
    const id = `${started.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${suite.name}-${serial.replace(/[^A-Za-z0-9_-]/g, '_')}-${(++counter).toString(36)}`;
    const doc = buildReport({
      id,
      suite: suite.name,
      suiteDescription: suite.description,
      device: { serial, kind: this.options.isSimulated(serial) ? 'simulator' : 'adb', ...this.oomModeOf(serial) },
      startedAt: started,
      durationMs: Math.round(performance.now() - t0),
      result: { scenarios: done, bootChecks: bootChecks.map((c) => ({ ...c })) },
      error,
    });
    try {
      await this.saveReport(doc);
    } catch (e) {
      error ??= `the report could not be saved: ${errorMessage(e)}`;
    }
    const state = run.abort.aborted ? 'cancelled' : error ? 'error' : doc.summary.pass ? 'passed' : 'failed';
    this.update(run, { state, finishedAt: Date.now(), reportId: id, summary: doc.summary.line, error, step: undefined });
    return run.status;
  }

  private oomModeOf(serial: string): { oomMode?: string } {
    const oomMode = this.options.isSimulated(serial) ? this.options.oomMode?.(serial) : undefined;
    return oomMode ? { oomMode } : {};
  }

  async saveReport(doc: ReportDoc): Promise<void> {
    mkdirSync(this.reportsDir, { recursive: true });
    await writeFileAtomic(join(this.reportsDir, `${doc.id}.json`), `${JSON.stringify(doc, null, 1)}\n`);
    await writeFileAtomic(join(this.reportsDir, `${doc.id}.html`), renderReportHtml(doc));
  }

  listReports(): ReportSummary[] {
    let names: string[];
    try {
      names = readdirSync(this.reportsDir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: ReportSummary[] = [];
    for (const name of names) {
      try {
        const doc = JSON.parse(readFileSync(join(this.reportsDir, name), 'utf8')) as ReportDoc;
        out.push({ id: doc.id, suite: doc.suite, serial: doc.device.serial, startedAt: doc.startedAt, durationMs: doc.durationMs, pass: doc.summary.pass, checks: doc.summary.checks, failed: doc.summary.failed, line: doc.summary.line });
      } catch {
        // not a report of ours: leave it
      }
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  getReport(id: string, format: 'html' | 'json'): { id: string; format: 'html' | 'json'; content: string } {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw apiError('bad-request', 'Not a report id');
    try {
      return { id, format, content: readFileSync(join(this.reportsDir, `${id}.${format}`), 'utf8') };
    } catch {
      throw apiError('unknown-report', `No report ${id}`, 'Pick one from the list of past reports.');
    }
  }
}
