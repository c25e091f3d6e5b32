/**
 * The scenario files of the real-kernel test (scripts/kernel-test/run.sh) on the simulated goldfish device:
 * the same files, the same steps through the device's shell, the same checks under the same names. Every check
 * passing here and in QEMU is the acceptance "the simulator and the C modules agree" (pids and RSS values aside).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSimulatedDevice } from '../native-emulator/core/device.js';
import { compileScenario, runScenario, runScenarios } from '../native-emulator/core/scenarios/runner.js';
import { createVirtualScheduler } from '../native-emulator/core/time/virtual-scheduler.js';
import { SEED_FAITHFUL_FAILURES } from '../native-emulator/core/scenarios/seed-faithful.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'scenarios');
const DEFECTS = path.join(DIR, 'seed-defects');
/** The built-in suites (scenarios/suites.json): the seed suite in scenarios/, the seed-defects suite beside it. */
const list = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'suites.json').sort().map((f) => path.join(dir, f));
const seedFiles = list(DIR);
const defectFiles = list(DEFECTS);
const files = [...seedFiles, ...defectFiles];
const load = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));

const freshDevice = (oomMode: 'corrected' | 'seed-faithful' = 'corrected') => {
  const scheduler = createVirtualScheduler();
  return { device: createSimulatedDevice({ scheduler, oomMode }), scheduler };
};

const failures = (checks: readonly { name: string; pass: boolean; detail: string }[]) =>
  checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`);

describe('scenarios/*.json on the simulator', () => {
  it('there are scenario files', () => {
    expect(seedFiles.length).toBeGreaterThanOrEqual(7);
    expect(defectFiles.length).toBeGreaterThanOrEqual(7);
    const index = JSON.parse(readFileSync(path.join(DIR, 'suites.json'), 'utf8')) as { suites: { name: string; dir: string }[] };
    expect(index.suites.map((s) => [s.name, s.dir])).toEqual([['seed', '.'], ['seed-defects', 'seed-defects']]);
  });

  for (const file of files) {
    it(`${path.relative(DIR, file)}: every check passes on a fresh device`, async () => {
      const json = load(file);
      const result = await runScenario(json, freshDevice(), { files: [file] });
      expect(failures(result.checks)).toEqual([]);
      expect(result.checks.map((c) => c.name)).toEqual(compileScenario(json, file).checks);
    });
  }

  it('all files in one boot, as the QEMU guest runs them: the same check names as gen-init.ts, all passing', async () => {
    const suite = await runScenarios(files.map(load), freshDevice(), { files });
    expect(failures(suite.checks)).toEqual([]);

    const out = mkdtempSync(path.join(os.tmpdir(), 'scen-gen-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/kernel-test/gen-init.ts'), DIR, DEFECTS, out], { stdio: 'pipe' });
      const kernelChecks = readFileSync(path.join(out, 'checks.txt'), 'utf8').trim().split('\n');
      expect(suite.checks.map((c) => c.name)).toEqual(kernelChecks);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the decisions do not hang on the daemon's phase: the same checks pass with the first check anywhere in the period", async () => {
    for (const fraction of [0.15, 0.4, 0.65, 0.9]) {
      const shifted = files.map((f) => {
        const sc = load(f) as { steps: { op: string; interval?: number; seconds?: number }[] };
        const i = sc.steps.findIndex((s) => s.op === 'start_daemon');
        if (i >= 0) sc.steps.splice(i + 1, 0, { op: 'wait', seconds: fraction * sc.steps[i]!.interval! });
        return sc;
      });
      const suite = await runScenarios(shifted, freshDevice(), { files });
      expect(failures(suite.checks), `daemon phase ${fraction}`).toEqual([]);
    }
  });

  it("seed-faithful mode (the seed's defects) fails exactly the expectations the defects break, with evidence naming the cause", async () => {
    const suite = await runScenarios(files.map(load), freshDevice('seed-faithful'), { files });
    const failed = suite.checks.filter((c) => !c.pass);
    expect(failed.map((c) => c.name)).toEqual([...SEED_FAITHFUL_FAILURES.seed, ...SEED_FAITHFUL_FAILURES['seed-defects']]);
    const why = Object.fromEntries(failed.map((c) => [c.name, `${c.detail} | ${(c.evidence ?? []).join(' | ')}`]));
    expect(why['grace-from-breach.timely-g2.0']).toMatch(/before its grace of 2 s from the breach .* ran out: the grace was not counted from the breach/);
    expect(why['grace-from-breach.survived-g1.0']).toMatch(/signal=15 \| uid=10070, uRSS=\d+, mm_max=16000000, pid=\d+/);
    expect(why['several-users.killed-b1.0']).toMatch(/b1\.0: child process end: pid=\d+, idx=0, exit=0/);
    expect(why['sigterm-ignored.kills']).toMatch(/^\d+ kill reports, want 1/);
    expect(why['sigterm-ignored.escalated-e1.0']).toMatch(/exit=0 \| (uid=10071, uRSS=\d+, mm_max=16000000, pid=\d+, pRSS=\d+ \| )+/);
  });
});
