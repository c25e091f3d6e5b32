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

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const load = (f: string): unknown => JSON.parse(readFileSync(path.join(DIR, f), 'utf8'));

const freshDevice = () => {
  const scheduler = createVirtualScheduler();
  return { device: createSimulatedDevice({ scheduler }), scheduler };
};

const failures = (checks: readonly { name: string; pass: boolean; detail: string }[]) =>
  checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`);

describe('scenarios/*.json on the simulator', () => {
  it('there are scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(`${file}: every check passes on a fresh device`, () => {
      const json = load(file);
      const result = runScenario(json, freshDevice(), { files: [file] });
      expect(failures(result.checks)).toEqual([]);
      expect(result.checks.map((c) => c.name)).toEqual(compileScenario(json, file).checks);
    });
  }

  it('all files in one boot, as the QEMU guest runs them: the same check names as gen-init.mjs, all passing', () => {
    const suite = runScenarios(files.map(load), freshDevice(), { files });
    expect(failures(suite.checks)).toEqual([]);

    const out = mkdtempSync(path.join(os.tmpdir(), 'scen-gen-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/kernel-test/gen-init.mjs'), DIR, out], { stdio: 'pipe' });
      const kernelChecks = readFileSync(path.join(out, 'checks.txt'), 'utf8').trim().split('\n');
      expect(suite.checks.map((c) => c.name)).toEqual(kernelChecks);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the decisions do not hang on the daemon's phase: the same checks pass with the first check anywhere in the period", () => {
    for (const fraction of [0.15, 0.4, 0.65, 0.9]) {
      const shifted = files.map((f) => {
        const sc = load(f) as { steps: { op: string; interval?: number; seconds?: number }[] };
        const i = sc.steps.findIndex((s) => s.op === 'start_daemon');
        if (i >= 0) sc.steps.splice(i + 1, 0, { op: 'wait', seconds: fraction * sc.steps[i]!.interval! });
        return sc;
      });
      const suite = runScenarios(shifted, freshDevice(), { files });
      expect(failures(suite.checks), `daemon phase ${fraction}`).toEqual([]);
    }
  });
});
