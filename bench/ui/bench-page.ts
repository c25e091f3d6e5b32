// Runs inside Chromium (bench/ui.ts opens it): the renderer's own chart and filter code on synthetic data.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LogLine } from '../../contract/domains/kernel-log.js';
import { buildChartData } from '../../renderer/src/composables/chartData.js';
import { compileFilter, filterChunked, filterRange } from '../../renderer/src/composables/logFilter.js';
import { SeriesBuffer } from '../../renderer/src/composables/seriesBuffer.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function chartBench(uids: number, points: number, rounds: number) {
  const buffer = new SeriesBuffer(points + 1, points + 1);
  for (let i = 0; i < points; i++) {
    buffer.append([{ t: 1_700_000_000_000 + i * 1000, uids: Array.from({ length: uids }, (_, u) => [10_000 + u, 50e6 + 40e6 * Math.sin(i / (20 + u)) + u * 1e6 + (i * 7919 % 97) * 1e5, 1] as [number, number, number]) }]);
  }
  const ids = Array.from({ length: uids }, (_, u) => 10_000 + u);
  const limits = [{ uid: 10_000, mmMax: 100e6, grace: 0 }];
  const from = buffer.times[0];
  const to = buffer.times[points - 1];
  const host = document.getElementById('chart')!;
  let resolveDraw: () => void = () => {};
  const series: uPlot.Series[] = [{}, ...ids.map((_, u) => ({ stroke: `hsl(${(u * 37) % 360} 70% 45%)`, width: 1.5, points: { show: false } })), { stroke: 'red', dash: [8, 5] }];
  const chart = new uPlot(
    { width: 1200, height: 400, legend: { show: false }, scales: { x: { time: true } }, series, hooks: { draw: [() => resolveDraw()] } },
    buildChartData(buffer, ids, limits, from, to, 1200).data as uPlot.AlignedData,
    host,
  );
  const width = chart.bbox.width / devicePixelRatio;
  async function redraw(full: boolean): Promise<number> {
    const drawn = new Promise<void>((resolve) => (resolveDraw = resolve));
    const started = performance.now();
    chart.setData(buildChartData(buffer, ids, limits, from, to, width, full).data as uPlot.AlignedData);
    await drawn;
    return performance.now() - started;
  }
  const measure = async (full: boolean) => {
    for (let i = 0; i < 3; i++) await redraw(full);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await redraw(full));
    return median(times);
  };
  const downsampled = await measure(false);
  const naive = await measure(true);
  const pointsDrawn = buildChartData(buffer, ids, limits, from, to, width).data[0].length;
  chart.destroy();
  return { uids, points, plotWidthPx: Math.round(width), pointsPerSeriesDrawn: pointsDrawn, downsampledMs: downsampled, naiveFullResolutionMs: naive };
}

async function filterBench(count: number, rounds: number) {
  const texts = [
    (i: number) => `healthd: battery l=${i % 100} v=${i % 7} t=26.${i % 10} h=2 st=2 chg=a`,
    (i: number) => `binder: ${i % 4000}:${i % 4000} transaction failed 29189, size 0-0`,
    (i: number) => `lowmemorykiller: Killing 'com.example.app${i % 50}' (${1000 + (i % 3000)}), adj 15, to free ${i % 90000}kB`,
    (i: number) => `uid=10070, uRSS=${108490752 + i}, mm_max=100000000, pid=${500 + (i % 700)}, pRSS=107552768`,
    () => 'A process has been killed:',
    (i: number) => `init: Service 'bootanim' (pid ${i % 9000}) exited with status 0`,
  ];
  const lines: LogLine[] = Array.from({ length: count }, (_, index) => ({ index, ts: index / 10, level: 6, text: texts[index % 7 === 0 ? 4 : index % texts.length](index) }));
  const kills = new Set<number>();
  const cases = [
    { name: 'text "killed"', filter: { text: 'killed', regex: false, killsOnly: false }, naive: (line: LogLine) => line.text.toLowerCase().includes('killed'.toLowerCase()) },
    { name: 'regex pid=5\\d\\d\\b', filter: { text: 'pid=5\\d\\d\\b', regex: true, killsOnly: false }, naive: (line: LogLine) => new RegExp('pid=5\\d\\d\\b', 'i').test(line.text) },
    { name: 'kills only', filter: { text: '', regex: false, killsOnly: true }, naive: (line: LogLine) => /^\s*(A process has been killed:|Escalating to SIGKILL)/.test(line.text) || kills.has(line.index) },
  ];
  const results = [];
  for (const item of cases) {
    const ours: number[] = [];
    const naive: number[] = [];
    let matches = 0;
    for (let r = 0; r < rounds + 2; r++) {
      let started = performance.now();
      const compiled = compileFilter(item.filter, kills);
      if (!compiled.ok) throw new Error(compiled.error);
      const out: number[] = [];
      filterRange(lines, compiled.test, 0, lines.length, out);
      if (r >= 2) ours.push(performance.now() - started);
      matches = out.length;
      started = performance.now();
      const baseline = lines.filter(item.naive);
      if (r >= 2) naive.push(performance.now() - started);
      if (baseline.length !== out.length) throw new Error(`${item.name}: ${baseline.length} != ${out.length}`);
    }
    results.push({ name: item.name, lines: count, matches, oursMs: median(ours), naiveMs: median(naive) });
  }
  // What the UI thread sees: the chunked filter's longest uninterrupted slice.
  const compiled = compileFilter(cases[0].filter, kills);
  let longest = 0;
  let last = performance.now();
  const started = performance.now();
  if (compiled.ok)
    await filterChunked(lines, compiled.test, () => false, 8, async () => {
      longest = Math.max(longest, performance.now() - last);
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    });
  longest = Math.max(longest, performance.now() - last);
  return { cases: results, chunked: { totalMs: performance.now() - started, longestSliceMs: longest } };
}

(async () => {
  try {
    const chart = await chartBench(32, 3600, 31);
    const hours = await chartBench(32, 36_000, 11);
    const filter = await filterBench(200_000, 9);
    (window as unknown as { benchResult: unknown }).benchResult = { chart, hours, filter };
  } catch (error) {
    (window as unknown as { benchResult: unknown }).benchResult = { error: String((error as Error).stack ?? error) };
  }
})();
