import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../../../native-emulator/core/device.js';
import { runShell } from '../../../native-emulator/core/testing/shell-runner.js';
import { createVirtualScheduler } from '../../../native-emulator/core/time/virtual-scheduler.js';
import { NS_PER_S } from '../../../native-emulator/core/time/units.js';
import { utf8Decode } from '../../../native-emulator/core/util/bytes.js';
import type { DeviceIo, SpawnedCommand } from '../adb/device-io.js';
import { buildSimPayloadDir } from '../provisioning/sim-payload.js';
import { runCli } from '../../cli/scenarios.js';
import { buildReport, escapeHtml, renderReportHtml, type ReportDoc } from './report.js';
import { ScenarioService } from './scenario-service.js';
import { loadSuites } from './suites.js';
import { SEED_FAITHFUL_FAILURES } from '../../../native-emulator/core/scenarios/seed-faithful.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * A DeviceIo over an in-process simulated device: what the backend's executor does over adb, here with virtual
 * time moving only while a command runs (so `sleep` on the device is what lets time pass, as over adb).
 */
function simIo(oomMode: 'corrected' | 'seed-faithful' = 'corrected'): DeviceIo & { clock(): number } {
  const scheduler = createVirtualScheduler();
  const device = createSimulatedDevice({ scheduler, oomMode });
  return {
    clock: () => scheduler.now() / NS_PER_S,
    serial: 'emulator-5554',
    async exec(command) {
      const r = runShell(device, scheduler, command, 600);
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? undefined };
    },
    async spawn(command, handlers): Promise<SpawnedCommand> {
      let resolveExit!: (code: number | undefined) => void;
      const exited = new Promise<number | undefined>((r) => (resolveExit = r));
      const handle = device.spawnShell({ command, pty: false }, {
        stdout: (d) => handlers.onStdout?.(utf8Decode(d)),
        stderr: (d) => handlers.onStderr?.(utf8Decode(d)),
        exit: (code) => resolveExit(code),
      });
      return { exited, kill: () => handle.hangup() };
    },
    async push(localPath, remotePath, mode) {
      const w = device.fs.createWriter(remotePath, mode);
      w.write(new Uint8Array(readFileSync(localPath)));
      w.commit(Math.floor(scheduler.now() / NS_PER_S));
    },
  };
}

function service(io: DeviceIo & { clock(): number }, dataDir: string): ScenarioService {
  return new ScenarioService({
    clock: io.clock,
    io: () => io,
    scenariosDir: join(ROOT, 'scenarios'),
    dataDir,
    isSimulated: () => true,
    payload: async () => {
      const dir = join(dataDir, 'payload');
      await buildSimPayloadDir(dir);
      return { dir, label: 'sim' };
    },
    sampleEveryS: 0.5,
  });
}

describe('scenario service: suites on a device through DeviceIo', () => {
  it('lists the built-in suites from scenarios/suites.json', () => {
    const suites = loadSuites(join(ROOT, 'scenarios'));
    expect(suites.map((s) => s.name)).toEqual(['seed', 'seed-defects']);
    expect(suites[0]!.index.map((i) => i.name)).toContain('seed-test1');
    expect(suites[1]!.index.map((i) => i.file)).toContain('seed-defects/02-several-users.json');
  });

  it('runs the seed suite to PASS, with progress, and saves an HTML and a JSON report', async () => {
    const dataDir = temp('scen-svc-');
    const svc = service(simIo(), dataDir);
    const seen: string[] = [];
    svc.on('changed', (s) => seen.push(`${s.state}:${s.scenario ?? ''}`));
    const started = svc.start('emulator-5554', 'seed');
    expect(started.state).toBe('running');
    expect(() => svc.start('emulator-5554', 'seed')).toThrow(/already running/);
    const end = await svc.wait(started.runId);
    expect(end.recent.filter((c) => !c.pass)).toEqual([]);
    expect(end.state).toBe('passed');
    expect(end.scenarios.map((s) => s.name)).toEqual(['modules', 'kill-largest', 'grace', 'escalate', 'seed-test2', 'seed-test1', 'seed-bonus']);
    expect(seen).toContain('running:seed-test1');
    expect(end.summary).toMatch(/^seed on emulator-5554: PASS, 7\/7 scenarios, (\d+)\/\1 checks passed/);

    const reports = svc.listReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ id: end.reportId, suite: 'seed', pass: true, failed: 0 });
    const doc = JSON.parse(svc.getReport(end.reportId!, 'json').content) as ReportDoc;
    const test1 = doc.scenarios.find((s) => s.name === 'seed-test1')!;
    expect(test1.kills).toHaveLength(1);
    expect(test1.samples.length).toBeGreaterThan(10);
    expect(test1.checks.find((c) => c.name === 'seed-test1.timely-s1.0')!.evidence.join('\n')).toMatch(/crossed mm_max=100000000 .*\n.*kill due in/);
    const html = svc.getReport(end.reportId!, 'html').content;
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(() => svc.getReport('../etc/passwd', 'html')).toThrow(/Not a report id/);
  });

  it('a seed-faithful device fails the seed-defects suite on the right expectations', async () => {
    const dataDir = temp('scen-svc-');
    const svc = service(simIo('seed-faithful'), dataDir);
    const end = await svc.wait(svc.start('emulator-5554', 'seed-defects').runId);
    expect(end.state).toBe('failed');
    expect(end.scenarios.filter((s) => !s.pass).map((s) => s.name)).toEqual(['grace-from-breach', 'several-users', 'sigterm-ignored']);
    const doc = JSON.parse(svc.getReport(end.reportId!, 'json').content) as ReportDoc;
    const failed = doc.scenarios.flatMap((s) => s.checks.filter((c) => !c.pass).map((c) => c.name));
    expect(failed).toEqual(SEED_FAITHFUL_FAILURES['seed-defects']);
  });

  it('cancels a run between steps and still writes what it has', async () => {
    const svc = service(simIo(), temp('scen-svc-'));
    const run = svc.start('emulator-5554', 'seed');
    const off = svc.on('changed', (s) => {
      if (s.scenario === 'grace') svc.cancel(run.runId);
    });
    const end = await svc.wait(run.runId);
    off();
    expect(end.state).toBe('cancelled');
    expect(end.scenarios.map((s) => s.name)).toEqual(['modules', 'kill-largest']);
    expect(svc.listReports()[0]!.line).toMatch(/FAIL.*stopped: cancelled/);
  });
});

