#!/usr/bin/env node
// Sums every suite's report into the one closing line CI reads: `N passed, N failed[, N skipped]`.
// A suite that was expected but left no report counts as one failure, so a crash cannot look green.
import { existsSync, readFileSync } from 'node:fs';

const expected = process.argv.slice(2);

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const counters = {
  // A file whose setup failed (beforeAll, import) fails with no failed test in it: count it as one failure.
  vitest: (r) => ({
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.testResults ?? []).filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')).length,
    skipped: r.numPendingTests + (r.numTodoTests ?? 0),
  }),
  playwright: (r) => ({ passed: r.stats.expected + (r.stats.flaky ?? 0), failed: r.stats.unexpected + (r.errors?.length ?? 0), skipped: r.stats.skipped }),
};

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of expected) {
  const path = `reports/${suite}.json`;
  const report = existsSync(path) ? readJson(path) : undefined;
  let counts;
  if (!report) counts = { passed: 0, failed: 1, skipped: 0, note: 'no report (the suite crashed or did not run)' };
  else counts = (counters[suite] ?? ((r) => ({ passed: r.passed, failed: r.failed, skipped: r.skipped ?? 0 })))(report);
  console.log(`  ${suite.padEnd(12)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${counts.note ? ` — ${counts.note}` : ''}`);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
