/**
 * Grading reports: a suite run as JSON (for machines) and as one self-contained HTML file (for a TA): inline CSS,
 * no script, an inline SVG chart per scenario (per-uid RSS from the run's samples, limit lines, kill markers),
 * every expectation with its verdict and evidence, the scenario's kernel log, timings, a summary line.
 */
import type { ScenarioCheck, ScenarioResult, SuiteResult } from '../../../native-emulator/core/scenarios/runner.js';

export const REPORT_FORMAT = 'goldfish-scenario-report';

export interface ReportCheck {
  name: string;
  pass: boolean;
  detail: string;
  evidence: string[];
}

export interface ReportScenario {
  name: string;
  description: string;
  pass: boolean;
  /** Seconds the scenario took on the runner's clock (device time in the simulator, wall time over adb). */
  durationS: number;
  interval: number;
  checks: ReportCheck[];
  /** The scenario's kernel log, printk time (s) and text. */
  dmesg: { t?: number; text: string }[];
  samples: { t: number; rss: Record<string, number> }[];
  limits: { t?: number; uid: number; mmMax: number; grace: number }[];
  kills: { t: number; uid: number; pid: number; uRss: number; mmMax: number; pRss: number; escalated: boolean }[];
}

export interface ReportDoc {
  format: typeof REPORT_FORMAT;
  version: 1;
  id: string;
  suite: string;
  suiteDescription: string;
  device: { serial: string; kind: 'simulator' | 'adb'; oomMode?: string };
  startedAt: string;
  durationMs: number;
  summary: { scenarios: number; scenariosPassed: number; checks: number; passed: number; failed: number; pass: boolean; line: string };
  scenarios: ReportScenario[];
  runChecks: ReportCheck[];
  /** Set when the run stopped early (device lost, cancelled). */
  error?: string;
}

const toCheck = (c: ScenarioCheck): ReportCheck => ({ name: c.name, pass: c.pass, detail: c.detail, evidence: c.evidence ?? [] });

function toScenario(r: ScenarioResult): ReportScenario {
  return {
    name: r.name,
    description: r.description,
    pass: r.checks.every((c) => c.pass),
    durationS: Math.round((r.endedAt - r.startedAt) * 1000) / 1000,
    interval: r.interval,
    checks: r.checks.map(toCheck),
    dmesg: r.dmesgTimed.map((l) => (l.t === undefined ? { text: l.text } : { t: l.t, text: l.text })),
    samples: r.samples.map((s) => ({ t: s.t, rss: s.rss })),
    limits: r.limits.map((l) => ({ ...(l.t !== undefined ? { t: l.t } : {}), uid: l.uid, mmMax: l.mmMax, grace: l.grace })),
    kills: r.kills.map((k) => ({ ...k })),
  };
}

export function summaryLine(suite: string, serial: string, scenarios: number, scenariosPassed: number, checks: number, failed: number, durationMs: number, error?: string): string {
  const verdict = failed === 0 && !error ? 'PASS' : 'FAIL';
  return `${suite} on ${serial}: ${verdict}, ${scenariosPassed}/${scenarios} scenarios, ${checks - failed}/${checks} checks passed (${(durationMs / 1000).toFixed(1)} s)${error ? `; stopped: ${error}` : ''}`;
}

export function buildReport(input: {
  id: string;
  suite: string;
  suiteDescription?: string;
  device: ReportDoc['device'];
  startedAt: Date;
  durationMs: number;
  result: Pick<SuiteResult, 'scenarios' | 'bootChecks'>;
  error?: string;
}): ReportDoc {
  const scenarios = input.result.scenarios.map(toScenario);
  const runChecks = input.result.bootChecks.map(toCheck);
  const all = [...scenarios.flatMap((s) => s.checks), ...runChecks];
  const failed = all.filter((c) => !c.pass).length;
  const scenariosPassed = scenarios.filter((s) => s.pass).length;
  return {
    format: REPORT_FORMAT,
    version: 1,
    id: input.id,
    suite: input.suite,
    suiteDescription: input.suiteDescription ?? '',
    device: input.device,
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    summary: {
      scenarios: scenarios.length,
      scenariosPassed,
      checks: all.length,
      passed: all.length - failed,
      failed,
      pass: failed === 0 && !input.error,
      line: summaryLine(input.suite, input.device.serial, scenarios.length, scenariosPassed, all.length, failed, input.durationMs, input.error),
    },
    scenarios,
    runChecks,
    ...(input.error ? { error: input.error } : {}),
  };
}