describe('report', () => {
  const base = {
    id: 'r1',
    suite: 'seed',
    device: { serial: 'emulator-5554', kind: 'simulator' as const },
    startedAt: new Date('2026-01-02T03:04:05Z'),
    durationMs: 1234,
  };
  const scenario = (checks: { name: string; pass: boolean; detail: string; evidence?: string[] }[]) => ({
    name: 'x<y>',
    description: 'a "quoted" & <b>bold</b> description',
    checks,
    dmesg: [],
    dmesgTimed: [
      { t: 1.5, text: 'A process has been killed:' },
      { t: 1.5, text: 'uid=10070, uRSS=2, mm_max=1, pid=9, pRSS=2' },
      { t: 2, text: '<script>alert(1)</script> module load!' },
    ],
    testOutput: new Map<string, string>(),
    samples: [
      { t: 1, at: 1, rss: { '10070': 0 } },
      { t: 1.4, at: 1.4, rss: { '10070': 2 } },
    ],
    limits: [{ at: 1, t: 1, uid: 10070, mmMax: 1, grace: 0 }],
    kills: [{ t: 1.5, uid: 10070, pid: 9, uRss: 2, mmMax: 1, pRss: 2, escalated: false }],
    interval: 1,
    startedAt: 0,
    endedAt: 2,
  });

  it('is one self-contained HTML file: inline CSS and SVG, no script, no external resource, everything escaped', () => {
    const doc = buildReport({ ...base, result: { scenarios: [scenario([{ name: 'x.kills', pass: false, detail: '<img src=x onerror=alert(1)>', evidence: ['</pre><script>bad()</script>'] }])], bootChecks: [{ name: 'log.no-oops', pass: true, detail: '' }] } });
    const html = renderReportHtml(doc);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/(src|href)="(https?:|\/\/)/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;bad()&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; module load!');
    expect(html).toContain('x&lt;y&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; description');
    expect(html).toMatch(/<style>[^<]*<\/style>/);
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"");
    // the chart: one RSS line, a dashed limit line, a kill marker
    expect(html).toMatch(/<svg [^>]*>.*class="limit".*<polyline [^>]*stroke="#2563eb".*class="killdot"/s);
    expect(html).toContain('killed pid 9 (uid 10070) at 1.50 s');
    expect(doc.summary).toMatchObject({ pass: false, checks: 2, failed: 1, line: 'seed on emulator-5554: FAIL, 0/1 scenarios, 1/2 checks passed (1.2 s)' });
  });

  it('a passing run says PASS; the JSON twin round-trips', () => {
    const doc = buildReport({ ...base, result: { scenarios: [scenario([{ name: 'x.kills', pass: true, detail: '' }])], bootChecks: [] } });
    expect(doc.summary.line).toBe('seed on emulator-5554: PASS, 1/1 scenarios, 1/1 checks passed (1.2 s)');
    expect(renderReportHtml(doc)).toContain('data-verdict="pass"');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});

describe('npm run scenarios (CLI)', () => {
  it('--device sim runs the seed suite in virtual time, writes the HTML and JSON reports, exits 0', async () => {
    const dir = temp('scen-cli-');
    const lines: string[] = [];
    const code = await runCli(['--device', 'sim', '--report', join(dir, 'seed.html')], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/^seed on sim: PASS, 7\/7 scenarios/);
    expect(readFileSync(join(dir, 'seed.html'), 'utf8')).toContain('data-verdict="pass"');
    expect((JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as ReportDoc).summary.pass).toBe(true);
  });

  it('--mode seed-faithful fails the seed-defects suite: exit 1, the failures printed', async () => {
    const lines: string[] = [];
    const code = await runCli(['--device', 'sim', '--suite', 'seed-defects', '--mode', 'seed-faithful'], (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines).toContain('FAIL several-users (6/9)');
    expect(lines.join('\n')).toMatch(/grace-from-breach\.timely-g2\.0: g2\.0 killed at .* the grace was not counted from the breach/);
    expect(lines.at(-1)).toMatch(/^seed-defects on sim: FAIL, 4\/7 scenarios/);
  });

  it('usage errors exit 2 and say why', async () => {
    const run = async (args: string[]) => {
      const lines: string[] = [];
      return [await runCli(args, (l) => lines.push(l)), lines.join('\n')] as const;
    };
    expect(await run([])).toEqual([2, expect.stringMatching(/--device SERIAL\|sim is required/)]);
    expect(await run(['--device', 'sim', '--suite', 'nope'])).toEqual([2, expect.stringMatching(/no such built-in suite \(seed, seed-defects\)/)]);
    expect(await run(['--device', 'emulator-5554', '--mode', 'seed-faithful'])).toEqual([2, expect.stringMatching(/--mode applies to --device sim only/)]);
    expect(await run(['--device', 'sim', '--mode', 'broken'])).toEqual([2, expect.stringMatching(/--mode must be corrected or seed-faithful/)]);
  });
});
