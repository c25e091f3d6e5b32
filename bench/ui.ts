// UI benchmarks in Debian's Chromium: `npx tsx bench/ui.ts [--no-build]` (also part of `npm run bench` when bench/run.ts calls it).
// 1. chart redraw, 32 uids × 3,600 points: min/max-downsampled to the pixel width vs the naive full-resolution draw;
// 2. kernel-log filter over 200,000 lines: the renderer's filter vs a naive per-line toLowerCase()/new RegExp();
// 3. serve-mode cold load to interactive (the backend answered and the version shows) vs the same page without JS.
import vue from '@vitejs/plugin-vue';
import { chromium, type Browser } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';

const root = resolve(import.meta.dirname, '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function pageBench(browser: Browser) {
  const server = await createServer({ root: resolve(root, 'bench/ui'), configFile: false, plugins: [vue()], server: { port: 0, host: '127.0.0.1', fs: { allow: [root] } }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const page = await browser.newPage({ viewport: { width: 1300, height: 600 } });
  try {
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult !== undefined, undefined, { timeout: 180_000 });
    const result = await page.evaluate(() => (window as unknown as { benchResult: Record<string, unknown> }).benchResult);
    if ('error' in result) throw new Error(String(result.error));
    return result as { chart: Record<string, number>; hours: Record<string, number>; filter: { cases: Array<Record<string, number | string>>; chunked: Record<string, number> } };
  } finally {
    await page.close();
    await server.close();
  }
}

async function coldLoad(browser: Browser, rounds: number) {
  if (!process.argv.includes('--no-build') || !existsSync(resolve(root, 'out/renderer/index.html'))) {
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
    if (build.status !== 0) throw new Error('electron-vite build failed');
  }
  const port = 47_900 + Math.floor(Math.random() * 50);
  const token = 'bench0123456789abcdef0123456789abcdef0123456789';
  const serve = spawn('npx', ['tsx', 'electron/serve/cli.ts', '--port', String(port), '--data-dir', resolve(root, 'reports/bench-data')], { cwd: root, env: { ...process.env, GOLDFISH_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error('serve mode did not start in 60 s')), 60_000);
      serve.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('serving at') && (clearTimeout(timer), ready()));
      serve.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/?token=${token}`;
    const interactive: number[] = [];
    const domContentLoaded: number[] = [];
    const noJs: number[] = [];
    for (let i = 0; i < rounds + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'commit' });
      await page.getByTestId('app-version').waitFor({ timeout: 30_000 });
      const timing = await page.evaluate(() => ({ now: performance.now(), dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd }));
      if (i > 0) {
        interactive.push(timing.now);
        domContentLoaded.push(timing.dcl);
      }
      await context.close();
      const bare = await browser.newContext({ javaScriptEnabled: false });
      const barePage = await bare.newPage();
      await barePage.goto(url, { waitUntil: 'load' });
      if (i > 0) noJs.push(await barePage.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd).catch(() => NaN));
      await bare.close();
    }
    return { rounds, interactiveMs: median(interactive), domContentLoadedMs: median(domContentLoaded), htmlOnlyNoJsMs: median(noJs.filter(Number.isFinite)) };
  } finally {
    if (serve.pid) process.kill(-serve.pid, 'SIGTERM');
  }
}

const browser = await chromium.launch({ executablePath, args });
try {
  const { chart, hours, filter } = await pageBench(browser);
  let cold: Awaited<ReturnType<typeof coldLoad>> | { error: string };
  try {
    cold = await coldLoad(browser, 5);
  } catch (error) {
    cold = { error: (error as Error).message };
  }
  console.log('\nUI bench (Chromium)');
  console.log(`chart redraw, ${chart.uids} uids × ${chart.points} points, plot ${chart.plotWidthPx} px wide (${chart.pointsPerSeriesDrawn} points per series drawn):`);
  console.log(`  downsampled (min/max per pixel column): ${fmt(chart.downsampledMs)} median   goal ≤ 8 ms: ${chart.downsampledMs <= 8 ? 'met' : 'MISSED'}`);
  console.log(`  baseline, naive full-resolution draw:   ${fmt(chart.naiveFullResolutionMs)} median   → ${(chart.naiveFullResolutionMs / chart.downsampledMs).toFixed(1)}× faster`);
  console.log(`  the same over 10 hours (${hours.uids} uids × ${hours.points.toLocaleString('en-US')} points): downsampled ${fmt(hours.downsampledMs)}, naive ${fmt(hours.naiveFullResolutionMs)} → ${(hours.naiveFullResolutionMs / hours.downsampledMs).toFixed(1)}×`);
  console.log(`kernel-log filter over ${filter.cases[0].lines.toLocaleString('en-US')} lines (goal ≤ 50 ms):`);
  for (const item of filter.cases) {
    const ours = item.oursMs as number;
    const naive = item.naiveMs as number;
    console.log(`  ${String(item.name).padEnd(22)} ${fmt(ours).padStart(10)} (${item.matches} matches)  baseline naive ${fmt(naive)} → ${(naive / ours).toFixed(1)}×  ${ours <= 50 ? 'met' : 'MISSED'}`);
  }
  console.log(`  chunked (what the UI thread sees): total ${fmt(filter.chunked.totalMs)}, longest uninterrupted slice ${fmt(filter.chunked.longestSliceMs)}`);
  if ('error' in cold) console.log(`serve-mode cold load: not measured: ${cold.error}`);
  else {
    console.log(`serve-mode cold load to interactive (median of ${cold.rounds}, fresh context each): ${fmt(cold.interactiveMs)}   goal ≤ 1500 ms: ${cold.interactiveMs <= 1500 ? 'met' : 'MISSED'} (${(cold.interactiveMs / 1500).toFixed(2)} of the goal)`);
    console.log(`  DOMContentLoaded ${fmt(cold.domContentLoadedMs)}; baseline, the same page without JS: ${fmt(cold.htmlOnlyNoJsMs)} → the app's JS adds ${fmt(cold.interactiveMs - cold.htmlOnlyNoJsMs)}`);
  }
  mkdirSync(resolve(root, 'reports'), { recursive: true });
  writeFileSync(resolve(root, 'reports/bench-ui.json'), JSON.stringify({ chart, hours, filter, cold }, null, 2));
} finally {
  await browser.close();
}
