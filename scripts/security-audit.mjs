#!/usr/bin/env node
// Runs electronegativity's 42 checks on the built app (out/) and fails on any finding that is not
// justified below. (Its CLI cannot be used: it relies on a hoisted commander@5 and we have commander@9.)
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

// electronegativity fetches translations over the internet when it loads; keep the audit offline by
// handing its copy of `got` a stand-in that refuses at once (it then uses its bundled English texts).
const auditorRequire = createRequire(require.resolve('@doyensec/electronegativity/dist/locales/i18n.js'));
const gotPath = auditorRequire.resolve('got');
const offline = () => Promise.reject(new Error('offline: the security audit makes no network requests'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
const run = require('@doyensec/electronegativity/dist/runner.js');

/** Findings that need a human's review rather than a fix, with the review's outcome. */
const JUSTIFIED = {
  CSP_GLOBAL_CHECK:
    "Review required by design. Our CSP: default-src 'self'; script-src 'self' (no unsafe-eval, no unsafe-inline scripts); style-src adds 'unsafe-inline' for Vue's style bindings only; connect-src 'self'; object-src 'none'; frame-ancestors 'none'. Asserted in electron/app/security.test.ts.",
  PRELOAD_JS_CHECK:
    'Review required by design. The preload exposes one object with one function per contract request plus on(event); it never exposes ipcRenderer, Node or fs. Asserted in electron/app/security.test.ts.',
};

if (!existsSync('out/main/main.js')) {
  console.error('security-audit: build first (npx electron-vite build)');
  process.exit(2);
}
const electronVersion = require('electron/package.json').version;
const result = await run(
  {
    input: resolve('out'),
    output: undefined,
    isSarif: false,
    customScan: [],
    // This one downloads Electron's release list from the internet, which CI cannot reach; Electron's version is pinned in package.json instead.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);

const findings = result.issues.map((issue) => ({ id: issue.id, file: issue.file, line: issue.location.line, severity: issue.severity.name, review: issue.manualReview }));
const unjustified = findings.filter((finding) => !(finding.review && JUSTIFIED[finding.id]));
console.log(`electronegativity ${result.globalChecks + result.atomicChecks} checks on out/ (Electron ${electronVersion}): ${findings.length} findings, ${unjustified.length} unjustified`);
for (const finding of findings) {
  const why = finding.review && JUSTIFIED[finding.id];
  console.log(`  ${why ? 'justified ' : 'FINDING   '} ${finding.id} ${finding.file}:${finding.line} ${finding.severity}${why ? ` — ${why}` : ''}`);
}
for (const error of result.errors ?? []) console.log(`  parse error: ${JSON.stringify(error)}`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/security.json', JSON.stringify({ suite: 'security', passed: unjustified.length === 0 ? 1 : 0, failed: unjustified.length === 0 ? 0 : 1, findings }, null, 2));
process.exit(unjustified.length === 0 ? 0 : 1);
