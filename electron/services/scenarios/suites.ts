import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compileSuite, ScenarioError } from '../../../native-emulator/core/scenarios/runner.js';

/** A built-in suite (scenarios/suites.json): its scenario files, parsed and validated. */
export interface Suite {
  name: string;
  description: string;
  dir: string;
  files: string[];
  scenarios: unknown[];
  /** name and description of each scenario, in run order. */
  index: { name: string; description: string; file: string }[];
}

interface SuiteIndex {
  version: 1;
  suites: { name: string; dir: string; description?: string }[];
}

/** Reads scenarios/suites.json and every suite's *.json files (throws ScenarioError on an invalid one). */
export function loadSuites(scenariosDir: string): Suite[] {
  const index = JSON.parse(readFileSync(join(scenariosDir, 'suites.json'), 'utf8')) as SuiteIndex;
  if (index.version !== 1 || !Array.isArray(index.suites)) throw new ScenarioError(`${scenariosDir}/suites.json: version must be 1 with a suites list`);
  return index.suites.map((entry) => loadSuiteDir(resolve(scenariosDir, entry.dir), entry.name, entry.description ?? '', scenariosDir));
}

/** One folder of scenario files as a suite (`--suite DIR` on the command line). */
export function loadSuiteDir(dir: string, name: string, description = '', base = dir): Suite {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'suites.json')
    .sort()
    .map((f) => join(dir, f));
  const scenarios = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as unknown;
    } catch (error) {
      throw new ScenarioError(`${f}: not JSON: ${(error as Error).message}`);
    }
  });
  const shown = files.map((f) => relative(base, f) || f);
  const compiled = compileSuite(scenarios, shown);
  return { name, description, dir, files, scenarios, index: compiled.map((c, i) => ({ name: c.name, description: c.description, file: shown[i]! })) };
}