// --- HTML ----------------------------------------------------------------------------------------------------

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9333ea'];
const MB = 1_000_000;
const n2 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Per-uid RSS over the scenario (s from its first sample), dashed limit lines, a red marker per kill. */
export function renderChart(s: ReportScenario, width = 760, height = 230): string {
  if (s.samples.length === 0) return '<p class="muted">No RSS samples in this run.</p>';
  const t0 = s.samples[0]!.t;
  const tEnd = Math.max(s.samples[s.samples.length - 1]!.t, ...s.kills.map((k) => k.t).filter(Number.isFinite)) - t0 || 1;
  // the uids the scenario is about: limited or killed ones (the device's other apps would only add noise)
  let uids = [...new Set([...s.limits.map((l) => String(l.uid)), ...s.kills.map((k) => String(k.uid))])].sort();
  if (uids.length === 0) {
    const peak = (uid: string) => Math.max(...s.samples.map((x) => x.rss[uid] ?? 0));
    uids = [...new Set(s.samples.flatMap((x) => Object.keys(x.rss)))].sort((a, b) => peak(b) - peak(a)).slice(0, 3).sort();
  }
  const maxRss = Math.max(1, ...s.samples.flatMap((x) => uids.map((uid) => x.rss[uid] ?? 0)), ...s.limits.map((l) => l.mmMax), ...s.kills.map((k) => k.uRss));
  const pad = { l: 56, r: 12, t: 12, b: 30 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const x = (t: number) => pad.l + (Math.max(0, Math.min(tEnd, t - t0)) / tEnd) * w;
  const y = (v: number) => pad.t + h - (v / (maxRss * 1.08)) * h;
  const color = (uid: string) => COLORS[uids.indexOf(uid) % COLORS.length]!;
  const parts: string[] = [];
  // axes and grid
  for (let i = 0; i <= 4; i++) {
    const v = (maxRss * 1.08 * i) / 4;
    parts.push(`<line x1="${pad.l}" x2="${pad.l + w}" y1="${n2(y(v))}" y2="${n2(y(v))}" class="grid"/>`);
    parts.push(`<text x="${pad.l - 6}" y="${n2(y(v) + 4)}" text-anchor="end" class="axis">${n2(v / MB)} MB</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const t = (tEnd * i) / 5;
    parts.push(`<text x="${n2(x(t0 + t))}" y="${height - 10}" text-anchor="middle" class="axis">${n2(t)} s</text>`);
  }
  // limit lines: each set holds until the next set of that uid
  for (const uid of uids) {
    const marks = s.limits.filter((l) => String(l.uid) === uid);
    marks.forEach((m, i) => {
      if (m.mmMax <= 0) return;
      const from = m.t ?? t0;
      const to = marks[i + 1]?.t ?? t0 + tEnd;
      parts.push(`<line x1="${n2(x(from))}" x2="${n2(x(to))}" y1="${n2(y(m.mmMax))}" y2="${n2(y(m.mmMax))}" stroke="${color(uid)}" class="limit"><title>uid ${uid} mm_max=${m.mmMax}, grace ${m.grace} s</title></line>`);
    });
  }
  // RSS per uid
  for (const uid of uids) {
    const pts = s.samples.map((p) => `${n2(x(p.t))},${n2(y(p.rss[uid] ?? 0))}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${color(uid)}" stroke-width="2"><title>uid ${uid} RSS</title></polyline>`);
  }
  // kills
  for (const k of s.kills) {
    if (!Number.isFinite(k.t)) continue;
    const kx = n2(x(k.t));
    parts.push(`<line x1="${kx}" x2="${kx}" y1="${pad.t}" y2="${pad.t + h}" class="kill"/>`);
    parts.push(`<circle cx="${kx}" cy="${n2(y(k.uRss))}" r="4.5" class="killdot"><title>killed pid ${k.pid} (uid ${k.uid}) at ${k.t.toFixed(2)} s: uRSS=${k.uRss}, pRSS=${k.pRss}${k.escalated ? ', escalated to SIGKILL' : ''}</title></circle>`);
    parts.push(`<text x="${kx}" y="${pad.t + 10}" class="killlabel">✕ ${k.pid}</text>`);
  }
  const legend = uids
    .map((uid) => `<span class="key"><i style="background:${color(uid)}"></i>uid ${escapeHtml(uid)}</span>`)
    .concat(s.kills.length ? ['<span class="key"><i class="kl"></i>kill</span>', '<span class="key"><i class="ll"></i>limit</span>'] : ['<span class="key"><i class="ll"></i>limit</span>'])
    .join(' ');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="RSS per uid in ${escapeHtml(s.name)}">${parts.join('')}</svg><figcaption>${legend}</figcaption></figure>`;
}

const RELEVANT = /killed|uid=|Escalating|exceeds|module|limitation|Out of memory|oom|Oops|BUG|WARNING/i;

function renderDmesg(s: ReportScenario): string {
  const lines = s.dmesg.filter((l) => RELEVANT.test(l.text));
  const shown = lines.slice(0, 300);
  const text = shown.map((l) => `${l.t !== undefined ? `[${l.t.toFixed(3).padStart(10)}] ` : ''}${l.text}`).join('\n');
  const more = lines.length > shown.length ? `\n… ${lines.length - shown.length} more lines` : '';
  return `<details${s.pass ? '' : ' open'}><summary>Kernel log excerpt (${lines.length} of ${s.dmesg.length} lines: the OOM killer's)</summary><pre class="log">${escapeHtml(text + more) || '(empty)'}</pre></details>`;
}

function renderChecks(checks: ReportCheck[]): string {
  const rows = checks
    .map(
      (c) =>
        `<tr class="${c.pass ? 'ok' : 'bad'}"><td class="v">${c.pass ? 'PASS' : 'FAIL'}</td><td><code>${escapeHtml(c.name)}</code>${c.detail ? `<div class="why">${escapeHtml(c.detail)}</div>` : ''}</td><td>${c.evidence.length ? `<pre class="ev">${escapeHtml(c.evidence.join('\n'))}</pre>` : ''}</td></tr>`,
    )
    .join('');
  return `<table class="checks"><thead><tr><th>verdict</th><th>expectation</th><th>evidence</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0}
.muted{color:#6b7280}
.summary{padding:12px 16px;border-radius:8px;margin:16px 0;font-weight:600}
.summary.pass{background:#dcfce7;color:#14532d}.summary.fail{background:#fee2e2;color:#7f1d1d}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0 16px}
.meta dt{color:#6b7280}.meta dd{margin:0}
section.sc{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px;margin:16px 0}
section.sc>header{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:12px;font-weight:700;padding:2px 8px;border-radius:999px}
.badge.pass{background:#dcfce7;color:#166534}.badge.fail{background:#fee2e2;color:#991b1b}
table.checks{border-collapse:collapse;width:100%;margin-top:8px}
table.checks td,table.checks th{border-top:1px solid #e5e7eb;padding:4px 8px;vertical-align:top;text-align:left}
table.checks th{font-size:12px;color:#6b7280;font-weight:600}
tr.bad td.v{color:#b91c1c;font-weight:700}tr.ok td.v{color:#15803d;font-weight:700}
tr.bad{background:#fef2f2}
.why{color:#b91c1c;margin-top:2px}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.log{background:#111827;color:#e5e7eb;padding:8px;border-radius:6px;max-height:360px;overflow:auto}
figure{margin:8px 0}svg{max-width:100%;height:auto;background:#fff}
.grid{stroke:#e5e7eb}.axis{font-size:10px;fill:#6b7280}
.limit{stroke-dasharray:6 4;stroke-width:1.5}
.kill{stroke:#dc2626;stroke-width:1;stroke-dasharray:2 3}.killdot{fill:#dc2626}.killlabel{font-size:10px;fill:#dc2626}
figcaption{font-size:12px;color:#374151}
.key{margin-right:12px}.key i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin-right:4px}
.key i.kl{background:#dc2626}.key i.ll{border-top:2px dashed #6b7280;height:0}
details summary{cursor:pointer;margin-top:8px;color:#374151}
`;

export function renderReportHtml(doc: ReportDoc): string {
  const { summary } = doc;
  const sections = doc.scenarios
    .map(
      (s, i) => `<section class="sc" id="sc-${i}">
<header><h2>${i + 1}. ${escapeHtml(s.name)}</h2><span class="badge ${s.pass ? 'pass' : 'fail'}">${s.pass ? 'PASS' : 'FAIL'}</span><span class="muted">${s.checks.filter((c) => c.pass).length}/${s.checks.length} checks · ${s.durationS.toFixed(1)} s${s.interval ? ` · daemon T=${s.interval} s` : ''} · ${s.kills.length} kill${s.kills.length === 1 ? '' : 's'}</span></header>
${s.description ? `<p class="muted">${escapeHtml(s.description)}</p>` : ''}
${renderChart(s)}
${renderChecks(s.checks)}
${renderDmesg(s)}
</section>`,
    )
    .join('\n');
  const toc = doc.scenarios.map((s, i) => `<li><a href="#sc-${i}">${escapeHtml(s.name)}</a> — <span class="badge ${s.pass ? 'pass' : 'fail'}">${s.pass ? 'PASS' : 'FAIL'}</span></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${summary.pass ? 'PASS' : 'FAIL'} · ${doc.suite} · ${doc.device.serial}`)}</title>
<style>${CSS}</style></head>
<body><main>
<h1>Scenario report: ${escapeHtml(doc.suite)}</h1>
<p class="muted">${escapeHtml(doc.suiteDescription)}</p>
<div class="summary ${summary.pass ? 'pass' : 'fail'}" data-verdict="${summary.pass ? 'pass' : 'fail'}">${escapeHtml(summary.line)}</div>
${doc.error ? `<p class="why">The run stopped early: ${escapeHtml(doc.error)}</p>` : ''}
<dl class="meta"><dt>device</dt><dd>${escapeHtml(doc.device.serial)} (${escapeHtml(doc.device.kind)}${doc.device.oomMode ? `, oom mode ${escapeHtml(doc.device.oomMode)}` : ''})</dd>
<dt>started</dt><dd>${escapeHtml(doc.startedAt)}</dd><dt>took</dt><dd>${(doc.durationMs / 1000).toFixed(1)} s</dd>
<dt>report id</dt><dd><code>${escapeHtml(doc.id)}</code></dd></dl>
<ol>${toc}</ol>
${sections}
<section class="sc"><header><h2>Over the whole run</h2></header>${renderChecks(doc.runChecks)}</section>
</main></body></html>
`;
}
